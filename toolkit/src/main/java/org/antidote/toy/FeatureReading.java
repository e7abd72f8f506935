package org.antidote.toy;

import java.util.List;
import java.util.SplittableRandom;
import org.antidote.math.Numerics;
import org.antidote.math.Stats;
import org.antidote.probe.Activations;
import org.antidote.probe.ProbeConfig;
import org.antidote.probe.ProbeResult;
import org.antidote.probe.Probes;

/**
 * The paper's reading of the toy: each of the {@code chains x vocab} features (chain, current
 * token) gets a logistic probe against the other features on the residual stream at the last
 * position; one such probe is fitted per context token (the token before the last, so every feature
 * occurs in every group), and a feature's direction is the mean of its unit normals over the
 * vocabulary. The probes are the probe package's (L2 logistic regression by Newton's method).
 */
public final class FeatureReading {

  private FeatureReading() {}

  /**
   * Feature directions [features][d] (means of unit normals) and the probes' mean validation
   * accuracy.
   */
  public record Result(double[][] directions, double accuracy) {}

  /**
   * Feature directions from residuals grouped by context token: {@code x.get(g)} holds group g's
   * rows [n][d] and {@code feature.get(g)} each row's feature; each group must hold every feature
   * often enough for a 4:1 split to hold 5 of it on each side. Directions are means of unit normals
   * (not renormalised).
   */
  public static Result directions(
      List<double[][]> x, List<int[]> feature, int features, long seed) {
    if (x.isEmpty() || x.size() != feature.size()) {
      throw new IllegalArgumentException(
          "feature reading needs one label array per group of residuals");
    }
    int d = x.get(0)[0].length;
    double[][] mean = new double[features][d];
    double accuracy = 0;
    for (int g = 0; g < x.size(); g++) {
      double[][] rows = x.get(g);
      float[] z = new float[rows.length * d];
      for (int i = 0; i < rows.length; i++) {
        for (int k = 0; k < d; k++) {
          z[i * d + k] = (float) rows[i][k];
        }
      }
      for (int f = 0; f < features; f++) {
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
          labels[i] = feature.get(g)[i] == f ? 1 : 0;
        }
        ProbeResult p =
            Probes.fit(
                Activations.of(1, 1, d, z, labels, null),
                ProbeConfig.defaults().withSeed(seed + g));
        float[] w = p.weights()[0];
        accuracy += p.accuracy()[0] / (features * x.size());
        double norm = 0;
        for (float v : w) {
          norm += v * (double) v;
        }
        if (!(norm > 0)) {
          throw new IllegalStateException(
              "the probe for feature " + f + " in group " + g + " has a zero normal");
        }
        for (int k = 0; k < d; k++) {
          mean[f][k] += w[k] / Math.sqrt(norm) / x.size();
        }
      }
    }
    return new Result(mean, accuracy);
  }

  /**
   * Where chance lies: the mean entanglement E of {@code n} uniformly random unit vectors in {@code
   * m} dimensions, with its 95 % interval over {@code draws} seeded draws.
   */
  public static Stats.Interval randomBaseline(int n, int m, int draws, long seed) {
    if (draws < 2) {
      throw new IllegalArgumentException(
          "the random baseline needs at least 2 draws, got " + draws);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    double[] means = new double[draws];
    for (int r = 0; r < draws; r++) {
      double[][] v = new double[n][m];
      for (double[] row : v) {
        for (int k = 0; k < m; k++) {
          row[k] = Numerics.gaussian(rng); // a normalised Gaussian vector is uniform on the sphere
        }
      }
      means[r] = Stats.mean(Entanglement.of(v));
    }
    return Stats.meanInterval(means);
  }
}
