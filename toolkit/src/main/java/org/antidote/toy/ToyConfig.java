package org.antidote.toy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.io.Json;
import org.antidote.model.ModelConfig;
import org.antidote.train.TrainConfig;

/**
 * One cell of the toy experiment: data, model and training, probes, and the seed that drives all
 * three (data with {@code seed}, weights and window order with {@code seed}, probe data with {@code
 * seed + 1_000_003}).
 *
 * <p>The model and its training are the toolkit's own {@link TrainConfig}, exactly as the {@link
 * org.antidote.train.Trainer} runs it: the model is the ordinary transformer (rotary positions,
 * SwiGLU, non-parametric LayerNorm, tied embeddings), only tiny. Its vocabulary and seed are the
 * cell's (the data's vocabulary plus the separator, and {@code seed}), whatever the config passed
 * in says.
 *
 * @param data the Markov chains and the rare share
 * @param train the model and its training
 * @param probe the probes
 * @param seed the cell's seed
 * @param reading how feature directions are read (null only in cells stored before readings
 *     existed)
 */
public record ToyConfig(
    MarkovConfig data, TrainConfig train, ToyProbeConfig probe, long seed, Reading reading) {

  /** Base of the rotary position frequencies of the toy's model (the toolkit's usual). */
  static final double ROPE_THETA = 10_000;

  /** How feature directions are read off the residual stream. */
  public enum Reading {
    /**
     * The paper's: per context token, a probe for each of the 12 features (chain x current token)
     * against the other 11; a feature's direction is the mean of its unit normals over the
     * vocabulary ({@link FeatureReading}).
     */
    FEATURES,
    /**
     * The earlier reading: per last token, "this chain vs the other chains" probes ({@link
     * MarkovToy}).
     */
    CHAINS;

    /** Parses "features" or "chains". */
    public static Reading parse(String s) {
      return switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "features" -> FEATURES;
        case "chains" -> CHAINS;
        default -> throw new BadInputException("--reading '" + s + "' is not features or chains");
      };
    }
  }

  /** A cell read the paper's way. */
  public ToyConfig(MarkovConfig data, TrainConfig train, ToyProbeConfig probe, long seed) {
    this(data, train, probe, seed, Reading.FEATURES);
  }

  public ToyConfig {
    Check.input(
        data != null && train != null && probe != null,
        "toy config: data, train and probe configs are all required");
    train = forCell(train, data.vocab() + 1, seed);
    ModelConfig model = train.model();
    Check.input(
        probe.layer() < model.layers(),
        "toy config: probe layer must be in [0, layers = "
            + model.layers()
            + "), got "
            + probe.layer());
    // Each probe sees chains x perFeature points in d_model dimensions and has d_model + 1 weights.
    int minimum = 2 * (model.dModel() + 1);
    Check.input(
        probe.perFeature() >= minimum,
        "toy config: "
            + data.features()
            + " features (chains "
            + data.chains()
            + " x vocab "
            + data.vocab()
            + ") cannot be separated by probes with "
            + probe.perFeature()
            + " sequences per feature in d_model = "
            + model.dModel()
            + " dimensions; give per feature >= "
            + minimum
            + " (twice the probe's d_model + 1 weights)");
  }

  /**
   * The default model: 4 layers, width 4, 2 heads, MLP 16, windows of 32 tokens, initial weights
   * N(0, 0.3) (with the toolkit's 0.02 a width-4 stream starts nearly silent, and a third of the
   * seeds stayed on the unigram plateau for all 1000 steps). Its vocabulary is set by the cell.
   */
  public static ModelConfig defaultModel() {
    return new ModelConfig(4, 2, 4, 16, 32, 2, ROPE_THETA, ModelConfig.Norm.LAYER_NORM, true, 0.3);
  }

  /**
   * The default training of {@link #defaultModel()}: AdamW (0.9/0.95, weight decay 0.1, clip 1),
   * peak lr 1e-2, 1000 steps of 32 windows.
   */
  public static TrainConfig defaultTrain() {
    return train(defaultModel(), 1000, 32, 1e-2, 50, 0.1, 0.9, 0.95, 1.0);
  }

  /**
   * The toy's training of {@code model}: the settings the paper leaves unstated, with the rest
   * fixed for runs that last seconds (no accumulation, cosine to a tenth of the peak, one
   * validation and one checkpoint at the end, a metrics line every tenth of the run). Weight decay
   * 0 is plain Adam.
   */
  public static TrainConfig train(
      ModelConfig model,
      int steps,
      int batch,
      double lr,
      int warmup,
      double weightDecay,
      double beta1,
      double beta2,
      double gradClip) {
    Check.positive("toy train config: steps", steps);
    // TrainConfig's canonical constructor until it has a builder (issue 18, one source of
    // defaults); the cell sets the seed.
    return new TrainConfig(
        model,
        1,
        batch,
        1,
        steps,
        lr,
        0.1,
        warmup,
        weightDecay,
        beta1,
        beta2,
        1e-8,
        gradClip,
        steps,
        4,
        Math.max(1, steps / 10),
        steps,
        1,
        false,
        false,
        0,
        false);
  }

  /**
   * The weight decay of {@code optimizer}: "adamw" decays matrices by {@code weightDecay} (0.1 when
   * null); "adam" is AdamW without decay, so it refuses any other decay than 0.
   */
  public static double weightDecay(String optimizer, Double weightDecay) {
    Check.input(optimizer != null, "optimizer must be adamw or adam");
    String o = optimizer.strip().toLowerCase(Locale.ROOT);
    Check.input(
        o.equals("adamw") || o.equals("adam"), "optimizer must be adamw or adam, got " + optimizer);
    if (o.equals("adam")) {
      Check.input(
          weightDecay == null || weightDecay == 0,
          "optimizer adam has no weight decay; use adamw or weight decay 0, got " + weightDecay);
      return 0;
    }
    return weightDecay == null ? 0.1 : weightDecay;
  }

  /** The paper's shape with the default budget, at {@code share} and {@code seed}. */
  public static ToyConfig defaults(double share, long seed) {
    TrainConfig t = defaultTrain();
    return new ToyConfig(
        MarkovConfig.defaults(share), t, ToyProbeConfig.defaults(t.model().layers()), seed);
  }

  /** The same at another share and seed. */
  public ToyConfig at(double share, long s) {
    return new ToyConfig(data.withShare(share), train, probe, s, reading);
  }

  /** The same with other probes. */
  public ToyConfig withProbe(ToyProbeConfig p) {
    return new ToyConfig(data, train, p, seed, reading);
  }

  /** The same with other training (its vocabulary and seed become the cell's). */
  public ToyConfig withTrain(TrainConfig t) {
    return new ToyConfig(data, t, probe, seed, reading);
  }

  /** The same with the toy's training for {@code s} steps (warm-up kept at 5% of them). */
  public ToyConfig withSteps(int s) {
    return withTrain(
        train(
            train.model(),
            s,
            train.batchSize(),
            train.lr(),
            Math.max(1, s / 20),
            train.weightDecay(),
            train.beta1(),
            train.beta2(),
            train.gradClip()));
  }

  /** The same read another way. */
  public ToyConfig withReading(Reading r) {
    return new ToyConfig(data, train, probe, seed, r);
  }

  /** {@code t} with the model's vocabulary and the seed of a cell. */
  private static TrainConfig forCell(TrainConfig t, int vocab, long seed) {
    if (t.model().vocab() == vocab && t.seed() == seed) {
      return t;
    }
    return new TrainConfig(
        t.model().withVocab(vocab),
        seed,
        t.batchSize(),
        t.gradAccum(),
        t.steps(),
        t.lr(),
        t.minLrRatio(),
        t.warmupSteps(),
        t.weightDecay(),
        t.beta1(),
        t.beta2(),
        t.eps(),
        t.gradClip(),
        t.evalEvery(),
        t.evalBatches(),
        t.logEvery(),
        t.checkpointEvery(),
        t.keepCheckpoints(),
        t.bf16(),
        t.fp16(),
        t.lossScale(),
        t.checkpointActivations());
  }

  /**
   * Reads a stored cell's config. Cells stored before the toy held a {@link TrainConfig} have a
   * flat "train" (layers, dModel, heads, dMlp, seqLen, optimizer, lr, steps, batch, warmup,
   * weightDecay, beta1, beta2, gradClip, initStd); it becomes the same TrainConfig their model was
   * trained with.
   */
  @JsonCreator
  static ToyConfig fromJson(
      @JsonProperty("data") MarkovConfig data,
      @JsonProperty("train") JsonNode train,
      @JsonProperty("probe") ToyProbeConfig probe,
      @JsonProperty("seed") long seed,
      @JsonProperty("reading") Reading reading) {
    TrainConfig t;
    if (train == null || train.isNull()) {
      t = null;
    } else if (train.has("model")) {
      t = Json.MAPPER.convertValue(train, TrainConfig.class);
    } else {
      ModelConfig m =
          new ModelConfig(
              train.path("layers").asInt(),
              train.path("heads").asInt(),
              train.path("dModel").asInt(),
              train.path("dMlp").asInt(),
              train.path("seqLen").asInt(),
              2,
              ROPE_THETA,
              ModelConfig.Norm.LAYER_NORM,
              true,
              train.path("initStd").asDouble());
      t =
          train(
              m,
              train.path("steps").asInt(),
              train.path("batch").asInt(),
              train.path("lr").asDouble(),
              train.path("warmup").asInt(),
              train.path("weightDecay").asDouble(),
              train.path("beta1").asDouble(),
              train.path("beta2").asDouble(),
              train.path("gradClip").asDouble());
    }
    return new ToyConfig(data, t, probe, seed, reading);
  }
}
