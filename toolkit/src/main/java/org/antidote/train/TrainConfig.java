package org.antidote.train;

import org.antidote.model.ModelConfig;

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
    if (model == null) {
      throw new IllegalArgumentException("train config: a model config is required");
    }
    positive("batch size", batchSize);
    positive("gradient accumulation", gradAccum);
    positive("steps", steps);
    positive("eval every", evalEvery);
    positive("eval batches", evalBatches);
    positive("log every", logEvery);
    positive("checkpoint every", checkpointEvery);
    positive("keep checkpoints", keepCheckpoints);
    if (!(lr > 0 && lr < 1)) {
      throw new IllegalArgumentException(
          "train config: learning rate must be in (0, 1), got " + lr);
    }
    if (!(minLrRatio >= 0 && minLrRatio <= 1)) {
      throw new IllegalArgumentException(
          "train config: min lr ratio must be in [0, 1], got " + minLrRatio);
    }
    if (warmupSteps < 0 || warmupSteps > steps) {
      throw new IllegalArgumentException(
          "train config: warm-up steps must be in [0, steps = " + steps + "], got " + warmupSteps);
    }
    if (!(weightDecay >= 0 && weightDecay < 1)) {
      throw new IllegalArgumentException(
          "train config: weight decay must be in [0, 1), got " + weightDecay);
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException(
          "train config: betas must be in [0, 1), got " + beta1 + ", " + beta2);
    }
    if (!(eps > 0)) {
      throw new IllegalArgumentException("train config: eps must be > 0, got " + eps);
    }
    if (bf16 && fp16) {
      throw new IllegalArgumentException("train config: choose one of bf16 and fp16, not both");
    }
    if (lossScale == 0) {
      lossScale = LossScaler.DEFAULT_SCALE; // config.json written before fp16 existed
    }
    if (!(lossScale >= 1) || Double.isInfinite(lossScale)) {
      throw new IllegalArgumentException(
          "train config: loss scale must be a finite number >= 1, got " + lossScale);
    }
    if (!(gradClip >= 0)) {
      throw new IllegalArgumentException(
          "train config: gradient clip must be >= 0 (0 = off), got " + gradClip);
    }
  }

  private static void positive(String what, int v) {
    if (v < 1) {
      throw new IllegalArgumentException("train config: " + what + " must be >= 1, got " + v);
    }
  }

  /**
   * OLMo-style defaults for a model: AdamW 0.9/0.95, wd 0.1, clip 1.0, cosine to 10%, 5% warm-up.
   */
  public static TrainConfig defaults(ModelConfig model, int steps) {
    return new TrainConfig(
        model,
        1,
        16,
        1,
        steps,
        3e-3,
        0.1,
        Math.max(1, steps / 20),
        0.1,
        0.9,
        0.95,
        1e-8,
        1.0,
        Math.max(1, steps / 5),
        8,
        Math.max(1, steps / 50),
        Math.max(1, steps / 5),
        2,
        false,
        false,
        LossScaler.DEFAULT_SCALE,
        false);
  }

  /** The same with another seed. */
  public TrainConfig withSeed(long s) {
    return new TrainConfig(
        model,
        s,
        batchSize,
        gradAccum,
        steps,
        lr,
        minLrRatio,
        warmupSteps,
        weightDecay,
        beta1,
        beta2,
        eps,
        gradClip,
        evalEvery,
        evalBatches,
        logEvery,
        checkpointEvery,
        keepCheckpoints,
        bf16,
        fp16,
        lossScale,
        checkpointActivations);
  }

  /**
   * The same with another number of steps; the warm-up keeps its length (capped at the steps), the
   * cosine stretches to the new end.
   */
  public TrainConfig withSteps(int s) {
    return new TrainConfig(
        model,
        seed,
        batchSize,
        gradAccum,
        s,
        lr,
        minLrRatio,
        Math.min(warmupSteps, s),
        weightDecay,
        beta1,
        beta2,
        eps,
        gradClip,
        evalEvery,
        evalBatches,
        logEvery,
        checkpointEvery,
        keepCheckpoints,
        bf16,
        fp16,
        lossScale,
        checkpointActivations);
  }

  /** The same with another learning rate. */
  public TrainConfig withLr(double v) {
    return new TrainConfig(
        model,
        seed,
        batchSize,
        gradAccum,
        steps,
        v,
        minLrRatio,
        warmupSteps,
        weightDecay,
        beta1,
        beta2,
        eps,
        gradClip,
        evalEvery,
        evalBatches,
        logEvery,
        checkpointEvery,
        keepCheckpoints,
        bf16,
        fp16,
        lossScale,
        checkpointActivations);
  }

  /** The same with other checkpoint and log intervals. */
  public TrainConfig withIntervals(int log, int eval, int checkpoint) {
    return new TrainConfig(
        model,
        seed,
        batchSize,
        gradAccum,
        steps,
        lr,
        minLrRatio,
        warmupSteps,
        weightDecay,
        beta1,
        beta2,
        eps,
        gradClip,
        eval,
        evalBatches,
        log,
        checkpoint,
        keepCheckpoints,
        bf16,
        fp16,
        lossScale,
        checkpointActivations);
  }

  /** The same with another batch size and accumulation. */
  public TrainConfig withBatch(int batch, int accum) {
    return new TrainConfig(
        model,
        seed,
        batch,
        accum,
        steps,
        lr,
        minLrRatio,
        warmupSteps,
        weightDecay,
        beta1,
        beta2,
        eps,
        gradClip,
        evalEvery,
        evalBatches,
        logEvery,
        checkpointEvery,
        keepCheckpoints,
        bf16,
        fp16,
        lossScale,
        checkpointActivations);
  }

  /** The same in float16 mixed precision, starting at loss scale {@code scale}. */
  public TrainConfig withFp16(double scale) {
    return new TrainConfig(
        model,
        seed,
        batchSize,
        gradAccum,
        steps,
        lr,
        minLrRatio,
        warmupSteps,
        weightDecay,
        beta1,
        beta2,
        eps,
        gradClip,
        evalEvery,
        evalBatches,
        logEvery,
        checkpointEvery,
        keepCheckpoints,
        false,
        true,
        scale,
        checkpointActivations);
  }

  /** The same with or without activation checkpointing. */
  public TrainConfig withCheckpointActivations(boolean on) {
    return new TrainConfig(
        model,
        seed,
        batchSize,
        gradAccum,
        steps,
        lr,
        minLrRatio,
        warmupSteps,
        weightDecay,
        beta1,
        beta2,
        eps,
        gradClip,
        evalEvery,
        evalBatches,
        logEvery,
        checkpointEvery,
        keepCheckpoints,
        bf16,
        fp16,
        lossScale,
        on);
  }

  /** The format of the matrix products. */
  public org.antidote.model.Precision precision() {
    return fp16
        ? org.antidote.model.Precision.FP16
        : bf16 ? org.antidote.model.Precision.BF16 : org.antidote.model.Precision.FP32;
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
