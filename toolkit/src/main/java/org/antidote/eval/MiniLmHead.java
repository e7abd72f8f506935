package org.antidote.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.antidote.corpus.Balance;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Document;
import org.antidote.corpus.DocumentStream;
import org.antidote.corpus.HeldOut;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.io.Json;
import org.antidote.io.Versions;
import org.antidote.math.LogisticRegression;
import org.antidote.math.Numerics;
import org.antidote.math.Stats;

/**
 * A logistic head on MiniLM sentence embeddings, {@code p = sigmoid(weights . embedding + bias)} on
 * the L2-normalised embedding, as stored in a head file; and how it is trained: on Davidson's
 * scorer partition and the held-out fortunes ({@link #texts}), never on the texts the probes are
 * fitted on, so the judge and the probes do not share one notion of "toxic", with the one logistic
 * fit of {@link LogisticRegression}.
 *
 * @param format format tag ({@link #FORMAT})
 * @param encoder the encoder it was trained on ({@link MiniLmEncoder#id()})
 * @param weights one weight per embedding dimension
 * @param bias bias
 * @param l2 the L2 penalty chosen
 * @param metrics held-out quality
 * @param versions versions that trained it
 */
public record MiniLmHead(
    String format,
    String encoder,
    float[] weights,
    double bias,
    double l2,
    Metrics metrics,
    Map<String, String> versions) {

  /**
   * Format tag of head files (2: fitted on Davidson's scorer partition and the fortunes, not the
   * probe set).
   */
  public static final String FORMAT = "antidote-minilm-head/2";

  private static final int DIM = MiniLmEncoder.DIM;

  /** A head file's fields; a file that breaks them is named by {@link #read}. */
  public MiniLmHead {
    Check.present("a MiniLM head: encoder", encoder);
    Check.input(
        FORMAT.equals(format),
        "not a MiniLM head (format " + format + ", expected " + FORMAT + ")");
    Check.input(
        weights != null && weights.length == DIM,
        "a MiniLM head needs "
            + DIM
            + " weights, got "
            + (weights == null ? "none" : weights.length));
    for (float w : weights) {
      Check.input(Float.isFinite(w), "a MiniLM head's weights must be finite");
    }
    Check.input(Double.isFinite(bias), "a MiniLM head's bias must be finite, got " + bias);
  }

  /**
   * How the head is trained.
   *
   * @param trainPerClass labelled TRAIN texts per class (fewer if the split has fewer)
   * @param evalPerClass VALIDATION and TEST texts per class
   * @param l2Grid L2 penalties tried (on embeddings scaled to unit mean variance); the best by
   *     validation AUC is kept
   * @param iterations Newton iterations per fit
   */
  public record Config(int trainPerClass, int evalPerClass, List<Double> l2Grid, int iterations) {

    public Config {
      Check.input(
          trainPerClass >= 5 && evalPerClass >= 5 && iterations >= 1,
          "head config: train and eval per class must be >= 5 (got "
              + trainPerClass
              + ", "
              + evalPerClass
              + "), iterations >= 1 (got "
              + iterations
              + ")");
      l2Grid = List.copyOf(l2Grid);
      Check.input(
          !l2Grid.isEmpty() && l2Grid.stream().allMatch(l -> l > 0 && !Double.isInfinite(l)),
          "head config: L2 grid must be non-empty and positive, got " + l2Grid);
    }

    /**
     * Up to 3000 training and 1000 evaluation texts per class (all the bundled data has), L2 from
     * 1e-3 to 1, 15 Newton steps.
     */
    public static Config defaults() {
      return new Config(3000, 1000, List.of(1e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0), 15);
    }
  }

  /**
   * Held-out quality of a head.
   *
   * @param trainTexts TRAIN texts fitted on
   * @param validationTexts VALIDATION texts the L2 was chosen on
   * @param testTexts TEST texts scored
   * @param validationAuc ROC AUC on VALIDATION at the chosen L2
   * @param testToxic toxic texts among them
   * @param testAccuracy accuracy on TEST at probability 0.5
   * @param testBalancedAccuracy mean of the accuracies on toxic and on clean TEST texts (chance:
   *     0.5)
   * @param testAuc ROC AUC on TEST
   */
  public record Metrics(
      int trainTexts,
      int validationTexts,
      int testTexts,
      int testToxic,
      double validationAuc,
      double testAccuracy,
      double testBalancedAccuracy,
      double testAuc) {}

  /** Probability of toxicity of one embedding. */
  public double probability(float[] embedding) {
    double z = bias;
    for (int i = 0; i < DIM; i++) {
      z += (double) weights[i] * embedding[i];
    }
    return Numerics.sigmoid(z);
  }

  /** The head in {@code file}; a missing or unreadable file is named. */
  public static MiniLmHead read(Path file) {
    Check.input(Files.isRegularFile(file), file + ": no such head file");
    try {
      return Json.read(file, MiniLmHead.class);
    } catch (UncheckedIOException e) {
      throw new BadInputException(e.getMessage(), e);
    }
  }

  /**
   * True when {@code file} holds a readable head for this encoder (a cache: anything else is
   * retrained).
   */
  static boolean fitsEncoder(Path file) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try {
      return read(file).encoder().equals(MiniLmEncoder.id());
    } catch (BadInputException e) {
      return false;
    }
  }

  /**
   * What the head is fitted and judged on, never the probe set: Davidson's scorer partition ({@link
   * HeldOut.Use#SCORER}) and the held-out fortunes, insults and compliments, one split of each.
   * Each source is balanced on its own (up to half of {@code perClass} per class, exactly balanced,
   * seeded), so that "toxic" cannot be learned as "a tweet" rather than a fortune.
   */
  static List<Document> texts(Corpora.Bundled data, HeldOut.Split split, int perClass) {
    List<Document> tweets = new ArrayList<>();
    try (DocumentStream s = data.davidson(HeldOut.Use.SCORER).open()) {
      s.forEachRemaining(
          d -> {
            if (HeldOut.splitOf(d.text()) == split) {
              tweets.add(d);
            }
          });
    }
    int half = Math.max(1, perClass / 2);
    List<Document> out = new ArrayList<>(Balance.exactly(tweets, half, 1).documents());
    out.addAll(data.balanced(Corpora.LabelledSet.FORTUNES, split, half, 1));
    return out;
  }

  /**
   * Trains a head on the bundled labelled data with the default settings and writes it to {@code
   * out}.
   */
  public static MiniLmHead train(Corpora.Bundled data, Path out) {
    return train(data, out, Config.defaults(), MiniLmEncoder.Options.defaults(), System.out);
  }

  /**
   * Trains a head: fits on the TRAIN split, picks the L2 on VALIDATION, reports accuracy and AUC on
   * TEST, and writes the head to {@code out} atomically.
   */
  public static MiniLmHead train(
      Corpora.Bundled data,
      Path out,
      Config config,
      MiniLmEncoder.Options options,
      PrintStream log) {
    List<Document> train = texts(data, HeldOut.Split.TRAIN, config.trainPerClass());
    List<Document> val = texts(data, HeldOut.Split.VALIDATION, config.evalPerClass());
    List<Document> test = texts(data, HeldOut.Split.TEST, config.evalPerClass());
    float[][] xTrain;
    float[][] xVal;
    float[][] xTest;
    try (MiniLmEncoder enc = MiniLmEncoder.open(options)) {
      long start = System.nanoTime();
      xTrain = enc.embed(textsOf(train));
      xVal = enc.embed(textsOf(val));
      xTest = enc.embed(textsOf(test));
      int n = train.size() + val.size() + test.size();
      log.printf("embedded %d texts in %.1f s%n", n, (System.nanoTime() - start) / 1e9);
    }
    int[] yTrain = labels(train);
    int[] yVal = labels(val);
    int[] yTest = labels(test);
    double[] best = null;
    double bestL2 = Double.NaN;
    double bestAuc = Double.NEGATIVE_INFINITY;
    double[] grid = config.l2Grid().stream().mapToDouble(Double::doubleValue).toArray();
    double[][] path = fitLogistic(xTrain, yTrain, grid, config.iterations());
    for (int g = 0; g < grid.length; g++) {
      double l2 = grid[g];
      double[] wb = path[g];
      double auc = Stats.auc(logits(xVal, wb), yVal);
      log.printf("  l2 %.0e: validation AUC %.4f%n", l2, auc);
      // Ties go to the stronger penalty: the simpler head.
      if (auc >= bestAuc) {
        bestAuc = auc;
        best = wb;
        bestL2 = l2;
      }
    }
    double[] z = logits(xTest, best);
    int[] correct = new int[2];
    int[] count = new int[2];
    for (int i = 0; i < z.length; i++) {
      count[yTest[i]]++;
      correct[yTest[i]] += (z[i] > 0 ? 1 : 0) == yTest[i] ? 1 : 0;
    }
    Metrics metrics =
        new Metrics(
            train.size(),
            val.size(),
            test.size(),
            count[1],
            bestAuc,
            (double) (correct[0] + correct[1]) / z.length,
            ((double) correct[0] / count[0] + (double) correct[1] / count[1]) / 2,
            Stats.auc(z, yTest));
    float[] w = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      w[i] = (float) best[i];
    }
    MiniLmHead head =
        new MiniLmHead(FORMAT, MiniLmEncoder.id(), w, best[DIM], bestL2, metrics, Versions.all());
    Json.write(out, head);
    log.printf(
        "MiniLM head (l2 %.0e): test accuracy %.4f (balanced %.4f), test AUC %.4f on %d texts"
            + " (%d toxic); written to %s%n",
        bestL2,
        metrics.testAccuracy(),
        metrics.testBalancedAccuracy(),
        metrics.testAuc(),
        metrics.testTexts(),
        metrics.testToxic(),
        out);
    return head;
  }

  private static List<String> textsOf(List<Document> docs) {
    return docs.stream().map(Document::text).toList();
  }

  private static int[] labels(List<Document> docs) {
    return docs.stream().mapToInt(Document::label).toArray();
  }

  private static double[] logits(float[][] x, double[] wb) {
    double[] z = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double s = wb[DIM];
      for (int d = 0; d < DIM; d++) {
        s += wb[d] * x[i][d];
      }
      z[i] = s;
    }
    return z;
  }

  /**
   * Class-balanced, L2-regularised logistic regression ({@link LogisticRegression}'s Newton fit) on
   * centred features scaled to unit mean variance (so the penalty's scale does not depend on the
   * encoder's), one fit per penalty in one batch; returns, per penalty, weights then bias, in raw
   * embedding units.
   */
  static double[][] fitLogistic(float[][] x, int[] y, double[] l2, int iterations) {
    int n = x.length;
    int d = DIM;
    double[] mu = new double[d];
    double[] sd = new double[d];
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        mu[j] += row[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mu[j] /= n;
    }
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        sd[j] += (row[j] - mu[j]) * (row[j] - mu[j]);
      }
    }
    // One scale for every dimension, not one each: a few dimensions of this encoder barely vary,
    // and per-dimension scaling turned their small weights into thousands in raw units.
    double variance = 0;
    for (int j = 0; j < d; j++) {
      variance += sd[j] / n / d;
    }
    Arrays.fill(sd, Math.sqrt(variance) + 1e-12);
    float[] xs = new float[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        xs[i * d + j] = (float) ((x[i][j] - mu[j]) / sd[j]);
      }
    }
    // Each class weighs half in the loss whatever its count: the bundled TRAIN split holds about
    // twice as many clean texts as toxic ones, and an unweighted fit would learn that prior.
    float[] yf = new float[n];
    float[] weight = new float[n];
    int positives = 0;
    for (int label : y) {
      positives += label;
    }
    Check.input(
        positives != 0 && positives != n,
        "the head needs toxic and clean training texts; got " + positives + " toxic of " + n);
    for (int i = 0; i < n; i++) {
      yf[i] = y[i];
      weight[i] = (float) (n / (2.0 * (y[i] == 1 ? positives : n - positives)));
    }
    LogisticRegression.Fit fit;
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      fit =
          LogisticRegression.fit(
              m.create(xs, new Shape(1, n, d)), yf, weight, l2, iterations, 1e-5);
    }
    double[][] out = new double[l2.length][d + 1];
    for (int g = 0; g < l2.length; g++) {
      float[] wa = fit.weights(g);
      double bias = fit.bias()[g];
      for (int j = 0; j < d; j++) {
        out[g][j] = wa[j] / sd[j];
        bias -= wa[j] * mu[j] / sd[j];
      }
      out[g][d] = bias;
    }
    return out;
  }
}
