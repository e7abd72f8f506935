package org.antidote.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.antidote.io.BadInputException;
import org.junit.jupiter.api.Test;

class NumericsTest {

  @Test
  void gaussianDrawsHaveUnitMomentsAndRepeatPerSeed() {
    SplittableRandom rng = new SplittableRandom(7);
    int n = 200_000;
    double sum = 0;
    double sumSq = 0;
    int beyond2 = 0;
    for (int i = 0; i < n; i++) {
      double g = Numerics.gaussian(rng);
      sum += g;
      sumSq += g * g;
      beyond2 += Math.abs(g) > 2 ? 1 : 0;
    }
    double mean = sum / n;
    assertEquals(0, mean, 0.01);
    assertEquals(1, sumSq / n - mean * mean, 0.01);
    assertEquals(0.0455, (double) beyond2 / n, 0.003, "share of |z| > 2 under the standard normal");
    assertEquals(
        Numerics.gaussian(new SplittableRandom(3)), Numerics.gaussian(new SplittableRandom(3)));
  }

  @Test
  void sigmoidIsSymmetricAndNeverOverflows() {
    assertEquals(0.5, Numerics.sigmoid(0));
    assertEquals(1 / (1 + Math.exp(-1.5)), Numerics.sigmoid(1.5), 1e-15);
    assertEquals(1, Numerics.sigmoid(3) + Numerics.sigmoid(-3), 1e-15);
    assertEquals(1.0, Numerics.sigmoid(1000));
    assertEquals(0.0, Numerics.sigmoid(-1000));
  }

  @Test
  void softmaxNormalisesSharpensWithLowTemperatureAndSurvivesHugeLogits() {
    double[] p = Numerics.softmax(new float[] {1, 2, 3}, 1);
    double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    assertEquals(Math.exp(3) / z, p[2], 1e-12);
    assertEquals(1, p[0] + p[1] + p[2], 1e-12);
    assertTrue(Numerics.softmax(new float[] {1, 2, 3}, 0.1)[2] > 0.99);
    double[] huge = Numerics.softmax(new float[] {1e30f, 1e30f}, 1);
    assertEquals(0.5, huge[0], 1e-12);
    assertThrows(BadInputException.class, () -> Numerics.softmax(new float[] {1}, 0));
  }

  @Test
  void roundKeepsTheGivenDecimalsAsTheTablesDidByHand() {
    assertEquals(0.123, Numerics.round(0.12345, 3));
    assertEquals(0.1235, Numerics.round(0.12345, 4));
    assertEquals(-2.5, Numerics.round(-2.54, 1));
    assertEquals(3, Numerics.round(2.5, 0));
    // The same bits as the Math.round(v * 1000) / 1000.0 it replaces, over many values.
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 10_000; i++) {
      double v = (rng.nextDouble() - 0.5) * 200;
      assertEquals(Math.round(v * 1000) / 1000.0, Numerics.round(v, 3));
      assertEquals(Math.round(v * 10000) / 10000.0, Numerics.round(v, 4));
      assertEquals(Math.round(v * 100) / 100.0, Numerics.round(v, 2));
    }
  }
}
