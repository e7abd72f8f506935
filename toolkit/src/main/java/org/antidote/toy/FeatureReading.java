package org.antidote.toy;

import java.util.List;
import java.util.SplittableRandom;
import org.antidote.io.Check;
import org.antidote.math.Numerics;
import org.antidote.math.Stats;
import org.antidote.math.Vectors;
import org.antidote.probe.Activations;
import org.antidote.probe.ProbeConfig;
import org.antidote.probe.ProbeResult;
import org.antidote.probe.Probes;

/**
 * The paper's reading of the toy: each of the {@code chains x vocab} features (chain, current
 * token) gets a logistic probe against the other features on the residual stream at the last
 * position; one such probe is fitted per context token (the token before the last, so every feature
 * occurs in every group), and a feature's direction is the mean of its unit normals over the
 * vocabulary. Every probe of the toy, in either reading, is {@link #probe}: the probe package's (L2
 * logistic regression by Newton's method, {@link org.antidote.math.LogisticRegression}).
 */
public final class FeatureReading {

  private FeatureReading() {}

  /**
   * Feature directions [features][d] (means of unit normals) and the probes' mean validation
   * accuracy.
   */
  public record Result(double[][] directions, double accuracy) {}

  /**
   * One fitted probe.
   *
   * @param normal the unit normal of its decision boundary, in the rows' coordinates, pointing to
   *     the positive class
   * @param accuracy its accuracy on the held-out split
   */
  public record Probe(double[] normal, double accuracy) {}

  /**
   * Fits one probe of {@code labels} (1 positive, 0 negative) on {@code rows} [n][d] with {@code
   * fit}; each class must be large enough for its split to hold {@link ProbeConfig#minPerClass()}
   * of it on each side.
   */
  public static Probe probe(double[][] rows, int[] labels, ProbeConfig fit) {
    Check.input(
        rows.length > 0 && rows.length == labels.length,
        "a probe needs as many labels as rows and at least one, got "
            + rows.length
            + " rows, "
            + labels.length
            + " labels");
    int d = rows[0].length;
    float[] z = new float[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      for (int k = 0; k < d; k++) {
        z[i * d + k] = (float) rows[i][k];
      }
    }
    ProbeResult p = Probes.fit(Activations.of(1, 1, d, z, labels, null), fit);
    float[] w = p.weights()[0];
    double norm = Vectors.norm(w);
    Check.state(norm > 0, "a probe has a zero normal");
    double[] unit = new double[d];
    for (int k = 0; k < d; k++) {
      unit[k] = w[k] / norm;
    }
    return new Probe(unit, p.accuracy()[0]);
  }

  /** {@link #directions(List, List, int, ProbeConfig, long)} with the default fits. */
  public static Result directions(
      List<double[][]> x, List<int[]> feature, int features, long seed) {
    return directions(x, feature, features, ProbeConfig.defaults(), seed);
  }

  /**
   * Feature directions from residuals grouped by context token: {@code x.get(g)} holds group g's
   * rows [n][d] and {@code feature.get(g)} each row's feature; each group must hold every feature
   * often enough for a 4:1 split to hold 5 of it on each side. Group g's probes are fitted with
   * {@code fit} seeded {@code seed + g}. Directions are means of unit normals (not renormalised).
   */
  public static Result directions(
      List<double[][]> x, List<int[]> feature, int features, ProbeConfig fit, long seed) {
    Check.input(
        !x.isEmpty() && x.size() == feature.size(),
        "feature reading needs one label array per group of residuals");
    int d = x.get(0)[0].length;
    double[][] mean = new double[features][d];
    double accuracy = 0;
    for (int g = 0; g < x.size(); g++) {
      double[][] rows = x.get(g);
      for (int f = 0; f < features; f++) {
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
          labels[i] = feature.get(g)[i] == f ? 1 : 0;
        }
        Probe p = probe(rows, labels, fit.withSeed(seed + g));
        accuracy += p.accuracy() / (features * x.size());
        for (int k = 0; k < d; k++) {
          mean[f][k] += p.normal()[k] / x.size();
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
    Check.atLeast("the random baseline's draws", draws, 2);
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
