package org.antidote.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Recomputing each block in backward gives the plain path's gradients, bit for bit. */
class CheckpointActivationsTest {

  @Test
  void tinyGradientsAreBitIdentical() {
    same(Preset.TINY.config(64));
  }

  @Test
  void rmsNormUntiedGradientsAreBitIdentical() {
    ModelConfig t = Preset.TINY.config(64);
    same(
        new ModelConfig(
            3,
            t.heads(),
            t.dModel(),
            t.dMlp(),
            32,
            64,
            t.ropeTheta(),
            ModelConfig.Norm.RMS_NORM,
            false,
            t.initStd()));
  }

  private static void same(ModelConfig config) {
    Map<String, float[]> plain = gradients(config, false);
    Map<String, float[]> checkpointed = gradients(config, true);
    assertEquals(plain.keySet(), checkpointed.keySet());
    plain.forEach(
        (name, g) -> {
          assertArrayEquals(g, checkpointed.get(name), name + " differs");
          double sum = 0;
          for (float v : g) {
            sum += Math.abs(v);
          }
          Assertions.assertTrue(sum > 0, name + " got no gradient at all");
        });
  }

  private static Map<String, float[]> gradients(ModelConfig config, boolean checkpointed) {
    try (Transformer model = Transformer.create(config, 5, Devices.cpu());
        NDManager s = model.manager().newSubManager()) {
      SplittableRandom r = new SplittableRandom(9);
      int b = 3;
      int t = config.context();
      long[] x = new long[b * t];
      long[] y = new long[b * t];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextInt(config.vocab());
        y[i] = r.nextInt(config.vocab());
      }
      NDArray scale = s.create(7f);
      float loss =
          model.backward(
              s.create(x, new Shape(b, t)),
              s.create(y, new Shape(b, t)),
              l -> l.mul(scale),
              checkpointed);
      Assertions.assertTrue(Float.isFinite(loss) && loss > 0, "loss " + loss);
      Map<String, float[]> out = new LinkedHashMap<>();
      model
          .parameters()
          .forEach(
              (name, p) -> {
                try (NDArray g = p.getGradient()) {
                  out.put(name, g.toFloatArray());
                }
              });
      return out;
    }
  }
}
