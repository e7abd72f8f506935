package org.antidote.math;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;

/**
 * The statistics the study needs, computed exactly where that is cheap: ROC AUC, the Mann-Whitney U
 * test (normal approximation with tie correction), a two-sided permutation test on the difference
 * of means, and the 95 % intervals every figure carries: Student t over seeds (a mean, a Welch
 * difference, a least-squares slope) and a seeded percentile bootstrap over prompts.
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

  /**
   * Two-sided permutation test on the difference of means, with {@code permutations} seeded
   * shuffles.
   */
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
    return new Test(
        "permutation (difference of means)",
        mean(a) - mean(b),
        (extreme + 1.0) / (permutations + 1.0));
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

  /**
   * A point estimate with its two-sided interval.
   *
   * @param estimate the estimate (a mean, a difference, a slope)
   * @param low lower end
   * @param high upper end
   * @param n observations it rests on
   * @param pValue two-sided p-value of "the effect is zero" (NaN where the method gives none)
   */
  public record Interval(double estimate, double low, double high, int n, double pValue) {

    /** True when the interval lies wholly above (sign > 0) or below (sign < 0) zero. */
    public boolean excludesZero(int sign) {
      return sign > 0 ? low > 0 : high < 0;
    }

    /** "12.3 [10.1, 14.5]" with {@code digits} decimals. */
    public String format(int digits) {
      String f = "%." + digits + "f";
      return String.format(Locale.ROOT, f + " [" + f + ", " + f + "]", estimate, low, high);
    }
  }

  /**
   * The 95 % Student t interval of the mean of {@code v} (a point, not an interval, for one value).
   */
  public static Interval meanInterval(double[] v) {
    double m = mean(v);
    if (v.length < 2) {
      return new Interval(m, m, m, v.length, Double.NaN);
    }
    double se = std(v) / Math.sqrt(v.length);
    return fromT(m, se, v.length - 1, v.length);
  }

  /**
   * The 95 % Welch interval of {@code mean(a) - mean(b)} (unequal variances, Welch-Satterthwaite
   * degrees of freedom). Each side needs two values.
   */
  public static Interval welch(double[] a, double[] b) {
    Check.input(
        a.length >= 2 && b.length >= 2,
        "a Welch interval needs two values on each side, got " + a.length + " and " + b.length);
    double va = std(a) * std(a) / a.length;
    double vb = std(b) * std(b) / b.length;
    double se = Math.sqrt(va + vb);
    double df =
        se == 0
            ? a.length + b.length - 2
            : (va + vb) * (va + vb) / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
    return fromT(mean(a) - mean(b), se, df, a.length + b.length);
  }

  /**
   * The least-squares slope of {@code y} on {@code x} with its 95 % t interval (n - 2 degrees of
   * freedom).
   */
  public static Interval slope(double[] x, double[] y) {
    int n = x.length;
    if (n != y.length || n < 3) {
      throw new BadInputException("a slope needs three (x, y) points or more, got " + n);
    }
    double mx = mean(x);
    double my = mean(y);
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < n; i++) {
      sxx += (x[i] - mx) * (x[i] - mx);
      sxy += (x[i] - mx) * (y[i] - my);
    }
    if (sxx == 0) {
      throw new BadInputException("a slope needs at least two distinct x values");
    }
    double b = sxy / sxx;
    double rss = 0;
    for (int i = 0; i < n; i++) {
      double r = y[i] - my - b * (x[i] - mx);
      rss += r * r;
    }
    return fromT(b, Math.sqrt(rss / (n - 2) / sxx), n - 2, n);
  }

  /**
   * The 95 % percentile bootstrap interval of the mean of {@code v}: {@code resamples} seeded
   * resamples with replacement (the interval of a toxicity over prompts).
   */
  public static Interval bootstrapMean(double[] v, int resamples, long seed) {
    if (v.length == 0 || resamples < 100) {
      throw new BadInputException(
          "a bootstrap needs values and at least 100 resamples, got "
              + v.length
              + " values and "
              + resamples
              + " resamples");
    }
    SplittableRandom rng = new SplittableRandom(seed);
    double[] means = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      double s = 0;
      for (int i = 0; i < v.length; i++) {
        s += v[rng.nextInt(v.length)];
      }
      means[r] = s / v.length;
    }
    Arrays.sort(means);
    return new Interval(
        mean(v), quantileSorted(means, 0.025), quantileSorted(means, 0.975), v.length, Double.NaN);
  }

  /** Linear-interpolated quantile {@code q} of sorted {@code v}. */
  static double quantileSorted(double[] v, double q) {
    double pos = q * (v.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(v.length - 1, lo + 1);
    return v[lo] + (pos - lo) * (v[hi] - v[lo]);
  }

  private static Interval fromT(double estimate, double se, double df, int n) {
    double half = studentQuantile(0.975, df) * se;
    double p =
        se == 0 ? (estimate == 0 ? 1 : 0) : 2 * (1 - studentCdf(Math.abs(estimate) / se, df));
    return new Interval(estimate, estimate - half, estimate + half, n, p);
  }

  /** Student t CDF with {@code df} degrees of freedom, from the regularised incomplete beta. */
  public static double studentCdf(double t, double df) {
    double tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
    return t >= 0 ? 1 - tail : tail;
  }

  /**
   * The {@code p} quantile of Student t with {@code df} degrees of freedom (bisection on the CDF).
   */
  public static double studentQuantile(double p, double df) {
    Check.input(
        p > 0 && p < 1 && df > 0,
        "t quantile needs 0 < p < 1 and df > 0, got p " + p + ", df " + df);
    double lo = -1e3;
    double hi = 1e3;
    for (int i = 0; i < 200 && hi - lo > 1e-12; i++) {
      double mid = (lo + hi) / 2;
      if (studentCdf(mid, df) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** Regularised incomplete beta I_x(a, b) by its continued fraction (modified Lentz). */
  static double incompleteBeta(double x, double a, double b) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    if (x > (a + 1) / (a + b + 2)) {
      return 1 - incompleteBeta(1 - x, b, a);
    }
    double front = Math.exp(a * Math.log(x) + b * Math.log(1 - x) - logBeta(a, b)) / a;
    double tiny = 1e-300;
    double c = 1;
    double d = 1 - (a + b) * x / (a + 1);
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    double f = d;
    for (int m = 1; m <= 500; m++) {
      for (int half = 0; half < 2; half++) {
        double num =
            half == 0
                ? m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
                : -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
        d = 1 + num * d;
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        c = 1 + num / c;
        c = Math.abs(c) < tiny ? tiny : c;
        f *= c * d;
        if (half == 1 && Math.abs(c * d - 1) < 1e-15) {
          return front * f;
        }
      }
    }
    return front * f;
  }

  private static double logBeta(double a, double b) {
    return logGamma(a) + logGamma(b) - logGamma(a + b);
  }

  /** log Gamma(x) for x > 0 (Lanczos, g = 7, nine terms). */
  static double logGamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
    }
    double[] g = {
      0.99999999999980993,
      676.5203681218851,
      -1259.1392167224028,
      771.32342877765313,
      -176.61502916214059,
      12.507343278686905,
      -0.13857109526572012,
      9.9843695780195716e-6,
      1.5056327351493116e-7
    };
    x -= 1;
    double s = g[0];
    for (int i = 1; i < 9; i++) {
      s += g[i] / (x + i);
    }
    double t = x + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
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
    double erf =
        1
            - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                    + 0.254829592)
                * t
                * Math.exp(-x * x);
    return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
  }
}
