package org.antidote.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.antidote.io.BadInputException;
import org.antidote.math.Vectors;
import org.antidote.probe.ProbeConfig;
import org.junit.jupiter.api.Test;

class ToyEntanglementTest {

  @Test
  void orthogonalDirectionsAreNotEntangled() {
    double[][] basis = {{1, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 0.5, 0}, {0, 0, 0, 3}};
    assertArrayEquals(new double[] {0, 0, 0, 0}, Entanglement.of(basis), 0);
  }

  @Test
  void identicalAndOppositeDirectionsAreFullyEntangled() {
    double[][] v = {{1, 2, 3}, {2, 4, 6}, {-1, -2, -3}, {0, 0, 1}};
    double[] e = Entanglement.of(v);
    assertEquals(1, e[0], 1e-15);
    assertEquals(1, e[1], 1e-15);
    assertEquals(1, e[2], 1e-15);
    assertEquals(3 / Math.sqrt(14), e[3], 1e-15);
  }

  @Test
  void aTightFrameMeetsTheWelchBound() {
    // Three unit vectors 120 degrees apart in the plane: |cos| = 1/2 = sqrt((3-2)/((3-1)*2)).
    double[][] mercedes = new double[3][];
    for (int i = 0; i < 3; i++) {
      double a = 2 * Math.PI * i / 3;
      mercedes[i] = new double[] {Math.cos(a), Math.sin(a)};
    }
    assertEquals(0.5, Entanglement.welchBound(3, 2), 1e-15);
    for (double e : Entanglement.of(mercedes)) {
      assertEquals(Entanglement.welchBound(3, 2), e, 1e-12);
    }
    // The regular tetrahedron in 3 dimensions: |cos| = 1/3 = sqrt((4-3)/((4-1)*3)).
    double[][] tetra = {{1, 1, 1}, {1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}};
    assertEquals(1.0 / 3, Entanglement.welchBound(4, 3), 1e-15);
    for (double e : Entanglement.of(tetra)) {
      assertEquals(1.0 / 3, e, 1e-12);
    }
  }

  @Test
  void welchBoundOfThePapersShape() {
    assertEquals(Math.sqrt(8.0 / 44), Entanglement.welchBound(12, 4), 1e-15);
    assertEquals(0.4264, Entanglement.welchBound(12, 4), 1e-4);
    assertEquals(0, Entanglement.welchBound(3, 4));
  }

  @Test
  void randomDirectionsNeverBeatTheBound() {
    SplittableRandom rng = new SplittableRandom(7);
    for (int trial = 0; trial < 50; trial++) {
      double[][] v = new double[12][4];
      for (double[] row : v) {
        for (int k = 0; k < 4; k++) {
          row[k] = rng.nextDouble() - 0.5;
        }
      }
      double max = Arrays.stream(Entanglement.of(v)).max().orElseThrow();
      assertTrue(max >= Entanglement.welchBound(12, 4) - 1e-12, "max entanglement " + max);
    }
  }

  @Test
  void aZeroDirectionIsRefused() {
    BadInputException e =
        assertThrows(
            BadInputException.class, () -> Entanglement.of(new double[][] {{1, 0}, {0, 0}}));
    assertTrue(e.getMessage().contains("direction 1 has norm 0"), e.getMessage());
  }

  @Test
  void theProbeFindsASeparatingNormal() {
    // Two clouds split along (1, 1) / sqrt(2), plus noise along the orthogonal axis.
    SplittableRandom rng = new SplittableRandom(3);
    double[][] x = new double[400][];
    int[] y = new int[400];
    for (int i = 0; i < 400; i++) {
      y[i] = i % 2 == 0 ? 1 : 0;
      double along = (y[i] == 1 ? 1 : -1) + 0.3 * (rng.nextDouble() - 0.5);
      double across = 3 * (rng.nextDouble() - 0.5);
      x[i] =
          new double[] {(along + across) / Math.sqrt(2) + 5, (along - across) / Math.sqrt(2) - 2};
    }
    FeatureReading.Probe p = FeatureReading.probe(x, y, ProbeConfig.defaults());
    assertEquals(1.0, p.accuracy());
    assertTrue(
        Vectors.cosine(p.normal(), new double[] {1, 1}) > 0.99,
        "normal " + p.normal()[0] + ", " + p.normal()[1]);
  }
}
