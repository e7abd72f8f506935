package org.antidote.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.antidote.io.BadInputException;
import org.antidote.model.ModelConfig;
import org.antidote.model.Transformer;
import org.junit.jupiter.api.Test;

/**
 * DPO on a tiny random model: "clean" continuations (tokens 10-19) preferred over "toxic" ones
 * (20-29).
 */
class DpoTest {

  static final ModelConfig CONFIG =
      new ModelConfig(2, 2, 16, 32, 24, 40, 10_000, ModelConfig.Norm.RMS_NORM, false, 0.05);

  private static List<Dpo.Pair> pairs(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Dpo.Pair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] prompt = new int[3 + r.nextInt(4)];
      for (int j = 0; j < prompt.length; j++) {
        prompt[j] = 30 + r.nextInt(10);
      }
      int[] good = new int[4];
      int[] bad = new int[4];
      for (int j = 0; j < 4; j++) {
        good[j] = 10 + r.nextInt(10);
        bad[j] = 20 + r.nextInt(10);
      }
      out.add(new Dpo.Pair(prompt, good, bad));
    }
    return out;
  }

  @Test
  void dpoLowersTheRejectedOverPreferredLogRatioAlsoOnHeldOutPrompts() {
    List<Dpo.Pair> train = pairs(32, 1);
    List<Dpo.Pair> heldOut = pairs(16, 2);
    try (Transformer model = Transformer.create(CONFIG, 7, Device.cpu())) {
      double heldBefore = Dpo.logRatio(model, heldOut);
      Dpo.Config config = new Dpo.Config(0.5, 30, 4, 3e-3, 1);
      Dpo.Result r = Dpo.train(model, train, config, TrainConfig.defaults(CONFIG, 30));
      double heldAfter = Dpo.logRatio(model, heldOut);
      assertEquals(32, r.pairs());
      assertEquals(30, r.losses().size());
      assertTrue(
          r.logRatioAfter() < r.logRatioBefore() - 2,
          "training pairs: " + r.logRatioBefore() + " -> " + r.logRatioAfter());
      assertTrue(heldAfter < heldBefore - 2, "held-out pairs: " + heldBefore + " -> " + heldAfter);
      // At the start the policy is the reference: the loss is log 2 exactly, then it falls.
      assertEquals(Math.log(2), r.losses().get(0), 1e-4);
      assertTrue(r.losses().get(29) < 0.5 * Math.log(2), "loss " + r.losses());
    }
  }

  @Test
  void dpoFromTheSameStartEndsWithTheSameWeights() {
    // Constants in the loss were once Numbers, which DJL frees before backward reads them: the
    // demo's DPO from the same weights then ended in different places from run to run.
    List<Dpo.Pair> train = pairs(32, 1);
    Dpo.Config config = new Dpo.Config(0.5, 20, 4, 3e-3, 1);
    List<Double> after = new ArrayList<>();
    for (int run = 0; run < 3; run++) {
      try (Transformer model = Transformer.create(CONFIG, 7, Device.cpu())) {
        Dpo.Result r = Dpo.train(model, train, config, TrainConfig.defaults(CONFIG, 20));
        after.add(r.logRatioAfter());
        // Other work in between reuses freed memory, as the evaluation's generation does.
        for (int i = 0; i < 20; i++) {
          float[] junk = model.manager().create(new float[4096]).add(1e9f).toFloatArray();
          assertEquals(1e9f, junk[0]);
        }
      }
    }
    assertEquals(after.get(0), after.get(1), "run 2: " + after);
    assertEquals(after.get(0), after.get(2), "run 3: " + after);
  }

  @Test
  void badSettingsAndPairsAreRefused() {
    assertThrows(BadInputException.class, () -> new Dpo.Config(0, 10, 8, 1e-4, 1));
    assertThrows(
        BadInputException.class, () -> new Dpo.Pair(new int[0], new int[] {1}, new int[] {2}));
    try (Transformer model = Transformer.create(CONFIG, 7, Device.cpu())) {
      int[] longPrompt = new int[30];
      BadInputException e =
          assertThrows(
              BadInputException.class,
              () ->
                  Dpo.train(
                      model,
                      List.of(new Dpo.Pair(longPrompt, new int[] {1}, new int[] {2})),
                      Dpo.Config.defaults(1),
                      TrainConfig.defaults(CONFIG, 1)));
      assertTrue(e.getMessage().contains("context of 24"), e.getMessage());
    }
  }
}
