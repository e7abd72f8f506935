package org.antidote.math;

import java.util.SplittableRandom;
import org.antidote.io.Check;

/**
 * The few scalar formulas the toolkit computes in plain Java: a seeded normal draw, the logistic
 * function, a softmax and the rounding of numbers shown in tables. They use {@link StrictMath} so
 * that the same seed gives the same bits whether the JIT has compiled the caller or not, and on
 * every JVM.
 */
public final class Numerics {

  private Numerics() {}

  /**
   * One draw from the standard normal. Box-Muller, because {@link SplittableRandom} has no {@code
   * nextGaussian} and {@link java.util.Random}'s is not specified to be portable.
   */
  public static double gaussian(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble(); // in (0, 1], so the log is finite
    double u2 = rng.nextDouble();
    return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
  }

  /** The logistic function, written so that neither branch overflows. */
  public static double sigmoid(double z) {
    if (z >= 0) {
      return 1 / (1 + StrictMath.exp(-z));
    }
    double e = StrictMath.exp(z);
    return e / (1 + e);
  }

  /** A duration for people: "4m05s", or "1h07m" from an hour up. */
  public static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
        : String.format("%dm%02ds", s / 60, s % 60);
  }

  /**
   * {@code v} rounded half up to {@code digits} decimals, for tables people read (the stored
   * results keep every digit).
   */
  public static double round(double v, int digits) {
    double f = Math.pow(10, digits); // exact for these small powers, so round(v, 3) is v*1000/1000
    return Math.round(v * f) / f;
  }

  /**
   * Probabilities from logits at a temperature (1 for the plain softmax); the largest logit is
   * subtracted first so that no exponential overflows.
   */
  public static double[] softmax(float[] logits, double temperature) {
    Check.input(temperature > 0, "temperature must be > 0, got " + temperature);
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = StrictMath.exp((logits[i] - max) / temperature);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }
}
