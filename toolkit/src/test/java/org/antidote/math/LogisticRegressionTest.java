package org.antidote.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.antidote.io.BadInputException;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {

  static final int P = 5;
  static final int N = 400;
  static final int D = 6;

  /**
   * P problems on N shared labels; problem p carries a signal of strength p along its own
   * direction.
   */
  static float[] features(float[] y, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < N; i++) {
      y[i] = r.nextInt(2);
    }
    float[] x = new float[P * N * D];
    for (int p = 0; p < P; p++) {
      for (int i = 0; i < N; i++) {
        for (int k = 0; k < D; k++) {
          double signal = k == p % D ? 0.8 * p * (y[i] == 1 ? 1 : -1) : 0;
          x[(p * N + i) * D + k] = (float) (r.nextGaussian() + signal + (k == 0 ? 0.3 : 0));
        }
      }
    }
    return x;
  }

  /** The penalised gradient, in double precision, of problem p at (w, b): zero at the optimum. */
  static double gradientNorm(
      float[] x, float[] y, float[] sw, double l2, int p, float[] w, float b) {
    double[] g = new double[D + 1];
    for (int i = 0; i < N; i++) {
      double z = b;
      for (int k = 0; k < D; k++) {
        z += w[k] * x[(p * N + i) * D + k];
      }
      double res = (1 / (1 + Math.exp(-z)) - y[i]) * (sw == null ? 1 : sw[i]) / N;
      for (int k = 0; k < D; k++) {
        g[k] += res * x[(p * N + i) * D + k];
      }
      g[D] += res;
    }
    double norm = 0;
    for (int k = 0; k <= D; k++) {
      double gk = g[k] + (k < D ? l2 * w[k] : 0);
      norm += gk * gk;
    }
    return Math.sqrt(norm);
  }

  @Test
  void everyProblemReachesItsOwnOptimumWithAndWithoutSampleWeights() {
    float[] y = new float[N];
    float[] x = features(y, 1);
    float[] sw = new float[N];
    for (int i = 0; i < N; i++) {
      sw[i] = y[i] == 1 ? 1.5f : 0.5f;
    }
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      for (float[] weights : new float[][] {null, sw}) {
        LogisticRegression.Fit fit =
            LogisticRegression.fit(m.create(x, new Shape(P, N, D)), y, weights, 0.01, 50, 1e-6);
        assertTrue(fit.iterations() < 20, "Newton took " + fit.iterations() + " steps");
        for (int p = 0; p < P; p++) {
          double g = gradientNorm(x, y, weights, 0.01, p, fit.weights(p), fit.bias()[p]);
          assertTrue(
              g < 1e-5, "problem " + p + ": gradient norm " + g + " at the returned solution");
        }
        // Weights follow the planted signal: the largest on the strongest, none without one.
        assertTrue(
            Math.abs(fit.weights(4)[4]) > Math.abs(fit.weights(1)[1])
                && Math.abs(fit.weights(1)[1]) > 1,
            fit.weights(4)[4] + " vs " + fit.weights(1)[1]);
        for (float w0 : fit.weights(0)) {
          assertTrue(Math.abs(w0) < 0.3, "problem 0 has no signal, yet weight " + w0);
        }
      }
    }
  }

  @Test
  void aProblemFittedInABatchEqualsItFittedAlone() {
    float[] y = new float[N];
    float[] x = features(y, 2);
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      LogisticRegression.Fit all =
          LogisticRegression.fit(m.create(x, new Shape(P, N, D)), y, null, 0.05, 50, 1e-6);
      for (int p = 0; p < P; p++) {
        float[] one = new float[N * D];
        System.arraycopy(x, p * N * D, one, 0, N * D);
        LogisticRegression.Fit alone =
            LogisticRegression.fit(m.create(one, new Shape(1, N, D)), y, null, 0.05, 50, 1e-6);
        for (int k = 0; k < D; k++) {
          assertEquals(
              alone.weights(0)[k], all.weights(p)[k], 1e-4, "problem " + p + " weight " + k);
        }
        assertEquals(alone.bias()[0], all.bias()[p], 1e-4);
      }
    }
  }

  @Test
  void aPathOfPenaltiesOnSharedFeaturesEqualsSeparateFitsAndShrinksTheWeights() {
    float[] y = new float[N];
    float[] x = features(y, 3);
    float[] last = new float[N * D];
    System.arraycopy(x, (P - 1) * N * D, last, 0, N * D);
    double[] grid = {1e-3, 1e-1, 1.0};
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      LogisticRegression.Fit path =
          LogisticRegression.fit(m.create(last, new Shape(1, N, D)), y, null, grid, 50, 1e-6);
      assertEquals(grid.length, path.problems());
      double previous = Double.POSITIVE_INFINITY;
      for (int g = 0; g < grid.length; g++) {
        LogisticRegression.Fit alone =
            LogisticRegression.fit(m.create(last, new Shape(1, N, D)), y, null, grid[g], 50, 1e-6);
        double norm = 0;
        for (int k = 0; k < D; k++) {
          assertEquals(
              alone.weights(0)[k], path.weights(g)[k], 1e-4, "penalty " + grid[g] + " weight " + k);
          norm += path.weights(g)[k] * path.weights(g)[k];
        }
        assertTrue(norm < previous, "a stronger penalty gives smaller weights");
        previous = norm;
      }
    }
  }

  /**
   * Above 128 features MKL's batched inverse fails under the tests' MKL_CBWR setting; the solver
   * must not.
   */
  @Test
  void wideProblemsInABatchEqualTheirSeparateFits() {
    int n = 300;
    int d = 150;
    SplittableRandom r = new SplittableRandom(4);
    float[] y = new float[n];
    float[] x = new float[2 * n * d];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(2);
    }
    for (int k = 0; k < x.length; k++) {
      x[k] = (float) (r.nextGaussian() + (k % d == 0 ? y[k / d % n] - 0.5 : 0));
    }
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      LogisticRegression.Fit both =
          LogisticRegression.fit(m.create(x, new Shape(2, n, d)), y, null, 0.1, 50, 1e-6);
      float[] second = new float[n * d];
      System.arraycopy(x, n * d, second, 0, n * d);
      LogisticRegression.Fit alone =
          LogisticRegression.fit(m.create(second, new Shape(1, n, d)), y, null, 0.1, 50, 1e-6);
      for (int k = 0; k < d; k++) {
        assertEquals(alone.weights(0)[k], both.weights(1)[k], 1e-4, "weight " + k);
      }
      assertTrue(both.weights(1)[0] > 0.3, "the planted feature's weight " + both.weights(1)[0]);
    }
  }

  @Test
  void separableDataStaysFinite() {
    float[] y = new float[N];
    float[] x = new float[N * D];
    for (int i = 0; i < N; i++) {
      y[i] = i % 2;
      x[i * D] = y[i] == 1 ? 3 : -3;
    }
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      LogisticRegression.Fit fit =
          LogisticRegression.fit(m.create(x, new Shape(1, N, D)), y, null, 1e-3, 50, 1e-6);
      assertTrue(
          Float.isFinite(fit.weights(0)[0]) && fit.weights(0)[0] > 1,
          "weight " + fit.weights(0)[0]);
      assertTrue(Float.isFinite(fit.bias()[0]));
    }
  }

  @Test
  void mismatchedShapesAreRefused() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      assertThrows(
          IllegalStateException.class,
          () ->
              LogisticRegression.fit(
                  m.zeros(new Shape(2, 10, 3)), new float[9], null, 0.1, 5, 1e-6));
      assertThrows(
          BadInputException.class,
          () ->
              LogisticRegression.fit(
                  m.zeros(new Shape(2, 10, 3)), new float[10], null, 0, 5, 1e-6));
    }
  }
}
