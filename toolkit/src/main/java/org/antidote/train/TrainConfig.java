package org.antidote.train;

import org.antidote.io.Check;
import org.antidote.model.ModelConfig;
import org.antidote.model.Precision;

/**
 * Everything that decides a training run's outcome. Two runs with equal configs on the same data
 * and device produce the same weights; a run folder refuses to resume under a different config.
 *
 * @param model the model's shape
 * @param seed seeds the initial weights and the order of training windows
 * @param batchSize sequences per micro-batch
 * @param gradAccum micro-batches per optimiser step
 * @param steps optimiser steps
 * @param lr peak learning rate
 * @param minLrRatio final learning rate as a fraction of the peak (end of the cosine)
 * @param warmupSteps linear warm-up steps
 * @param weightDecay decoupled weight decay, applied to matrices only
 * @param beta1 AdamW first-moment decay
 * @param beta2 AdamW second-moment decay
 * @param eps AdamW epsilon
 * @param gradClip largest global gradient norm (0 = no clipping)
 * @param evalEvery validation every this many steps (and at the end)
 * @param evalBatches micro-batches of validation windows per evaluation
 * @param logEvery a metrics line every this many steps
 * @param checkpointEvery a checkpoint every this many steps (and at the end)
 * @param keepCheckpoints how many of the newest checkpoints to keep
 * @param bf16 matrix products in bfloat16, where {@link org.antidote.model.DtypeSupport} shows the
 *     engine can (DJL 0.33 cannot: such runs are refused before any work)
 * @param fp16 matrix products in float16 with float32 master weights, moments and loss, and dynamic
 *     loss scaling
 * @param lossScale the first loss scale of an fp16 run (halved on each overflow, doubled after
 *     {@link LossScaler#GROWTH_INTERVAL} clean steps); ignored otherwise
 * @param checkpointActivations recompute each block's activations in backward instead of keeping
 *     them (same gradients, less memory, about a third more compute)
 */
public record TrainConfig(
    ModelConfig model,
    long seed,
    int batchSize,
    int gradAccum,
    int steps,
    double lr,
    double minLrRatio,
    int warmupSteps,
    double weightDecay,
    double beta1,
    double beta2,
    double eps,
    double gradClip,
    int evalEvery,
    int evalBatches,
    int logEvery,
    int checkpointEvery,
    int keepCheckpoints,
    boolean bf16,
    boolean fp16,
    double lossScale,
    boolean checkpointActivations) {

  public TrainConfig {
    Check.present("train config: a model config", model);
    Check.positive("train config: batch size", batchSize);
    Check.positive("train config: gradient accumulation", gradAccum);
    Check.positive("train config: steps", steps);
    Check.positive("train config: eval every", evalEvery);
    Check.positive("train config: eval batches", evalBatches);
    Check.positive("train config: log every", logEvery);
    Check.positive("train config: checkpoint every", checkpointEvery);
    Check.positive("train config: keep checkpoints", keepCheckpoints);
    Check.input(lr > 0 && lr < 1, "train config: learning rate must be in (0, 1), got " + lr);
    Check.inRange("train config: min lr ratio", minLrRatio, 0, 1);
    Check.input(
        warmupSteps >= 0 && warmupSteps <= steps,
        "train config: warm-up steps must be in [0, steps = " + steps + "], got " + warmupSteps);
    Check.input(
        weightDecay >= 0 && weightDecay < 1,
        "train config: weight decay must be in [0, 1), got " + weightDecay);
    Check.input(
        beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1,
        "train config: betas must be in [0, 1), got " + beta1 + ", " + beta2);
    Check.positive("train config: eps", eps);
    Check.input(!(bf16 && fp16), "train config: choose one of bf16 and fp16, not both");
    if (lossScale == 0) {
      lossScale = LossScaler.DEFAULT_SCALE; // config.json written before fp16 existed
    }
    Check.input(
        lossScale >= 1 && !Double.isInfinite(lossScale),
        "train config: loss scale must be a finite number >= 1, got " + lossScale);
    Check.input(
        gradClip >= 0, "train config: gradient clip must be >= 0 (0 = off), got " + gradClip);
  }

  /** A builder holding every default, for a model of shape {@code model}. */
  public static Builder builder(ModelConfig model) {
    return new Builder().model(model);
  }

  /**
   * OLMo-style defaults for a model: AdamW 0.9/0.95, wd 0.1, clip 1.0, cosine to 10%, 5% warm-up.
   */
  public static TrainConfig defaults(ModelConfig model, int steps) {
    return builder(model).steps(steps).build();
  }

  /** A builder starting from this config's every value. */
  public Builder toBuilder() {
    return new Builder()
        .model(model)
        .seed(seed)
        .batchSize(batchSize)
        .gradAccum(gradAccum)
        .steps(steps)
        .lr(lr)
        .minLrRatio(minLrRatio)
        .warmupSteps(warmupSteps)
        .weightDecay(weightDecay)
        .beta1(beta1)
        .beta2(beta2)
        .eps(eps)
        .gradClip(gradClip)
        .evalEvery(evalEvery)
        .evalBatches(evalBatches)
        .logEvery(logEvery)
        .checkpointEvery(checkpointEvery)
        .keepCheckpoints(keepCheckpoints)
        .bf16(bf16)
        .fp16(fp16)
        .lossScale(lossScale)
        .checkpointActivations(checkpointActivations);
  }

  /** The same with another seed. */
  public TrainConfig withSeed(long s) {
    return toBuilder().seed(s).build();
  }

  /**
   * The same with another number of steps; the warm-up keeps its length (capped at the steps), the
   * cosine stretches to the new end.
   */
  public TrainConfig withSteps(int s) {
    return toBuilder().steps(s).warmupSteps(Math.min(warmupSteps, s)).build();
  }

  /** The same with another learning rate. */
  public TrainConfig withLr(double v) {
    return toBuilder().lr(v).build();
  }

  /** The same with other checkpoint and log intervals. */
  public TrainConfig withIntervals(int log, int eval, int checkpoint) {
    return toBuilder().logEvery(log).evalEvery(eval).checkpointEvery(checkpoint).build();
  }

  /** The same with another batch size and accumulation. */
  public TrainConfig withBatch(int batch, int accum) {
    return toBuilder().batchSize(batch).gradAccum(accum).build();
  }

  /** The same in float16 mixed precision, starting at loss scale {@code scale}. */
  public TrainConfig withFp16(double scale) {
    return toBuilder().bf16(false).fp16(true).lossScale(scale).build();
  }

  /** The same with or without activation checkpointing. */
  public TrainConfig withCheckpointActivations(boolean on) {
    return toBuilder().checkpointActivations(on).build();
  }

  /**
   * The one place training defaults are stated (OLMo's recipe at the CPU study's scale). The
   * intervals left unset follow the steps.
   */
  public static final class Builder {
    private ModelConfig model; // required: the model's shape
    private long seed = 1; // weights and window order
    private int batchSize = 16; // sequences per micro-batch
    private int gradAccum = 1; // micro-batches per optimiser step
    private int steps = 600; // the CPU study's 0% model
    private double lr = 3e-3; // peak; high, as small models allow
    private double minLrRatio = 0.1; // the cosine ends at a tenth of the peak
    private Integer warmupSteps; // null: 5% of the steps (at least 1)
    private double weightDecay = 0.1; // OLMo's, matrices only
    private double beta1 = 0.9; // AdamW, OLMo's
    private double beta2 = 0.95; // AdamW, OLMo's
    private double eps = 1e-8; // AdamW
    private double gradClip = 1.0; // global norm; 0 = off
    private Integer evalEvery; // null: a fifth of the steps (at least 1)
    private int evalBatches = 8; // validation micro-batches per evaluation
    private Integer logEvery; // null: a fiftieth of the steps (at least 1)
    private Integer checkpointEvery; // null: a fifth of the steps (at least 1)
    private int keepCheckpoints = 2; // the newest two, so a damaged last one has a fallback
    private boolean bf16 = false; // DJL 0.33 cannot: refused before any work
    private boolean fp16 = false; // float32 throughout
    private double lossScale = LossScaler.DEFAULT_SCALE; // first scale of an fp16 run
    private boolean checkpointActivations = false; // keep activations: faster, more memory

    private Builder() {}

    public Builder model(ModelConfig v) {
      model = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder gradAccum(int v) {
      gradAccum = v;
      return this;
    }

    public Builder steps(int v) {
      steps = v;
      return this;
    }

    public Builder lr(double v) {
      lr = v;
      return this;
    }

    public Builder minLrRatio(double v) {
      minLrRatio = v;
      return this;
    }

    /** Warm-up steps; null: 5% of the steps. */
    public Builder warmupSteps(Integer v) {
      warmupSteps = v;
      return this;
    }

    public Builder weightDecay(double v) {
      weightDecay = v;
      return this;
    }

    public Builder beta1(double v) {
      beta1 = v;
      return this;
    }

    public Builder beta2(double v) {
      beta2 = v;
      return this;
    }

    public Builder eps(double v) {
      eps = v;
      return this;
    }

    public Builder gradClip(double v) {
      gradClip = v;
      return this;
    }

    /** Validation interval; null: a fifth of the steps. */
    public Builder evalEvery(Integer v) {
      evalEvery = v;
      return this;
    }

    public Builder evalBatches(int v) {
      evalBatches = v;
      return this;
    }

    /** Metrics interval; null: a fiftieth of the steps. */
    public Builder logEvery(Integer v) {
      logEvery = v;
      return this;
    }

    /** Checkpoint interval; null: a fifth of the steps. */
    public Builder checkpointEvery(Integer v) {
      checkpointEvery = v;
      return this;
    }

    public Builder keepCheckpoints(int v) {
      keepCheckpoints = v;
      return this;
    }

    public Builder bf16(boolean v) {
      bf16 = v;
      return this;
    }

    public Builder fp16(boolean v) {
      fp16 = v;
      return this;
    }

    public Builder lossScale(double v) {
      lossScale = v;
      return this;
    }

    public Builder checkpointActivations(boolean v) {
      checkpointActivations = v;
      return this;
    }

    /** The config, validated. */
    public TrainConfig build() {
      int fifth = Math.max(1, steps / 5);
      return new TrainConfig(
          model,
          seed,
          batchSize,
          gradAccum,
          steps,
          lr,
          minLrRatio,
          warmupSteps != null ? warmupSteps : Math.max(1, steps / 20),
          weightDecay,
          beta1,
          beta2,
          eps,
          gradClip,
          evalEvery != null ? evalEvery : fifth,
          evalBatches,
          logEvery != null ? logEvery : Math.max(1, steps / 50),
          checkpointEvery != null ? checkpointEvery : fifth,
          keepCheckpoints,
          bf16,
          fp16,
          lossScale,
          checkpointActivations);
    }
  }

  /** The format of the matrix products. */
  public Precision precision() {
    return fp16 ? Precision.FP16 : bf16 ? Precision.BF16 : Precision.FP32;
  }

  /** Tokens consumed per optimiser step. */
  public long tokensPerStep() {
    return (long) batchSize * gradAccum * model.context();
  }

  /** The learning rate at {@code step} (0-based): linear warm-up, then cosine down to the floor. */
  public double lrAt(int step) {
    if (step < warmupSteps) {
      return lr * (step + 1) / warmupSteps;
    }
    double progress =
        steps == warmupSteps ? 1 : (double) (step - warmupSteps) / (steps - warmupSteps);
    double floor = lr * minLrRatio;
    return floor + (lr - floor) * 0.5 * (1 + StrictMath.cos(Math.PI * Math.min(1, progress)));
  }
}
