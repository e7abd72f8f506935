package org.antidote.probe;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.antidote.io.BadInputException;
import org.antidote.math.LogisticRegression;
import org.antidote.math.Stats;
import org.antidote.model.Devices;

/**
 * One logistic-regression probe per (layer, head), fitted all at once by the batched solver ({@link
 * LogisticRegression}) on standardised activations: fitting every head of a model takes a handful
 * of batched Newton steps on CPU or GPU rather than L*H separate fits.
 */
public final class Probes {

  /**
   * Newton stops once no standardised weight moves by more than this (scikit-learn's lbfgs stops at
   * 1e-4 too).
   */
  static final double TOLERANCE = 1e-4;

  private Probes() {}

  /** Fits every head on the default device ({@link Devices#auto()}). */
  public static ProbeResult fit(Activations acts, ProbeConfig config) {
    return fit(acts, config, Devices.auto());
  }

  /** Fits every head on {@code device}. */
  public static ProbeResult fit(Activations acts, ProbeConfig config, Device device) {
    return fitWithScores(acts, config, device).result();
  }

  /**
   * A fit and its validation scores ({@code [head][validation row]}, logits), for baselines that
   * need more than accuracy.
   */
  record Fit(ProbeResult result, double[][] validationScores) {}

  static Fit fitWithScores(Activations acts, ProbeConfig config, Device device) {
    int[] labels = acts.labels();
    int[][] split = split(labels, config);
    int[] train = split[0];
    int[] val = split[1];
    int p = acts.layers() * acts.heads();
    int dh = acts.dHead();
    try (NDManager m = NDManager.newBaseManager(device)) {
      NDArray xTrain = gather(acts.raw(), train, p, dh, m); // [P, Ntrain, dh]
      NDArray xVal = gather(acts.raw(), val, p, dh, m);
      // Standardise each head's features with the training texts' statistics, in place: a fresh
      // array of the activations' size costs more in page faults than the passes that fill it.
      NDArray mu = xTrain.mean(new int[] {1}, true); // [P, 1, dh]
      xTrain.subi(mu);
      NDArray sd =
          xTrain.norm(new int[] {1}, true).divi((float) Math.sqrt(train.length)).addi(1e-6f);
      xTrain.divi(sd);
      xVal.subi(mu).divi(sd);
      LogisticRegression.Fit fit =
          LogisticRegression.fit(
              xTrain, toFloat(labels, train), null, config.l2(), config.iterations(), TOLERANCE);
      NDArray w = m.create(fit.weights(), new Shape(p, 1, dh));
      NDArray b = m.create(fit.bias(), new Shape(p, 1, 1));
      // [P, 1, Nval]: the weights as rows read the features in their stored order.
      float[] scores = w.matMul(xVal.transpose(0, 2, 1)).add(b).toFloatArray();
      float[] weights = w.div(sd).toFloatArray(); // back to raw activation units
      double[] accuracy = new double[p];
      double[] auc = new double[p];
      double[][] valScores = new double[p][];
      int[] yVal = new int[val.length];
      for (int i = 0; i < val.length; i++) {
        yVal[i] = labels[val[i]];
      }
      for (int h = 0; h < p; h++) {
        double[] s = new double[val.length];
        int correct = 0;
        for (int i = 0; i < val.length; i++) {
          s[i] = scores[h * val.length + i];
          correct += (s[i] > 0 ? 1 : 0) == yVal[i] ? 1 : 0;
        }
        accuracy[h] = (double) correct / val.length;
        auc[h] = Stats.auc(s, yVal);
        valScores[h] = s;
      }
      float[][] perHead = new float[p][dh];
      for (int h = 0; h < p; h++) {
        System.arraycopy(weights, h * dh, perHead[h], 0, dh);
      }
      return new Fit(
          new ProbeResult(acts.layers(), acts.heads(), accuracy, auc, perHead, train, val, config),
          valScores);
    }
  }

  /**
   * Rows of [texts, heads, dh] rearranged head-major, [heads, rows, dh], written straight into the
   * native array's memory (a direct buffer it adopts), so the activations are copied once.
   */
  private static NDArray gather(float[] raw, int[] rows, int heads, int dh, NDManager m) {
    ByteBuffer bytes =
        ByteBuffer.allocateDirect(
                Math.multiplyExact(Math.multiplyExact(heads * dh, rows.length), 4))
            .order(ByteOrder.nativeOrder());
    FloatBuffer out = bytes.asFloatBuffer();
    for (int r = 0; r < rows.length; r++) {
      for (int h = 0; h < heads; h++) {
        out.put((h * rows.length + r) * dh, raw, (rows[r] * heads + h) * dh, dh);
      }
    }
    return m.create(bytes, new Shape(heads, rows.length, dh), DataType.FLOAT32);
  }

  /**
   * Refuses labelled texts with too few of one class ({@code cls}: 1 toxic, 0 clean) to give {@link
   * ProbeConfig#minPerClass()} to both splits. Callers check this before capturing anything, so a
   * refused probe run writes nothing.
   */
  public static void requireEnough(int cls, int count, ProbeConfig config) {
    int cut = (int) Math.round(count * config.trainFraction());
    if (cut < config.minPerClass() || count - cut < config.minPerClass()) {
      throw new BadInputException(
          "the labelled data has "
              + count
              + " texts of class "
              + cls
              + (cls == 1 ? " (toxic)" : " (clean)")
              + ": too few to give "
              + config.minPerClass()
              + " to both the training and the validation split; probes need both classes");
    }
  }

  /** A seeded, stratified split: each class split train:validation in the configured ratio. */
  static int[][] split(int[] labels, ProbeConfig config) {
    List<Integer> train = new ArrayList<>();
    List<Integer> val = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(config.seed());
    for (int cls = 0; cls <= 1; cls++) {
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] == cls) {
          idx.add(i);
        } else if (labels[i] != 0 && labels[i] != 1) {
          throw new BadInputException("label " + labels[i] + " of text " + i + " is not 0 or 1");
        }
      }
      for (int i = idx.size() - 1; i > 0; i--) {
        Collections.swap(idx, i, rng.nextInt(i + 1));
      }
      requireEnough(cls, idx.size(), config);
      int cut = (int) Math.round(idx.size() * config.trainFraction());
      train.addAll(idx.subList(0, cut));
      val.addAll(idx.subList(cut, idx.size()));
    }
    Collections.sort(train);
    Collections.sort(val);
    return new int[][] {
      train.stream().mapToInt(Integer::intValue).toArray(),
      val.stream().mapToInt(Integer::intValue).toArray()
    };
  }

  private static float[] toFloat(int[] labels, int[] rows) {
    float[] out = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = labels[rows[i]];
    }
    return out;
  }
}
