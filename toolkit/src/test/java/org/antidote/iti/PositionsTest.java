package org.antidote.iti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.antidote.io.BadInputException;
import org.antidote.model.HookName;
import org.antidote.model.Hooks;
import org.antidote.model.KvCache;
import org.antidote.model.Transformer;
import org.junit.jupiter.api.Test;

/**
 * {@code --positions}: GENERATED shifts the last prompt token and each generated token and leaves
 * the prompt before it untouched; ALL shifts every position. Checked on hook_z and the residual
 * stream at each position of a KV-cached generation fed fixed tokens (what {@code Generator} does
 * call by call), against the same calls without the intervention.
 */
class PositionsTest {

  private static final long[] PROMPT = {5, 9, 2, 77, 31};
  private static final long[] GENERATED = {8, 40, 12};

  /** Every hook_z and hook_resid_post, per position, in call order. */
  private static final class Recorder {
    final Map<String, List<float[]>> byName = new LinkedHashMap<>();

    Hooks on(Hooks hooks) {
      return hooks.with(
          n -> n.endsWith("attn.hook_z") || n.endsWith("hook_resid_post"),
          (name, v) -> {
            long t = v.getShape().get(1);
            float[] all = v.toFloatArray();
            int per = (int) (all.length / t);
            for (int p = 0; p < t; p++) {
              float[] one = new float[per];
              System.arraycopy(all, p * per, one, 0, per);
              byName.computeIfAbsent(name, k -> new ArrayList<>()).add(one);
            }
            return v;
          });
    }
  }

  /** The prompt in one call, then each fixed token in its own call through the KV cache. */
  private static Recorder cachedRun(Transformer model, Hooks hooks) {
    Recorder r = new Recorder();
    Hooks h = r.on(hooks);
    try (NDManager m = model.manager().newSubManager();
        KvCache cache = new KvCache(m, model.config().layers())) {
      model.forward(m.create(PROMPT, new Shape(1, PROMPT.length)), h, cache);
      for (long t : GENERATED) {
        model.forward(m.create(new long[] {t}, new Shape(1, 1)), h, cache);
      }
    }
    return r;
  }

  @Test
  void generatedShiftsOnlyTheLastPromptTokenAndTheGeneratedOnes() {
    Intervention iti = InterventionTest.random(4, 6);
    try (Transformer model = Transformer.create(InterventionTest.CONFIG, 3, Device.cpu())) {
      Recorder plain = cachedRun(model, Hooks.none());
      Recorder gen = cachedRun(model, iti.hooks(Intervention.Positions.GENERATED));
      Recorder all = cachedRun(model, iti.hooks(Intervention.Positions.ALL));
      int positions = PROMPT.length + GENERATED.length;
      int lastPrompt = PROMPT.length - 1;
      // Layer 0's z depends only on the tokens, so with the intervention it is plain + delta
      // exactly where shifted.
      float[] delta0 = iti.delta(0);
      for (int p = 0; p < positions; p++) {
        float[] z0 =
            diff(gen.byName.get(HookName.z(0)).get(p), plain.byName.get(HookName.z(0)).get(p));
        float[] z0all =
            diff(all.byName.get(HookName.z(0)).get(p), plain.byName.get(HookName.z(0)).get(p));
        assertClose(
            p >= lastPrompt ? delta0 : new float[delta0.length],
            z0,
            "generated, z of layer 0 at " + p);
        assertClose(delta0, z0all, "all, z of layer 0 at " + p);
      }
      // Before the last prompt token nothing at all moves under GENERATED; from it on the residual
      // stream does.
      for (String name : plain.byName.keySet()) {
        for (int p = 0; p < positions; p++) {
          double moved = maxAbs(diff(gen.byName.get(name).get(p), plain.byName.get(name).get(p)));
          double movedAll =
              maxAbs(diff(all.byName.get(name).get(p), plain.byName.get(name).get(p)));
          if (p < lastPrompt) {
            assertEquals(0.0, moved, name + " at prompt position " + p + " moved under generated");
          } else if (name.equals(HookName.residPost(2))) {
            assertTrue(moved > 1e-3, name + " at " + p + " did not move under generated");
          }
          if (name.equals(HookName.residPost(2))) {
            assertTrue(movedAll > 1e-3, name + " at " + p + " did not move under all");
          }
        }
      }
    }
  }

  @Test
  void aTeacherForcedPassFromTheLastPromptTokenMatchesTheCachedGeneration() {
    Intervention iti = InterventionTest.random(5, 6);
    try (Transformer model = Transformer.create(InterventionTest.CONFIG, 3, Device.cpu());
        NDManager m = model.manager().newSubManager()) {
      float[] stepwise;
      try (KvCache cache = new KvCache(m, model.config().layers())) {
        Hooks h = iti.hooks(Intervention.Positions.GENERATED);
        List<Float> logits = new ArrayList<>();
        append(logits, model.forward(m.create(PROMPT, new Shape(1, PROMPT.length)), h, cache));
        for (long t : GENERATED) {
          append(logits, model.forward(m.create(new long[] {t}, new Shape(1, 1)), h, cache));
        }
        stepwise = toArray(logits);
      }
      long[] whole = new long[PROMPT.length + GENERATED.length];
      System.arraycopy(PROMPT, 0, whole, 0, PROMPT.length);
      System.arraycopy(GENERATED, 0, whole, PROMPT.length, GENERATED.length);
      NDArray x = m.create(whole, new Shape(1, whole.length));
      float[] forced = model.forward(x, iti.hooksFrom(PROMPT.length - 1)).toFloatArray();
      assertClose(
          stepwise, forced, "teacher-forced from the last prompt token vs cached generated");
      float[] allForced = model.forward(x, iti.hooks(Intervention.Positions.ALL)).toFloatArray();
      assertTrue(maxAbs(diff(allForced, forced)) > 1e-3, "all and generated gave the same logits");
    }
  }

  @Test
  void theFlagParsesItsTwoValuesAndRefusesOthers() {
    assertEquals(Intervention.Positions.GENERATED, Intervention.Positions.parse("generated"));
    assertEquals(Intervention.Positions.ALL, Intervention.Positions.parse(" ALL "));
    BadInputException e =
        assertThrows(BadInputException.class, () -> Intervention.Positions.parse("prompt"));
    assertTrue(e.getMessage().contains("generated or all"), e.getMessage());
  }

  @Test
  void kIsThePapersFractionAndAtLeastFour() {
    assertEquals(4, Intervention.headCount(Intervention.PAPER_HEAD_FRACTION, 12));
    assertEquals(30, Intervention.headCount(Intervention.PAPER_HEAD_FRACTION, 256));
    assertEquals(
        3,
        Intervention.headCount(Intervention.PAPER_HEAD_FRACTION, 3),
        "never more than the model has");
  }

  @Test
  void theRandomControlKeepsHeadsSigmasAndAlphaAndDrawsUnitDirections() {
    Intervention iti = InterventionTest.random(6, 8);
    Intervention a = iti.withRandomDirections(1);
    Intervention b = iti.withRandomDirections(2);
    assertEquals(iti.alpha(), a.alpha());
    double meanCos = 0;
    for (int i = 0; i < iti.shifts().size(); i++) {
      Intervention.Shift s = iti.shifts().get(i);
      Intervention.Shift r = a.shifts().get(i);
      assertEquals(s.layer(), r.layer());
      assertEquals(s.head(), r.head());
      assertEquals(s.sigma(), r.sigma());
      double norm = 0;
      double cos = 0;
      for (int k = 0; k < r.direction().length; k++) {
        norm += r.direction()[k] * r.direction()[k];
        cos += r.direction()[k] * b.shifts().get(i).direction()[k];
      }
      assertEquals(1.0, norm, 1e-5);
      meanCos += Math.abs(cos) / iti.shifts().size();
    }
    assertTrue(meanCos < 0.99, "two draws gave the same directions");
    assertEquals(
        a.shifts().get(0).direction()[0],
        iti.withRandomDirections(1).shifts().get(0).direction()[0],
        "seeded");
  }

  private static void append(List<Float> out, NDArray logits) {
    for (float v : logits.toFloatArray()) {
      out.add(v);
    }
  }

  private static float[] toArray(List<Float> l) {
    float[] a = new float[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }

  private static float[] diff(float[] a, float[] b) {
    float[] d = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] - b[i];
    }
    return d;
  }

  private static double maxAbs(float[] a) {
    double m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    assertTrue(
        maxAbs(diff(expected, actual)) < 1e-4,
        what + ": differs by " + maxAbs(diff(expected, actual)));
  }
}
