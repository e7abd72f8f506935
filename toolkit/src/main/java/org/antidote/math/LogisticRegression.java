package org.antidote.math;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.Arrays;
import org.antidote.io.Check;

/**
 * A batch of P L2-regularised logistic regressions sharing their labels, fitted together by
 * Newton's method: minimises, for each problem, {@code (1/n) sum_i s_i logloss(x_i . w + b, y_i) +
 * (l2 / 2) |w|^2} with the bias all but unpenalised. Each step costs one batched product for the
 * gradient and one for the Hessians ([P, d, N] x [P, N, d]); the bias's terms are appended to the
 * small Hessians, so the features are never copied to append a column of ones. The Hessian is
 * reused while the steps keep shrinking fast (each reuse saves the costly product and still
 * converges to the same optimum, since the gradient is exact), and the loop stops once every
 * problem's step is below the tolerance.
 */
public final class LogisticRegression {

  /**
   * The bias's own tiny penalty: it keeps the Hessian invertible on separable data, where every p(1
   * - p) vanishes, and moves no bias measurably otherwise.
   */
  static final float BIAS_PENALTY = 1e-6f;

  private static final NDIndex ALL = new NDIndex(":");

  private LogisticRegression() {}

  /**
   * The solution.
   *
   * @param problems P
   * @param dims d
   * @param weights P x d, problem-major
   * @param bias P biases
   * @param iterations Newton steps taken
   */
  public record Fit(int problems, int dims, float[] weights, float[] bias, int iterations) {

    /** Problem {@code p}'s weights. */
    public float[] weights(int p) {
      float[] w = new float[dims];
      System.arraycopy(weights, p * dims, w, 0, dims);
      return w;
    }
  }

  /**
   * Fits every problem of {@code x} with one penalty; see {@link #fit(NDArray, float[], float[],
   * double[], int, double)}.
   */
  public static Fit fit(
      NDArray x, float[] y, float[] sampleWeight, double l2, int maxIterations, double tolerance) {
    return fit(x, y, sampleWeight, new double[] {l2}, maxIterations, tolerance);
  }

  /**
   * Fits P problems: one per leading index of {@code x}, or, where {@code x} has one and {@code l2}
   * several, one per penalty on the same features (a regularisation path in one batch).
   *
   * @param x [P, N, d] or [1, N, d] float32 features (scaled as the caller wants; the penalty
   *     applies to them)
   * @param y N labels, 0 or 1, shared by every problem
   * @param sampleWeight N weights, or null for 1 each
   * @param l2 the penalty of each problem (> 0), or one for all
   * @param maxIterations at most this many Newton steps
   * @param tolerance stop once no weight of any problem moves by more than this in a step
   */
  public static Fit fit(
      NDArray x,
      float[] y,
      float[] sampleWeight,
      double[] l2,
      int maxIterations,
      double tolerance) {
    Shape shape = x.getShape();
    if (shape.dimension() != 3
        || shape.get(1) != y.length
        || (sampleWeight != null && sampleWeight.length != y.length)
        || (l2.length > 1 && shape.get(0) != 1 && shape.get(0) != l2.length)) {
      throw new IllegalStateException(
          "logistic regression: features "
              + shape
              + " do not match "
              + y.length
              + " labels and "
              + l2.length
              + " penalties");
    }
    Check.input(
        Arrays.stream(l2).allMatch(v -> v > 0) && maxIterations >= 1,
        "logistic regression needs l2 > 0 and iterations >= 1, got "
            + Arrays.toString(l2)
            + ", "
            + maxIterations);
    int p = (int) Math.max(shape.get(0), l2.length);
    int n = y.length;
    int d = (int) shape.get(2);
    NDManager m = x.getManager();
    try (NDManager scope = m.newSubManager()) {
      NDArray xs = x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
      NDArray xT = xs.transpose(0, 2, 1); // a view: the products read it transposed, no copy
      float[] sw = sampleWeight == null ? ones(n) : sampleWeight.clone();
      boolean uniform = true;
      for (int i = 0; i < n; i++) {
        sw[i] /= n; // each sample's share of the mean loss
        uniform &= sw[i] == sw[0];
      }
      // Per-sample vectors are rows, [P, 1, N]: the products then read the features in their
      // stored order, about twice as fast as with column vectors.
      NDArray yv = scope.create(y, new Shape(1, 1, n));
      NDArray swv = scope.create(sw, new Shape(1, 1, n));
      float[] penalty = new float[p];
      for (int i = 0; i < p; i++) {
        penalty[i] = (float) l2[l2.length == 1 ? 0 : i];
      }
      NDArray lambda = scope.create(penalty, new Shape(p, 1, 1));
      NDArray eye = scope.eye(d).expandDims(0).mul(lambda); // [P, d, d]
      Shape row = new Shape(p, 1, d);
      NDArray w = scope.zeros(row);
      NDArray b = scope.zeros(new Shape(p, 1, 1));
      // The last Hessian's inverse, [P, d + 1, d + 1] with the bias last. Near the optimum the
      // Hessian barely moves, so once Newton's steps shrink fast a stale one still converges fast
      // and saves the step's costliest product.
      NDManager kept = scope.newSubManager();
      NDArray inv = null;
      // The features times the curvature, [P, N, d]: written again in place at each Hessian, since
      // a fresh array of that size costs more in page faults than the product that reads it.
      NDArray weighted = null;
      float previous = Float.POSITIVE_INFINITY;
      boolean refresh = true;
      int it = 0;
      while (it < maxIterations) {
        it++;
        float largest;
        try (NDManager s = scope.newSubManager()) {
          // The first step starts at w = 0, b = 0, where every probability is one half: no pass
          // over the features is needed to know them.
          NDArray prob =
              it == 1
                  ? s.full(new Shape(1, 1, n), 0.5f)
                  : Activation.sigmoid(w.matMul(xT).addi(b)); // [P, 1, N]
          prob.attach(s);
          NDArray r = prob.sub(yv).muli(swv); // weighted residuals
          r.attach(s);
          NDArray gw = r.matMul(xs).add(w.mul(lambda)); // [P, 1, d]
          gw.attach(s);
          NDArray gb = r.sum(new int[] {2}, true).add(b.mul(BIAS_PENALTY)); // [P, 1, 1]
          gb.attach(s);
          if (refresh) {
            kept.close();
            kept = scope.newSubManager();
            NDArray curv = prob.mul(prob.neg().addi(1f)).muli(swv); // s_i p (1 - p), [P, 1, N]
            curv.attach(s);
            // At the start the curvature is the same for every sample (with equal weights), so
            // the Hessian is the features' Gram matrix scaled, without a weighted copy of them.
            NDArray a;
            if (it == 1 && uniform) {
              a = xT.matMul(xs).muli(0.25f * sw[0]).add(eye);
            } else {
              NDArray curvT = curv.transpose(0, 2, 1);
              if (weighted == null || shape.get(0) != p) {
                weighted = xs.mul(curvT);
                weighted.attach(shape.get(0) != p ? s : scope);
              } else {
                weighted.set(ALL, xs);
                weighted.muli(curvT);
              }
              a = xT.matMul(weighted).add(eye); // [P, d, d]
            }
            a.attach(s);
            NDArray c = curv.matMul(xs).broadcast(row); // [P, 1, d]
            c.attach(s);
            NDArray e = curv.sum(new int[] {2}, true).addi(BIAS_PENALTY).broadcast(p, 1, 1);
            e.attach(s);
            // The bias's row and column are appended to the small [P, d, d] blocks, never to the
            // features.
            NDArray h = a.concat(c.transpose(0, 2, 1), 2).concat(c.concat(e, 2), 1);
            h.attach(s);
            inv = inverse(h);
            inv.attach(kept);
          }
          // The inverse is symmetric, so the row gradient times it is the step as a row.
          NDArray step = gw.broadcast(row).concat(gb.broadcast(p, 1, 1), 2).matMul(inv);
          step.attach(s);
          w.subi(step.get(":, :, :" + d));
          b.subi(step.get(":, :, " + d + ":"));
          largest = step.abs().max().getFloat();
        }
        if (Float.isNaN(largest)) {
          throw new IllegalStateException(
              "logistic regression: a Newton step is not a number (features "
                  + shape
                  + ", l2 "
                  + Arrays.toString(l2)
                  + ")");
        }
        if (!(largest > tolerance)) {
          break;
        }
        // The Hessian is kept while the steps shrink at least fourfold, formed afresh when they do
        // not.
        refresh = largest > previous / 4;
        previous = largest;
      }
      kept.close();
      float[] wv = w.toFloatArray();
      float[] bv = b.toFloatArray();
      return new Fit(p, d, wv, bv, it);
    }
  }

  /**
   * The inverses of [P, k, k] matrices. Above k = 128 MKL's batched LU fails on this engine under
   * MKL_CBWR=AUTO,STRICT ("Parameter 6 was incorrect on entry to SLASWP"), so large ones are
   * inverted one by one, which it does correctly.
   */
  private static NDArray inverse(NDArray h) {
    long p = h.getShape().get(0);
    if (p == 1 || h.getShape().get(1) <= 128) {
      return h.inverse();
    }
    NDList each = new NDList();
    for (long i = 0; i < p; i++) {
      each.add(h.get(i).inverse());
    }
    return NDArrays.stack(each);
  }

  private static float[] ones(int n) {
    float[] o = new float[n];
    Arrays.fill(o, 1f);
    return o;
  }
}
