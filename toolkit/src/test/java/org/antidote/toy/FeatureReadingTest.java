package org.antidote.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.antidote.math.Numerics;
import org.antidote.math.Stats;
import org.antidote.math.Vectors;
import org.junit.jupiter.api.Test;

/**
 * The paper's reading recovers a planted geometry: residuals are a feature's planted vector plus
 * noise and a per-context offset; the reading's directions must point along the planted vectors and
 * give the planted entanglement. Planted shapes are symmetric about each vector (a one-vs-rest
 * probe's normal then points along it): a regular simplex and an icosahedron.
 */
class FeatureReadingTest {

  @Test
  void aRegularSimplexIsRecoveredWithItsLowEntanglement() {
    // 12 vertices of a regular simplex in 11 dimensions: every pairwise cosine is -1/11.
    double[][] u = new double[12][11];
    for (int i = 0; i < 12; i++) {
      for (int k = 0; k < 12; k++) {
        double c = (i == k ? 1 : 0) - 1.0 / 12;
        if (k < 11) {
          u[i][k] = c;
        }
      }
    }
    // Coordinates of e_i - centroid in the 12-dim space, dropped to 11 with a basis of the sum-zero
    // hyperplane.
    u = sumZeroBasis(u);
    FeatureReading.Result r = read(u, 1, 0.3);
    double[] e = Entanglement.of(r.directions());
    for (int i = 0; i < 12; i++) {
      assertTrue(Vectors.cosine(r.directions()[i], u[i]) > 0.97, "feature " + i);
      assertEquals(1.0 / 11, e[i], 0.05, "E of feature " + i);
    }
    assertTrue(r.accuracy() > 0.9, "probe accuracy " + r.accuracy());
    Stats.Interval chance = FeatureReading.randomBaseline(12, 11, 200, 1);
    assertTrue(
        Stats.mean(e) < chance.low() - 0.2,
        "planted " + Stats.mean(e) + " vs chance " + chance.format(3));
  }

  @Test
  void anIcosahedronIsRecoveredWithItsAntipodesAndFifths() {
    double phi = (1 + Math.sqrt(5)) / 2;
    List<double[]> v = new ArrayList<>();
    for (int a : new int[] {-1, 1}) {
      for (int b : new int[] {-1, 1}) {
        v.add(new double[] {0, a, b * phi, 0});
        v.add(new double[] {a, b * phi, 0, 0});
        v.add(new double[] {b * phi, 0, a, 0});
      }
    }
    double[][] u = v.toArray(new double[0][]);
    // Noise wide enough that neighbours overlap: on separable data a probe's normal follows its few
    // nearest points.
    FeatureReading.Result r = read(u, 2, 1.0);
    double[] e = Entanglement.of(r.directions());
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < 12; i++) {
      assertTrue(Vectors.cosine(r.directions()[i], u[i]) > 0.97, "feature " + i);
      assertEquals(1.0, e[i], 0.05, "each vertex has its antipode");
      for (int j = 0; j < 12; j++) {
        double planted = Vectors.cosine(u[i], u[j]);
        if (i != j && Math.abs(planted) < 0.9) {
          double got = Math.abs(Vectors.cosine(r.directions()[i], r.directions()[j]));
          // One pair moves with both probes' sampling error; the geometry shows in the mean over
          // the 60 pairs.
          assertEquals(Math.abs(planted), got, 0.15, "features " + i + ", " + j);
          sum += got;
          pairs++;
        }
      }
    }
    assertEquals(
        1 / Math.sqrt(5), sum / pairs, 0.04, "mean |cos| of neighbours and next-neighbours");
  }

  @Test
  void twelveRandomDirectionsInFourDimensionsAreAlreadyEntangled() {
    // The figure: 12 random unit vectors in 4 dimensions give a mean max |cos| of about
    // 0.84.
    Stats.Interval chance = FeatureReading.randomBaseline(12, 4, 400, 3);
    assertEquals(0.84, chance.estimate(), 0.03);
    assertTrue(chance.high() - chance.low() < 0.03);
    assertTrue(
        chance.low() > Entanglement.welchBound(12, 4) + 0.3,
        "chance lies far above the Welch bound");
  }

  /** Four context groups, 40 rows per feature each: offset_g + 3 u_f / |u_f| + N(0, noise^2). */
  private static FeatureReading.Result read(double[][] u, long seed, double noise) {
    SplittableRandom rng = new SplittableRandom(seed);
    int d = u[0].length;
    List<double[][]> x = new ArrayList<>();
    List<int[]> labels = new ArrayList<>();
    for (int g = 0; g < 4; g++) {
      double[] offset = new double[d];
      for (int k = 0; k < d; k++) {
        offset[k] = 2 * Numerics.gaussian(rng);
      }
      int n = 40 * u.length;
      double[][] rows = new double[n][d];
      int[] f = new int[n];
      for (int i = 0; i < n; i++) {
        f[i] = i % u.length;
        double norm = Vectors.norm(u[f[i]]);
        for (int k = 0; k < d; k++) {
          rows[i][k] = offset[k] + 3 * u[f[i]][k] / norm + noise * Numerics.gaussian(rng);
        }
      }
      x.add(rows);
      labels.add(f);
    }
    return FeatureReading.directions(x, labels, u.length, seed);
  }

  /**
   * Rows of {@code u} (12 x 12 sum-zero vectors, first 11 coordinates given) in an orthonormal
   * basis of their span.
   */
  private static double[][] sumZeroBasis(double[][] first11) {
    int n = 12;
    double[][] full = new double[n][n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < 11; k++) {
        full[i][k] = first11[i][k];
        s += first11[i][k];
      }
      full[i][11] = -s;
    }
    // Gram-Schmidt on the vectors e_k - e_{k+1}, which span the sum-zero hyperplane.
    double[][] basis = new double[n - 1][];
    for (int b = 0; b < n - 1; b++) {
      double[] w = new double[n];
      w[b] = 1;
      w[b + 1] = -1;
      for (int c = 0; c < b; c++) {
        double p = Vectors.dot(w, basis[c]);
        for (int k = 0; k < n; k++) {
          w[k] -= p * basis[c][k];
        }
      }
      double norm = Vectors.norm(w);
      for (int k = 0; k < n; k++) {
        w[k] /= norm;
      }
      basis[b] = w;
    }
    double[][] out = new double[n][n - 1];
    for (int i = 0; i < n; i++) {
      for (int b = 0; b < n - 1; b++) {
        out[i][b] = Vectors.dot(full[i], basis[b]);
      }
    }
    return out;
  }
}
