package org.antidote.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.antidote.io.SafeTensors;
import org.antidote.model.Transformer;
import org.antidote.tokenize.PackedTokens;

/**
 * The training loop: each step accumulates gradients over micro-batches, scales an fp16 loss, and
 * applies AdamW; what happens around a step (checkpoints, divergence, progress) is its {@link
 * Listener}s' business. Owns the model, the optimiser and the open data while it runs. Nothing in
 * it is random but the seeded initialisation and data order, so a loop resumed from a {@link
 * ResumeState} takes the same steps as one never stopped.
 */
final class TrainLoop implements AutoCloseable {

  /** One concern around the steps; the loop calls its listeners in the order given. */
  interface Listener {
    /** Before the step after {@code loop.step()}: the place to stop cleanly. */
    default void beforeStep(TrainLoop loop) {}

    /** The step's loss, before the update touches the weights. */
    default void lossComputed(TrainLoop loop, int step, double loss) {}

    /** A step is done (its update applied, or skipped by the fp16 loss scale). */
    default void afterStep(TrainLoop loop, Step step) {}
  }

  /**
   * One finished step.
   *
   * @param step optimiser steps done, this one included
   * @param lr its learning rate
   * @param loss its loss, averaged over micro-batches
   * @param gradNorm its global gradient norm, before clipping
   */
  record Step(int step, double lr, double loss, double gradNorm) {}

  private final TrainConfig config;
  private final Transformer model;
  private final AdamW optimizer;
  private final PackedTokens train;
  private final PackedTokens validation;
  private final PackedTokens.WindowSampler sampler;
  private final int window;
  private LossScaler scaler;
  private int skipped;
  private int step;
  private double elapsedBefore;
  private long start = System.nanoTime();

  private TrainLoop(
      TrainConfig config,
      Transformer model,
      AdamW optimizer,
      PackedTokens train,
      PackedTokens validation) {
    this.config = config;
    this.model = model;
    this.optimizer = optimizer;
    this.train = train;
    this.validation = validation;
    this.window = config.model().context() + 1;
    this.sampler = train.sampler(window, config.seed());
    this.scaler = config.fp16() ? new LossScaler(config.lossScale(), 0) : null;
    model.precision(config.precision());
  }

  /**
   * A loop at step 0 over {@code data}'s splits: a seeded model on {@code device}, or one starting
   * from {@code initWeights} (a finished run's weights, without any baked intervention) when that
   * is not null.
   */
  static TrainLoop open(TrainConfig config, Path data, Device device, Path initWeights) {
    Transformer model = Transformer.create(config.model(), config.seed(), device);
    AdamW optimizer = null;
    PackedTokens train = null;
    PackedTokens validation = null;
    try {
      optimizer = new AdamW(model, config);
      train = PackedTokens.open(data, "train");
      validation = PackedTokens.open(data, "validation");
      TrainLoop loop = new TrainLoop(config, model, optimizer, train, validation);
      if (initWeights != null) {
        Map<String, SafeTensors.Tensor> init =
            new LinkedHashMap<>(SafeTensors.read(initWeights).tensors());
        // A baked intervention is not part of the weights to tune.
        init.keySet().removeIf(k -> k.endsWith(".b_O"));
        model.loadState(init);
      }
      return loop;
    } catch (RuntimeException e) {
      for (AutoCloseable c : new AutoCloseable[] {validation, train, optimizer, model}) {
        try {
          if (c != null) {
            c.close();
          }
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** Continues from a checkpoint's state (its tensors are already in the model and optimiser). */
  void resume(ResumeState state) {
    step = state.step();
    elapsedBefore = state.elapsedSeconds();
    sampler.skipTo(state.drawn());
    if (scaler != null && state.lossScale() != null) {
      scaler = new LossScaler(state.lossScale(), state.cleanSteps());
    }
  }

  /** Takes steps until the config's last, telling {@code listeners} about each. */
  void run(List<Listener> listeners) {
    start = System.nanoTime();
    while (step < config.steps()) {
      for (Listener l : listeners) {
        l.beforeStep(this);
      }
      double lr = config.lrAt(step);
      float lossScale = scaler == null ? 1f : (float) scaler.scale();
      double loss = accumulate(lossScale);
      for (Listener l : listeners) {
        l.lossComputed(this, step + 1, loss);
      }
      double gradNorm = optimizer.step(lr, 1f / lossScale);
      // An fp16 overflow is not divergence: AdamW left the weights alone; the scale halves.
      if (scaler != null && !scaler.update(Double.isFinite(gradNorm))) {
        skipped++;
      }
      step++;
      Step done = new Step(step, lr, loss, gradNorm);
      for (Listener l : listeners) {
        l.afterStep(this, done);
      }
    }
  }

  /** Forward and backward over the step's micro-batches; returns their mean loss. */
  private double accumulate(float lossScale) {
    double loss = 0;
    for (int micro = 0; micro < config.gradAccum(); micro++) {
      try (NDManager s = model.manager().newSubManager()) {
        NDArray[] batch = batch(s, sampler, config.batchSize(), window);
        UnaryOperator<NDArray> objective =
            l -> {
              NDArray scaled = !config.fp16() ? l : l.mul(s.create(lossScale));
              return config.gradAccum() == 1 ? scaled : scaled.div(s.create(config.gradAccum()));
            };
        loss +=
            model.backward(batch[0], batch[1], objective, config.checkpointActivations())
                / config.gradAccum();
      }
    }
    return loss;
  }

  TrainConfig config() {
    return config;
  }

  Transformer model() {
    return model;
  }

  AdamW optimizer() {
    return optimizer;
  }

  /** Optimiser steps done. */
  int step() {
    return step;
  }

  /**
   * Whether an fp16 loss scale guards the updates (then a non-finite gradient is not divergence).
   */
  boolean lossScaled() {
    return scaler != null;
  }

  /** An fp16 run's loss scale now, else null. */
  Double lossScale() {
    return scaler == null ? null : scaler.scale();
  }

  /** An fp16 run's steps skipped in this process because gradients overflowed, else null. */
  Integer skippedSteps() {
    return scaler == null ? null : skipped;
  }

  /** Training time up to {@code nanoTime}: this process's and the earlier ones'. */
  double elapsedSeconds(long nanoTime) {
    return elapsedBefore + (nanoTime - start) / 1e9;
  }

  /** The state a checkpoint written now holds beside the tensors. */
  ResumeState state() {
    return new ResumeState(
        step,
        sampler.drawn(),
        elapsedSeconds(System.nanoTime()),
        optimizer.steps(),
        scaler == null ? null : scaler.scale(),
        scaler == null ? null : scaler.cleanSteps());
  }

  /** Writes the checkpoint of the current step into {@code runDir}. */
  void checkpoint(Path runDir, String fingerprint) {
    state().save(runDir, model, optimizer, fingerprint, config.keepCheckpoints());
  }

  /** Mean validation loss over the same evenly spaced windows at every evaluation. */
  double validationLoss() {
    return evaluate(model, validation, config);
  }

  /** The add-one-smoothed unigram baseline of this data (see {@link TrainResult#unigramLoss}). */
  double unigramLoss() {
    return unigramLoss(train, validation, config.model().vocab());
  }

  @Override
  public void close() {
    try (model;
        optimizer;
        train;
        validation) {
      // Nothing to do in here: leaving the block closes them, the last opened first.
    }
  }

  /** A batch of {@code batchSize} windows: inputs and next-token targets, each [B, window - 1]. */
  static NDArray[] batch(
      NDManager m, PackedTokens.WindowSampler sampler, int batchSize, int window) {
    int t = window - 1;
    long[] x = new long[batchSize * t];
    long[] y = new long[batchSize * t];
    for (int b = 0; b < batchSize; b++) {
      int[] w = sampler.next();
      for (int i = 0; i < t; i++) {
        x[b * t + i] = w[i];
        y[b * t + i] = w[i + 1];
      }
    }
    Shape shape = new Shape(batchSize, t);
    return new NDArray[] {m.create(x, shape), m.create(y, shape)};
  }

  /** Mean validation loss over evenly spaced windows: the same windows at every evaluation. */
  static double evaluate(Transformer model, PackedTokens validation, TrainConfig config) {
    int window = config.model().context() + 1;
    int n = config.evalBatches() * config.batchSize();
    long span = validation.length() - window;
    double sum = 0;
    int batches = 0;
    for (int start = 0; start < n; start += config.batchSize()) {
      int b = Math.min(config.batchSize(), n - start);
      long[] x = new long[b * (window - 1)];
      long[] y = new long[b * (window - 1)];
      for (int i = 0; i < b; i++) {
        long offset = n == 1 ? 0 : span * (start + i) / (n - 1);
        int[] w = validation.window(offset, window);
        for (int j = 0; j < window - 1; j++) {
          x[i * (window - 1) + j] = w[j];
          y[i * (window - 1) + j] = w[j + 1];
        }
      }
      try (NDManager s = model.manager().newSubManager()) {
        Shape shape = new Shape(b, window - 1);
        sum += model.loss(s.create(x, shape), s.create(y, shape)).getFloat();
        batches++;
      }
    }
    return sum / batches;
  }

  /** Cross-entropy on validation of the training tokens' add-one-smoothed unigram distribution. */
  static double unigramLoss(PackedTokens train, PackedTokens validation, int vocab) {
    long[] counts = new long[vocab];
    for (long i = 0; i < train.length(); i++) {
      counts[train.get(i)]++;
    }
    double total = train.length() + vocab;
    double sum = 0;
    for (long i = 0; i < validation.length(); i++) {
      sum -= StrictMath.log((counts[validation.get(i)] + 1) / total);
    }
    return sum / validation.length();
  }
}
