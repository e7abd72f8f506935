package org.antidote.toy;

import org.antidote.io.Check;
import org.antidote.math.Vectors;

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
    Check.input(n >= 2, "entanglement needs at least 2 directions, got " + n);
    double[][] unit = new double[n][];
    for (int i = 0; i < n; i++) {
      double norm = Vectors.norm(directions[i]);
      Check.input(
          norm > 0 && Double.isFinite(norm),
          "direction " + i + " has norm " + norm + "; it has no direction");
      Check.input(
          directions[i].length == directions[0].length,
          "direction "
              + i
              + " has "
              + directions[i].length
              + " components, direction 0 has "
              + directions[0].length);
      unit[i] = Vectors.unit(directions[i]);
    }
    double[] e = new double[n];
    for (int i = 0; i < n; i++) {
      double max = 0;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          max = Math.max(max, Math.abs(Vectors.dot(unit[i], unit[j])));
        }
      }
      e[i] = Math.min(1, max); // rounding can leave 1 + 1e-16 for identical vectors
    }
    return e;
  }

  /** The Welch bound for {@code n} unit vectors in {@code m} dimensions. */
  public static double welchBound(int n, int m) {
    Check.input(
        n >= 2 && m >= 1,
        "the Welch bound needs n >= 2 vectors and m >= 1 dimensions, got n = " + n + ", m = " + m);
    return n <= m ? 0 : Math.sqrt((double) (n - m) / ((double) (n - 1) * m));
  }
}
