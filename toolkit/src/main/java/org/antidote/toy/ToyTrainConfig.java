package org.antidote.toy;

import java.util.Locale;
import org.antidote.model.ModelConfig;
import org.antidote.train.TrainConfig;

/**
 * The toy model's shape and every training setting the paper leaves unstated, in one place. The
 * model is the toolkit's ordinary transformer (rotary positions, SwiGLU, non-parametric LayerNorm,
 * tied embeddings); only its size is tiny.
 *
 * @param layers transformer blocks
 * @param dModel residual stream width
 * @param heads attention heads (d_model / heads must be even, for rotary embeddings)
 * @param dMlp MLP hidden width
 * @param seqLen training window (the model's context) and the probe sequences' length
 * @param optimizer "adamw" (decoupled weight decay on matrices) or "adam" (the same with no decay)
 * @param lr peak learning rate (linear warm-up, cosine decay to a tenth)
 * @param steps optimiser steps
 * @param batch sequences per step
 * @param warmup warm-up steps
 * @param weightDecay AdamW weight decay (must be 0 for "adam")
 * @param beta1 first-moment decay
 * @param beta2 second-moment decay
 * @param gradClip largest global gradient norm (0 = off)
 * @param initStd standard deviation of the normal initial weights (the toolkit's 0.02 suits wide
 *     models; a width-4 stream starts nearly silent with it)
 */
public record ToyTrainConfig(
    int layers,
    int dModel,
    int heads,
    int dMlp,
    int seqLen,
    String optimizer,
    double lr,
    int steps,
    int batch,
    int warmup,
    double weightDecay,
    double beta1,
    double beta2,
    double gradClip,
    double initStd) {

  public ToyTrainConfig {
    require(optimizer != null, "optimizer must be adamw or adam");
    optimizer = optimizer.strip().toLowerCase(Locale.ROOT);
    require(
        optimizer.equals("adamw") || optimizer.equals("adam"),
        "optimizer must be adamw or adam, got " + optimizer);
    require(
        !optimizer.equals("adam") || weightDecay == 0,
        "optimizer adam has no weight decay; use adamw or weight decay 0, got " + weightDecay);
    require(seqLen >= 2, "sequence length must be >= 2, got " + seqLen);
    require(steps >= 1, "steps must be >= 1, got " + steps);
    require(batch >= 1, "batch must be >= 1, got " + batch);
    // The shape and the optimiser's numbers are validated once more, with the same words, by the
    // records they become; building them here makes a bad toy config fail before any data is made.
    // (Fields are assigned only after this body, so the parameters are passed explicitly.)
    trainConfig(
        new ModelConfig(
            layers,
            heads,
            dModel,
            dMlp,
            seqLen,
            2,
            ROPE_THETA,
            ModelConfig.Norm.LAYER_NORM,
            true,
            initStd),
        1,
        batch,
        steps,
        lr,
        warmup,
        weightDecay,
        beta1,
        beta2,
        gradClip);
  }

  private static final double ROPE_THETA = 10_000;

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("toy train config: " + message);
    }
  }

  /**
   * The default budget: 4 layers, width 4, 2 heads, MLP 16, windows of 32 tokens, AdamW (0.9/0.95,
   * weight decay 0.1, clip 1), peak lr 1e-2, 1000 steps of 32 windows, initial weights N(0, 0.3)
   * (with the toolkit's 0.02 a third of the seeds stayed on the unigram plateau for all 1000
   * steps).
   */
  public static ToyTrainConfig defaults() {
    return new ToyTrainConfig(
        4, 4, 2, 16, 32, "adamw", 1e-2, 1000, 32, 50, 0.1, 0.9, 0.95, 1.0, 0.3);
  }

  /** The same with another step count (warm-up kept at 5% of it). */
  public ToyTrainConfig withSteps(int s) {
    return new ToyTrainConfig(
        layers,
        dModel,
        heads,
        dMlp,
        seqLen,
        optimizer,
        lr,
        s,
        batch,
        Math.max(1, s / 20),
        weightDecay,
        beta1,
        beta2,
        gradClip,
        initStd);
  }

  /** The toolkit's model config for a data vocabulary of {@code vocab} ids (separator included). */
  public ModelConfig modelConfig(int vocab) {
    return new ModelConfig(
        layers,
        heads,
        dModel,
        dMlp,
        seqLen,
        vocab,
        ROPE_THETA,
        ModelConfig.Norm.LAYER_NORM,
        true,
        initStd);
  }

  /**
   * The toolkit's train config: checkpoints only at the end (the runs are seconds long) and one
   * validation at the end.
   */
  public TrainConfig toTrainConfig(int vocab, long seed) {
    return trainConfig(
        modelConfig(vocab), seed, batch, steps, lr, warmup, weightDecay, beta1, beta2, gradClip);
  }

  private static TrainConfig trainConfig(
      ModelConfig model,
      long seed,
      int batch,
      int steps,
      double lr,
      int warmup,
      double weightDecay,
      double beta1,
      double beta2,
      double gradClip) {
    return new TrainConfig(
        model,
        seed,
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
}
