package org.antidote.iti;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.io.Json;
import org.antidote.io.SafeTensors;
import org.antidote.math.Vectors;
import org.antidote.model.HookName;
import org.antidote.model.Hooks;
import org.antidote.model.ModelConfig;
import org.antidote.model.Transformer;
import org.antidote.probe.Directions;
import org.antidote.probe.ProbeResult;

/**
 * A set of head shifts fitted on one model: at head (layer, head), add {@code alpha * sigma *
 * direction} to its output before the output projection, at the {@link Positions} chosen. Apply it
 * with {@link #hooks(Positions)} for one call, or {@link #bake(Transformer)} it into the model's
 * weights (every position, as a bias does).
 *
 * @param model the model it was fitted on (a run folder, say)
 * @param layers that model's layers
 * @param heads its heads per layer
 * @param dHead its head width
 * @param alpha strength, in units of sigma
 * @param shifts the shifted heads
 */
public record Intervention(
    String model, int layers, int heads, int dHead, double alpha, List<Shift> shifts) {

  /**
   * One head's shift.
   *
   * @param layer layer
   * @param head head
   * @param direction unit direction, pointing away from toxic
   * @param sigma spread of activations along it
   */
  public record Shift(int layer, int head, float[] direction, double sigma) {}

  /** The paper's share of heads shifted (30 of Olmo-1B's 256). */
  public static final double PAPER_HEAD_FRACTION = 0.117;

  /** The minimum K: with fewer heads, the choice among near-equal probes is a lottery. */
  public static final int MIN_HEADS = 4;

  /** The study's K: {@code max(4, round(fraction x heads))}, never more than the model has. */
  public static int headCount(double fraction, int totalHeads) {
    Check.input(
        fraction > 0 && fraction <= 1 && totalHeads >= 1,
        "K needs a head fraction in (0, 1] and a model with heads, got "
            + fraction
            + " of "
            + totalHeads);
    return Math.min(totalHeads, Math.max(MIN_HEADS, (int) Math.round(fraction * totalHeads)));
  }

  /** Where the shift is added. */
  public enum Positions {
    /**
     * The last prompt token and each generated token, as honest_llama: in a cached generation that
     * is the last position of every forward call; in a teacher-forced pass over prompt plus
     * continuation, every position from the last prompt token on ({@link #hooksFrom(int)}).
     */
    GENERATED,
    /** Every position, prompt included: what a baked bias does. */
    ALL;

    /** Parses "generated" or "all". */
    public static Positions parse(String s) {
      return switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "generated" -> GENERATED;
        case "all" -> ALL;
        default -> throw new BadInputException("--positions '" + s + "' is not generated or all");
      };
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Intervention {
    Check.input(
        alpha >= 0 && Double.isFinite(alpha), "alpha must be a finite number >= 0, got " + alpha);
    shifts = List.copyOf(shifts);
  }

  /** The {@code k} heads with the best validation accuracy, shifted by {@code alpha} sigmas. */
  public static Intervention topHeads(
      String model,
      ProbeResult probes,
      List<Directions.HeadDirection> directions,
      int k,
      double alpha,
      int dHead) {
    List<Shift> shifts = new ArrayList<>();
    for (Directions.HeadDirection d : Directions.topK(directions, probes, k)) {
      shifts.add(new Shift(d.layer(), d.head(), d.direction(), d.sigma()));
    }
    return new Intervention(model, probes.layers(), probes.heads(), dHead, alpha, shifts);
  }

  /**
   * The random-direction control: the same heads, sigmas and alpha, each direction replaced by a
   * uniformly random unit vector (normalised Gaussian) drawn with {@code seed}. It shows whether
   * the fitted direction beats chance at equal cost.
   */
  public Intervention withRandomDirections(long seed) {
    Random rng = new Random(seed);
    List<Shift> random = new ArrayList<>();
    for (Shift s : shifts) {
      float[] d = new float[s.direction().length];
      do {
        for (int k = 0; k < d.length; k++) {
          d[k] = (float) rng.nextGaussian();
        }
      } while (Vectors.norm(d) == 0);
      Vectors.normalise(d);
      random.add(new Shift(s.layer(), s.head(), d, s.sigma()));
    }
    return new Intervention(
        model + " (random directions, seed " + seed + ")", layers, heads, dHead, alpha, random);
  }

  /** The same heads at another strength. */
  public Intervention withAlpha(double a) {
    return new Intervention(model, layers, heads, dHead, a, shifts);
  }

  /**
   * The shift of every head of {@code layer}, [heads * dHead] (zero where a head is not shifted).
   */
  float[] delta(int layer) {
    float[] d = new float[heads * dHead];
    for (Shift s : shifts) {
      if (s.layer() == layer) {
        for (int k = 0; k < dHead; k++) {
          d[s.head() * dHead + k] += (float) (alpha * s.sigma() * s.direction()[k]);
        }
      }
    }
    return d;
  }

  /**
   * Hooks for one call that add the shifts at {@code blocks.{l}.attn.hook_z}, at every position.
   */
  public Hooks hooks() {
    return hooks(Positions.ALL);
  }

  /**
   * Hooks for one call at {@code positions}: ALL shifts every position; GENERATED only the last
   * position of each forward call, which in a KV-cached generation is the last prompt token and
   * then each new token.
   */
  public Hooks hooks(Positions positions) {
    return positions == Positions.ALL ? shifted(0, false) : shifted(0, true);
  }

  /**
   * Hooks for a teacher-forced pass that shift positions {@code from} onwards only: the GENERATED
   * positions of a sequence whose prompt ends at {@code from}.
   */
  public Hooks hooksFrom(int from) {
    Check.atLeast("first shifted position", from, 0);
    return shifted(from, false);
  }

  private Hooks shifted(int from, boolean lastOnly) {
    Map<String, float[]> perLayer = new LinkedHashMap<>();
    for (Shift s : shifts) {
      perLayer.computeIfAbsent(HookName.z(s.layer()), n -> delta(s.layer()));
    }
    Hooks h = Hooks.none();
    for (Map.Entry<String, float[]> e : perLayer.entrySet()) {
      float[] d = e.getValue();
      h =
          h.with(
              e.getKey(),
              (name, z) -> {
                NDArray shift = z.getManager().create(d, new Shape(heads, dHead));
                long t = z.getShape().get(1); // z is [batch, positions, heads, d_head]
                int first = lastOnly ? (int) t - 1 : from;
                if (first <= 0) {
                  return z.add(shift);
                }
                float[] mask = new float[(int) t];
                for (int p = first; p < t; p++) {
                  mask[p] = 1;
                }
                return z.add(z.getManager().create(mask, new Shape(t, 1, 1)).mul(shift));
              });
    }
    return h;
  }

  /**
   * Folds the shifts into {@code model}'s attention output biases: adding {@code delta} to z adds
   * {@code delta x W_O} after the projection, at every position, exactly as the hook does.
   */
  public void bake(Transformer model) {
    checkFits(model.config());
    for (int l = 0; l < layers; l++) {
      float[] delta = delta(l);
      boolean any = false;
      for (float v : delta) {
        any |= v != 0;
      }
      if (!any) {
        continue;
      }
      float[] wo = model.parameters().get("blocks." + l + ".attn.W_O").toFloatArray(); // [d, d]
      int d = model.config().dModel();
      float[] bias = new float[d];
      for (int i = 0; i < d; i++) {
        if (delta[i] != 0) {
          for (int j = 0; j < d; j++) {
            bias[j] += delta[i] * wo[i * d + j];
          }
        }
      }
      model.setAttentionOutputBias(l, bias);
    }
  }

  /** Removes baked-in shifts from {@code model}. */
  public static void unbake(Transformer model) {
    for (int l = 0; l < model.config().layers(); l++) {
      model.setAttentionOutputBias(l, null);
    }
  }

  /** Refuses a model of another shape than the one this was fitted on. */
  public void checkFits(ModelConfig config) {
    if (config.layers() != layers || config.heads() != heads || config.dHead() != dHead) {
      throw new BadInputException(
          "this intervention was fitted on a model of "
              + layers
              + " layers x "
              + heads
              + " heads x d_head "
              + dHead
              + " ("
              + model
              + "), not "
              + config.layers()
              + " x "
              + config.heads()
              + " x "
              + config.dHead());
    }
  }

  /** Saves as {@code intervention.json} (what and where) plus {@code directions.safetensors}. */
  public void save(Path dir) {
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    List<Map<String, Object>> heads = new ArrayList<>();
    for (Shift s : shifts) {
      String key = "L" + s.layer() + "H" + s.head();
      tensors.put(key, SafeTensors.Tensor.f32(new long[] {s.direction().length}, s.direction()));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("layer", s.layer());
      m.put("head", s.head());
      m.put("sigma", s.sigma());
      m.put("tensor", key);
      heads.add(m);
    }
    SafeTensors.write(
        dir.resolve("directions.safetensors"), tensors, Map.of("antidote.model", model));
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", "antidote-intervention/1");
    meta.put("model", model);
    meta.put("layers", layers);
    meta.put("heads", this.heads);
    meta.put("dHead", dHead);
    meta.put("alpha", alpha);
    meta.put("shifts", heads);
    Json.write(dir.resolve("intervention.json"), meta);
  }

  /** Loads what {@link #save} wrote. */
  @SuppressWarnings("unchecked")
  public static Intervention load(Path dir) {
    Path f = dir.resolve("intervention.json");
    if (!Files.isRegularFile(f)) {
      throw new BadInputException(dir + ": no intervention.json");
    }
    Map<String, Object> meta = Json.read(f, Map.class);
    Map<String, SafeTensors.Tensor> tensors =
        SafeTensors.read(dir.resolve("directions.safetensors")).tensors();
    List<Shift> shifts = new ArrayList<>();
    for (Map<String, Object> h : (List<Map<String, Object>>) meta.get("shifts")) {
      shifts.add(
          new Shift(
              ((Number) h.get("layer")).intValue(),
              ((Number) h.get("head")).intValue(),
              tensors.get((String) h.get("tensor")).floats(),
              ((Number) h.get("sigma")).doubleValue()));
    }
    return new Intervention(
        (String) meta.get("model"),
        ((Number) meta.get("layers")).intValue(),
        ((Number) meta.get("heads")).intValue(),
        ((Number) meta.get("dHead")).intValue(),
        ((Number) meta.get("alpha")).doubleValue(),
        shifts);
  }
}
