package org.antidote.toy;

import org.antidote.math.Numerics;

/**
 * A binary logistic-regression probe, fitted by full-batch gradient descent from zero weights on
 * the mean cross-entropy plus {@code l2/2 * |w|^2}. Inputs are centred and divided by one common
 * scale before fitting, which speeds descent without turning the normal (a per-dimension
 * standardisation would); {@link #normal()} is in the original coordinates.
 *
 * @param weights the normal in the original coordinates (divided by the common scale)
 * @param bias the bias after centring
 * @param accuracy training accuracy
 */
public record LinearProbe(double[] weights, double bias, double accuracy) {

  /** Fits {@code labels[i]} (true = positive) from {@code x[i]}. */
  public static LinearProbe fit(
      double[][] x, boolean[] labels, int iterations, double lr, double l2) {
    int n = x.length;
    if (n == 0 || labels.length != n) {
      throw new IllegalArgumentException(
          "probe: need as many labels as points and at least one, got "
              + n
              + " points, "
              + labels.length
              + " labels");
    }
    int d = x[0].length;
    double[] mean = new double[d];
    for (double[] row : x) {
      for (int k = 0; k < d; k++) {
        mean[k] += row[k] / n;
      }
    }
    double sq = 0;
    for (double[] row : x) {
      for (int k = 0; k < d; k++) {
        sq += (row[k] - mean[k]) * (row[k] - mean[k]);
      }
    }
    double scale = Math.sqrt(sq / ((double) n * d));
    if (!(scale > 0)) {
      scale = 1; // all points equal: the probe learns only a bias
    }
    double[][] z = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        z[i][k] = (x[i][k] - mean[k]) / scale;
      }
    }
    double[] w = new double[d];
    double b = 0;
    double[] gw = new double[d];
    for (int it = 0; it < iterations; it++) {
      java.util.Arrays.fill(gw, 0);
      double gb = 0;
      for (int i = 0; i < n; i++) {
        double err = Numerics.sigmoid(b + Entanglement.dot(w, z[i])) - (labels[i] ? 1 : 0);
        for (int k = 0; k < d; k++) {
          gw[k] += err * z[i][k] / n;
        }
        gb += err / n;
      }
      for (int k = 0; k < d; k++) {
        w[k] -= lr * (gw[k] + l2 * w[k]);
      }
      b -= lr * gb;
    }
    int correct = 0;
    for (int i = 0; i < n; i++) {
      if ((b + Entanglement.dot(w, z[i]) > 0) == labels[i]) {
        correct++;
      }
    }
    double[] normal = new double[d];
    for (int k = 0; k < d; k++) {
      normal[k] = w[k] / scale;
    }
    return new LinearProbe(normal, b, (double) correct / n);
  }

  /** The unit normal of the decision boundary. */
  public double[] normal() {
    return Entanglement.normalised(weights, 0);
  }
}
