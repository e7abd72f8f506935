package org.antidote.math;

/**
 * Dot products, lengths and cosines of plain Java vectors, for every stage that compares directions
 * (the toy's entanglement, the probe package's head directions, ITI's random control). Float
 * vectors are summed in double, so a long head vector loses no precision to its own length.
 */
public final class Vectors {

  private Vectors() {}

  /** {@code a . b}; the vectors must have one length. */
  public static double dot(double[] a, double[] b) {
    sameLength(a.length, b.length);
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }

  /** {@code a . b}, summed in double; the vectors must have one length. */
  public static double dot(float[] a, float[] b) {
    sameLength(a.length, b.length);
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * (double) b[k];
    }
    return s;
  }

  /** The Euclidean length. */
  public static double norm(double[] v) {
    return Math.sqrt(dot(v, v));
  }

  /** The Euclidean length, summed in double. */
  public static double norm(float[] v) {
    return Math.sqrt(dot(v, v));
  }

  /** The cosine of the angle between {@code a} and {@code b}; 0 where either is zero. */
  public static double cosine(double[] a, double[] b) {
    double na = norm(a);
    double nb = norm(b);
    return na == 0 || nb == 0 ? 0 : dot(a, b) / (na * nb);
  }

  /** The cosine of the angle between {@code a} and {@code b}; 0 where either is zero. */
  public static double cosine(float[] a, float[] b) {
    double na = norm(a);
    double nb = norm(b);
    return na == 0 || nb == 0 ? 0 : dot(a, b) / (na * nb);
  }

  /**
   * {@code v} divided by its length, as a new vector. A zero or non-finite vector has no direction:
   * callers that can meet one check {@link #norm} first and say where it came from.
   */
  public static double[] unit(double[] v) {
    double n = norm(v);
    if (!(n > 0) || !Double.isFinite(n)) {
      throw new IllegalStateException("a vector of length " + n + " has no direction");
    }
    double[] u = new double[v.length];
    for (int k = 0; k < v.length; k++) {
      u[k] = v[k] / n;
    }
    return u;
  }

  /** Divides {@code v} by its length in place and returns it; see {@link #unit(double[])}. */
  public static float[] normalise(float[] v) {
    double n = norm(v);
    if (!(n > 0) || !Double.isFinite(n)) {
      throw new IllegalStateException("a vector of length " + n + " has no direction");
    }
    for (int k = 0; k < v.length; k++) {
      v[k] /= (float) n;
    }
    return v;
  }

  /** {@code a - b} as a new vector. */
  public static float[] minus(float[] a, float[] b) {
    sameLength(a.length, b.length);
    float[] o = new float[a.length];
    for (int k = 0; k < a.length; k++) {
      o[k] = a[k] - b[k];
    }
    return o;
  }

  private static void sameLength(int a, int b) {
    if (a != b) {
      throw new IllegalStateException("vectors of different lengths: " + a + " and " + b);
    }
  }
}
