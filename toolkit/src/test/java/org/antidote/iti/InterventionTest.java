package org.antidote.iti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.antidote.io.BadInputException;
import org.antidote.model.ModelConfig;
import org.antidote.model.Transformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterventionTest {

  static final ModelConfig CONFIG =
      new ModelConfig(3, 4, 32, 48, 32, 97, 10_000, ModelConfig.Norm.LAYER_NORM, true, 0.05);

  @TempDir Path tmp;

  static Intervention random(long seed, double alpha) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Intervention.Shift> shifts = new ArrayList<>();
    for (int[] lh : new int[][] {{0, 1}, {2, 3}, {2, 0}}) {
      float[] d = new float[8];
      for (int i = 0; i < 8; i++) {
        d[i] = (float) (r.nextDouble() - 0.5);
      }
      shifts.add(new Intervention.Shift(lh[0], lh[1], d, 0.7 + r.nextDouble()));
    }
    return new Intervention("test", 3, 4, 8, alpha, shifts);
  }

  @Test
  void bakedAndHookedInterventionsGiveTheSameLogits() {
    Intervention iti = random(1, 5);
    try (Transformer model = Transformer.create(CONFIG, 3, Device.cpu());
        NDManager m = model.manager().newSubManager()) {
      long[] ids = {5, 9, 2, 77, 31, 8, 40, 12};
      var x = m.create(ids, new Shape(2, 4));
      float[] plain = model.forward(x).toFloatArray();
      float[] hooked = model.forward(x, iti.hooks()).toFloatArray();
      iti.bake(model);
      float[] baked = model.forward(x).toFloatArray();
      double maxDiff = 0;
      double moved = 0;
      for (int i = 0; i < plain.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(hooked[i] - baked[i]));
        moved = Math.max(moved, Math.abs(hooked[i] - plain[i]));
      }
      assertTrue(maxDiff < 1e-5, "baked and hooked differ by " + maxDiff);
      assertTrue(moved > 1e-3, "the intervention changed nothing");
      Intervention.unbake(model);
      assertArrayEquals(plain, model.forward(x).toFloatArray());
    }
  }

  @Test
  void saveLoadRoundTrip() {
    Intervention iti = random(2, 8);
    iti.save(tmp);
    Intervention back = Intervention.load(tmp);
    assertEquals(iti.alpha(), back.alpha());
    assertEquals(iti.model(), back.model());
    for (int i = 0; i < iti.shifts().size(); i++) {
      assertArrayEquals(iti.shifts().get(i).direction(), back.shifts().get(i).direction());
      assertEquals(iti.shifts().get(i).sigma(), back.shifts().get(i).sigma());
    }
    assertArrayEquals(iti.delta(2), back.delta(2));
  }

  @Test
  void aModelOfAnotherShapeIsRefused() {
    try (Transformer other =
            Transformer.create(CONFIG.withVocab(50).withContext(16), 1, Device.cpu());
        Transformer wider =
            Transformer.create(
                new ModelConfig(
                    3, 2, 32, 48, 32, 97, 10_000, ModelConfig.Norm.LAYER_NORM, true, 0.05),
                1,
                Device.cpu())) {
      random(3, 1).bake(other); // same layers, heads and d_head: fits
      BadInputException e = assertThrows(BadInputException.class, () -> random(3, 1).bake(wider));
      assertTrue(
          e.getMessage().contains("fitted on a model of 3 layers x 4 heads"), e.getMessage());
    }
  }

  @Test
  void negativeOrNaNAlphaIsRefused() {
    assertThrows(BadInputException.class, () -> random(4, -1));
    assertThrows(BadInputException.class, () -> random(4, Double.NaN));
  }
}
