package org.antidote.probe;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;

/**
 * The statistics the study needs, computed exactly where that is cheap: ROC AUC, the Mann-Whitney
 * U test (normal approximation with tie correction) and a two-sided permutation test on the
 * difference of means.
 */
public final class Stats {

  private Stats() {}

  /** Result of a two-sample test. */
  public record Test(String name, double statistic, double pValue) {}

  /** Area under the ROC curve of {@code scores} for binary {@code labels} (ties count half). */
  public static double auc(double[] scores, int[] labels) {
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    double[] ranks = ranks(scores, order);
    double rankSum = 0;
    long pos = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i] == 1) {
        rankSum += ranks[i];
        pos++;
      }
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  /** Mann-Whitney U of {@code a} against {@code b}, two-sided p by the normal approximation. */
  public static Test mannWhitney(double[] a, double[] b) {
    int n1 = a.length;
    int n2 = b.length;
    double[] all = new double[n1 + n2];
    System.arraycopy(a, 0, all, 0, n1);
    System.arraycopy(b, 0, all, n1, n2);
    Integer[] order = new Integer[all.length];
    for (int i = 0; i < all.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> all[i]));
    double[] ranks = ranks(all, order);
    double r1 = 0;
    for (int i = 0; i < n1; i++) {
      r1 += ranks[i];
    }
    double u1 = r1 - n1 * (n1 + 1) / 2.0;
    double mean = n1 * (double) n2 / 2;
    double n = n1 + n2;
    double ties = 0;
    for (int i = 0; i < all.length; ) {
      int j = i;
      while (j + 1 < all.length && all[order[j + 1]] == all[order[i]]) {
        j++;
      }
      double t = j - i + 1;
      ties += t * t * t - t;
      i = j + 1;
    }
    double var = n1 * (double) n2 / 12 * ((n + 1) - ties / (n * (n - 1)));
    if (var <= 0) {
      return new Test("Mann-Whitney U", u1, 1);
    }
    double z = (Math.abs(u1 - mean) - 0.5) / Math.sqrt(var);
    return new Test("Mann-Whitney U", u1, Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))));
  }

  /** Two-sided permutation test on the difference of means, with {@code permutations} seeded shuffles. */
  public static Test permutation(double[] a, double[] b, int permutations, long seed) {
    double observed = Math.abs(mean(a) - mean(b));
    double[] all = new double[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    SplittableRandom rng = new SplittableRandom(seed);
    int extreme = 0;
    for (int p = 0; p < permutations; p++) {
      for (int i = all.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        double t = all[i];
        all[i] = all[j];
        all[j] = t;
      }
      double s = 0;
      for (int i = 0; i < a.length; i++) {
        s += all[i];
      }
      double rest = 0;
      for (int i = a.length; i < all.length; i++) {
        rest += all[i];
      }
      if (Math.abs(s / a.length - rest / b.length) >= observed - 1e-12) {
        extreme++;
      }
    }
    return new Test("permutation (difference of means)", mean(a) - mean(b), (extreme + 1.0) / (permutations + 1.0));
  }

  /** Arithmetic mean; NaN for no values. */
  public static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** Sample standard deviation (n - 1); 0 for a single value. */
  public static double std(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }

  /** Average ranks (1-based), ties sharing their mean rank. */
  private static double[] ranks(double[] v, Integer[] order) {
    double[] ranks = new double[v.length];
    for (int i = 0; i < v.length; ) {
      int j = i;
      while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      double r = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        ranks[order[k]] = r;
      }
      i = j + 1;
    }
    return ranks;
  }

  /** Standard normal CDF (Abramowitz-Stegun 7.1.26 erf, error below 1.5e-7). */
  static double normalCdf(double z) {
    double x = Math.abs(z) / Math.sqrt(2);
    double t = 1 / (1 + 0.3275911 * x);
    double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
        * Math.exp(-x * x);
    return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
  }
}
