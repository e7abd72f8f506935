package org.antidote.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VectorsTest {

  @Test
  void dotNormAndCosineOfKnownVectors() {
    assertEquals(32, Vectors.dot(new double[] {1, 2, 3}, new double[] {4, 5, 6}));
    assertEquals(32, Vectors.dot(new float[] {1, 2, 3}, new float[] {4, 5, 6}));
    assertEquals(5, Vectors.norm(new double[] {3, 4}));
    assertEquals(5, Vectors.norm(new float[] {3, 4}));
    assertEquals(0, Vectors.cosine(new double[] {1, 0}, new double[] {0, 2}), 1e-15);
    assertEquals(-1, Vectors.cosine(new double[] {1, 2}, new double[] {-2, -4}), 1e-15);
    assertEquals(1 / Math.sqrt(2), Vectors.cosine(new float[] {1, 0}, new float[] {3, 3}), 1e-7);
    // A zero vector has no angle: its cosine with anything is 0 rather than NaN.
    assertEquals(0, Vectors.cosine(new double[] {0, 0}, new double[] {1, 1}));
    assertEquals(0, Vectors.cosine(new float[] {1, 1}, new float[] {0, 0}));
  }

  @Test
  void floatVectorsAreSummedInDouble() {
    // 2^24 + 1 ones: a float sum stops at 2^24, a double one does not.
    float[] ones = new float[(1 << 24) + 1];
    Arrays.fill(ones, 1f);
    assertEquals((1 << 24) + 1, Vectors.dot(ones, ones));
  }

  @Test
  void unitAndNormaliseGiveLengthOneAndRefuseZero() {
    double[] v = {3, 0, 4};
    assertArrayEquals(new double[] {0.6, 0, 0.8}, Vectors.unit(v), 1e-15);
    assertArrayEquals(new double[] {3, 0, 4}, v, 0, "unit leaves its argument alone");
    float[] f = {0, 5, 12};
    assertTrue(Vectors.normalise(f) == f, "normalise works in place");
    assertArrayEquals(new float[] {0, 5 / 13f, 12 / 13f}, f, 1e-7f);
    assertThrows(IllegalStateException.class, () -> Vectors.unit(new double[] {0, 0}));
    assertThrows(IllegalStateException.class, () -> Vectors.normalise(new float[3]));
    assertThrows(IllegalStateException.class, () -> Vectors.unit(new double[] {Double.NaN, 1}));
  }

  @Test
  void minusAndMismatchedLengths() {
    assertArrayEquals(
        new float[] {-1, 1}, Vectors.minus(new float[] {1, 3}, new float[] {2, 2}), 0f);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> Vectors.dot(new double[] {1, 2}, new double[] {1, 2, 3}));
    assertTrue(e.getMessage().contains("different lengths: 2 and 3"), e.getMessage());
    assertThrows(
        IllegalStateException.class, () -> Vectors.minus(new float[] {1}, new float[] {1, 2}));
  }
}
