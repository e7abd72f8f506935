package org.antidote.toy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.antidote.math.Numerics;
import org.antidote.math.Stats;
import org.antidote.math.Vectors;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Trains the superposition toy of {@link SuperpositionConfig} (plain Java: it is a few hundred
 * weights, and hand-written gradients keep it exact and fast) and measures how much feature 0
 * shares its direction.
 */
public final class Superposition {

  private Superposition() {}

  /**
   * A column shorter than this fraction of the longest is "not represented" and has no direction to
   * compare.
   */
  static final double REPRESENTED = 0.1;

  /**
   * What one run measured about feature 0.
   *
   * @param config the run's config
   * @param interference max over represented columns j != 0 of |cos(W_0, W_j)|
   * @param overlap Elhage et al.'s sum over j != 0 of (W_0 / |W_0| . W_j)^2: how much of others'
   *     weight lies along feature 0's direction
   * @param norm0 |W_0|: near 1 when feature 0 is represented, near 0 when the model drops it
   * @param represented how many columns are at least a tenth as long as the longest
   * @param loss final mean weighted reconstruction loss
   * @param w the trained W, m x n
   */
  public record Result(
      SuperpositionConfig config,
      double interference,
      double overlap,
      double norm0,
      int represented,
      double loss,
      double[][] w) {}

  /** Trains one model. */
  public static Result run(SuperpositionConfig c) {
    int n = c.n();
    int m = c.m();
    SplittableRandom rng = new SplittableRandom(c.seed());
    double[][] w = new double[m][n];
    double std = Math.sqrt(2.0 / (n + m)); // Xavier normal, as in the paper's code
    for (int k = 0; k < m; k++) {
      for (int j = 0; j < n; j++) {
        w[k][j] = Numerics.gaussian(rng) * std;
      }
    }
    double[] b = new double[n];
    double[][] mw = new double[m][n];
    double[][] vw = new double[m][n];
    double[] mb = new double[n];
    double[] vb = new double[n];
    double[][] gw = new double[m][n];
    double[] gb = new double[n];
    double[] x = new double[n];
    double[] h = new double[m];
    double[] dy = new double[n];
    double[] dh = new double[m];
    double loss = 0;
    double beta1 = 0.9;
    double beta2 = 0.999;
    for (int step = 1; step <= c.steps(); step++) {
      for (double[] row : gw) {
        Arrays.fill(row, 0);
      }
      Arrays.fill(gb, 0);
      loss = 0;
      for (int s = 0; s < c.batch(); s++) {
        for (int j = 0; j < n; j++) {
          x[j] = rng.nextDouble() < c.probability(j) ? rng.nextDouble() : 0;
        }
        for (int k = 0; k < m; k++) {
          double v = 0;
          for (int j = 0; j < n; j++) {
            v += w[k][j] * x[j];
          }
          h[k] = v;
        }
        Arrays.fill(dh, 0);
        for (int i = 0; i < n; i++) {
          double y = b[i];
          for (int k = 0; k < m; k++) {
            y += w[k][i] * h[k];
          }
          double out = Math.max(0, y);
          double err = out - x[i];
          loss += c.importance(i) * err * err / c.batch();
          dy[i] = y > 0 ? 2 * c.importance(i) * err / c.batch() : 0;
          gb[i] += dy[i];
          for (int k = 0; k < m; k++) {
            gw[k][i] += dy[i] * h[k]; // W^T h's use of W
            dh[k] += w[k][i] * dy[i];
          }
        }
        for (int k = 0; k < m; k++) {
          for (int j = 0; j < n; j++) {
            gw[k][j] += dh[k] * x[j]; // W x's use of W
          }
        }
      }
      double c1 = 1 - Math.pow(beta1, step);
      double c2 = 1 - Math.pow(beta2, step);
      for (int k = 0; k < m; k++) {
        for (int j = 0; j < n; j++) {
          mw[k][j] = beta1 * mw[k][j] + (1 - beta1) * gw[k][j];
          vw[k][j] = beta2 * vw[k][j] + (1 - beta2) * gw[k][j] * gw[k][j];
          w[k][j] -= c.lr() * (mw[k][j] / c1) / (Math.sqrt(vw[k][j] / c2) + 1e-8);
        }
      }
      for (int j = 0; j < n; j++) {
        mb[j] = beta1 * mb[j] + (1 - beta1) * gb[j];
        vb[j] = beta2 * vb[j] + (1 - beta2) * gb[j] * gb[j];
        b[j] -= c.lr() * (mb[j] / c1) / (Math.sqrt(vb[j] / c2) + 1e-8);
      }
    }
    return measure(c, w, loss);
  }

  static Result measure(SuperpositionConfig c, double[][] w, double loss) {
    int n = c.n();
    double[][] cols = new double[n][c.m()];
    double longest = 0;
    for (int j = 0; j < n; j++) {
      for (int k = 0; k < c.m(); k++) {
        cols[j][k] = w[k][j];
      }
      longest = Math.max(longest, Vectors.norm(cols[j]));
    }
    double norm0 = Vectors.norm(cols[0]);
    double interference = 0;
    double overlap = 0;
    int represented = 0;
    for (int j = 0; j < n; j++) {
      double norm = Vectors.norm(cols[j]);
      if (norm >= REPRESENTED * longest) {
        represented++;
      }
      if (j == 0 || norm0 == 0) {
        continue;
      }
      double d = Vectors.dot(cols[0], cols[j]) / norm0;
      overlap += d * d;
      if (norm >= REPRESENTED * longest && norm > 0) {
        interference = Math.max(interference, Math.abs(d) / norm);
      }
    }
    return new Result(c, interference, overlap, norm0, represented, loss, w);
  }

  /**
   * One run per (p0, seed): columns p0, interference mean and std (sample, over seeds), overlap
   * mean and std, norm0 mean, n.
   */
  public static Table sweep(SuperpositionConfig base, List<Double> p0s, List<Long> seeds) {
    DoubleColumn p0 = DoubleColumn.create("p0");
    DoubleColumn im = DoubleColumn.create("interference");
    DoubleColumn is = DoubleColumn.create("interference_std");
    DoubleColumn om = DoubleColumn.create("overlap");
    DoubleColumn os = DoubleColumn.create("overlap_std");
    DoubleColumn nm = DoubleColumn.create("norm0");
    IntColumn count = IntColumn.create("n");
    for (double q : p0s) {
      double[] inter = new double[seeds.size()];
      double[] over = new double[seeds.size()];
      double[] norm = new double[seeds.size()];
      for (int s = 0; s < seeds.size(); s++) {
        Result r = run(base.at(q, seeds.get(s)));
        inter[s] = r.interference();
        over[s] = r.overlap();
        norm[s] = r.norm0();
      }
      p0.append(q);
      im.append(Stats.mean(inter));
      is.append(Stats.std(inter));
      om.append(Stats.mean(over));
      os.append(Stats.std(over));
      nm.append(Stats.mean(norm));
      count.append(seeds.size());
    }
    return Table.create(
        "superposition: feature 0's interference vs. its frequency", p0, im, is, om, os, nm, count);
  }
}
