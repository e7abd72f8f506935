package org.antidote.toy;

/**
 * The paper's entanglement metric: for directions v_1..v_N, E_i = max over j != i of |cos(v_i,
 * v_j)|, and its floor, the Welch bound: no N unit vectors in M dimensions can all have pairwise
 * |cos| below sqrt((N - M) / ((N - 1) M)) (0 when N <= M).
 */
public final class Entanglement {

  private Entanglement() {}

  /**
   * E_i for every row of {@code directions} (rows need not be normalised; a zero row is refused).
   */
  public static double[] of(double[][] directions) {
    int n = directions.length;
    if (n < 2) {
      throw new IllegalArgumentException("entanglement needs at least 2 directions, got " + n);
    }
    double[][] unit = new double[n][];
    for (int i = 0; i < n; i++) {
      unit[i] = normalised(directions[i], i);
    }
    double[] e = new double[n];
    for (int i = 0; i < n; i++) {
      double max = 0;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          max = Math.max(max, Math.abs(dot(unit[i], unit[j])));
        }
      }
      e[i] = Math.min(1, max); // rounding can leave 1 + 1e-16 for identical vectors
    }
    return e;
  }

  /** The Welch bound for {@code n} unit vectors in {@code m} dimensions. */
  public static double welchBound(int n, int m) {
    if (n < 2 || m < 1) {
      throw new IllegalArgumentException(
          "the Welch bound needs n >= 2 vectors and m >= 1 dimensions, got n = "
              + n
              + ", m = "
              + m);
    }
    return n <= m ? 0 : Math.sqrt((double) (n - m) / ((double) (n - 1) * m));
  }

  /** Cosine of the angle between two vectors of equal length. */
  public static double cosine(double[] a, double[] b) {
    return dot(normalised(a, 0), normalised(b, 1));
  }

  static double[] normalised(double[] v, int index) {
    double norm = Math.sqrt(dot(v, v));
    if (!(norm > 0) || !Double.isFinite(norm)) {
      throw new IllegalArgumentException(
          "direction " + index + " has norm " + norm + "; it has no direction");
    }
    double[] u = new double[v.length];
    for (int k = 0; k < v.length; k++) {
      u[k] = v[k] / norm;
    }
    return u;
  }

  static double dot(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "directions of different lengths: " + a.length + " and " + b.length);
    }
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }
}
