package org.antidote.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.antidote.io.Check;
import org.antidote.model.Hooks;
import org.antidote.model.Transformer;

/**
 * Direct preference optimisation (Rafailov et al. 2023): fine-tunes a model so that, for the same
 * prompt, a preferred continuation gains log-probability over a rejected one relative to a frozen
 * reference. The reference is the model as it is when training starts; its log-probabilities are
 * computed once, before the first update, which is the same as keeping a frozen copy. Loss per
 * pair: {@code -log sigmoid(beta * ((pi_w - ref_w) - (pi_l - ref_l)))}, with {@code pi} and {@code
 * ref} the summed log-probabilities of the continuation's tokens.
 */
public final class Dpo {

  private Dpo() {}

  /**
   * DPO settings.
   *
   * @param beta strength of the implicit KL penalty to the reference
   * @param steps optimiser steps
   * @param batchSize pairs per step
   * @param lr learning rate (constant)
   * @param seed seed of the pair sampling
   */
  public record Config(double beta, int steps, int batchSize, double lr, long seed) {

    /** Refuses a non-positive beta or learning rate and counts below 1. */
    public Config {
      Check.input(
          beta > 0 && !Double.isInfinite(beta) && lr > 0 && !Double.isInfinite(lr),
          "DPO: beta and learning rate must be positive, got beta " + beta + ", lr " + lr);
      Check.input(
          steps >= 1 && batchSize >= 1,
          "DPO: steps and batch size must be >= 1, got " + steps + " and " + batchSize);
    }

    /** beta 0.1 (the DPO paper's), batch 8, learning rate 1e-4, seed 1. */
    public static Config defaults(int steps) {
      return new Config(0.1, steps, 8, 1e-4, 1);
    }
  }

  /**
   * A prompt with the continuation to prefer and the one to reject (token ids, prompt non-empty).
   */
  public record Pair(int[] prompt, int[] preferred, int[] rejected) {

    /** Refuses an empty prompt or continuation. */
    public Pair {
      Check.input(
          prompt.length > 0 && preferred.length > 0 && rejected.length > 0,
          "a DPO pair needs a prompt and two continuations, each non-empty");
    }
  }

  /**
   * What a DPO run did.
   *
   * @param config its settings
   * @param pairs pairs it trained on
   * @param logRatioBefore mean over pairs of log p(rejected) - log p(preferred) before training
   * @param logRatioAfter the same after training (lower: the rejected continuation lost ground)
   * @param losses mean loss of each step
   */
  public record Result(
      Config config, int pairs, double logRatioBefore, double logRatioAfter, List<Double> losses) {}

  /**
   * Trains {@code model} in place on {@code pairs}; AdamW's betas, epsilon, weight decay and
   * gradient clipping come from {@code optimiser} (the run's own training settings).
   */
  public static Result train(
      Transformer model, List<Pair> pairs, Config config, TrainConfig optimiser) {
    Check.input(!pairs.isEmpty(), "DPO needs at least one preference pair");
    int context = model.config().context();
    for (Pair p : pairs) {
      int longest = p.prompt().length + Math.max(p.preferred().length, p.rejected().length);
      Check.input(
          longest <= context,
          "a DPO pair has "
              + longest
              + " tokens, more than the model's context of "
              + context
              + "; shorten the prompts or continuations");
    }
    double[][] reference = logProbs(model, pairs);
    double before = meanRatio(reference);
    List<Double> losses = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(config.seed());
    try (AdamW adam = new AdamW(model, optimiser)) {
      for (int step = 0; step < config.steps(); step++) {
        if (Thread.currentThread().isInterrupted()) {
          throw new CancellationException("DPO interrupted at step " + step);
        }
        double loss = 0;
        try (NDManager s = model.manager().newSubManager();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          // Constants as tensors of this step's manager, never Numbers: DJL frees the tensor it
          // wraps a Number in at once, while autograd keeps it for backward, which then reads
          // freed memory (the demo's DPO from the same weights then ended at a log-ratio of +13.1
          // in
          // one run and -20.4 in another).
          NDArray beta = s.create((float) config.beta());
          NDArray zero = s.create(0f);
          NDArray one = s.create(1f);
          NDArray total = null;
          for (int b = 0; b < config.batchSize(); b++) {
            int i = rng.nextInt(pairs.size());
            Pair p = pairs.get(i);
            NDArray w = continuationLogProb(model, s, p.prompt(), p.preferred());
            NDArray l = continuationLogProb(model, s, p.prompt(), p.rejected());
            NDArray refMargin = s.create((float) (reference[i][0] - reference[i][1]));
            NDArray z = w.sub(l).sub(refMargin).mul(beta);
            // -log sigmoid(z) = softplus(-z), written to stay finite for large |z|.
            NDArray lossOne = z.neg().maximum(zero).add(z.abs().neg().exp().add(one).log());
            total = total == null ? lossOne : total.add(lossOne);
          }
          NDArray mean = total.div(s.create((float) config.batchSize()));
          gc.backward(mean);
          loss = mean.getFloat();
        }
        if (!Double.isFinite(loss)) {
          throw new IllegalStateException(
              "DPO diverged at step "
                  + (step + 1)
                  + " (loss "
                  + loss
                  + "); lower the"
                  + " learning rate or beta");
        }
        adam.step(config.lr());
        losses.add(loss);
      }
    }
    return new Result(config, pairs.size(), before, meanRatio(logProbs(model, pairs)), losses);
  }

  /**
   * Mean over pairs of log p(rejected | prompt) - log p(preferred | prompt) under {@code model}.
   */
  public static double logRatio(Transformer model, List<Pair> pairs) {
    return meanRatio(logProbs(model, pairs));
  }

  /** [pair][0 preferred, 1 rejected] summed continuation log-probabilities, without gradients. */
  private static double[][] logProbs(Transformer model, List<Pair> pairs) {
    double[][] out = new double[pairs.size()][2];
    for (int i = 0; i < pairs.size(); i++) {
      try (NDManager s = model.manager().newSubManager()) {
        Pair p = pairs.get(i);
        out[i][0] = continuationLogProb(model, s, p.prompt(), p.preferred()).getFloat();
        out[i][1] = continuationLogProb(model, s, p.prompt(), p.rejected()).getFloat();
      }
    }
    return out;
  }

  private static double meanRatio(double[][] lp) {
    double s = 0;
    for (double[] p : lp) {
      s += p[1] - p[0];
    }
    return s / lp.length;
  }

  /** Summed log-probability of {@code continuation} after {@code prompt}, a scalar on the graph. */
  private static NDArray continuationLogProb(
      Transformer model, NDManager m, int[] prompt, int[] continuation) {
    int n = prompt.length + continuation.length;
    long[] input = new long[n - 1];
    long[] target = new long[n - 1];
    for (int j = 0; j < n - 1; j++) {
      input[j] = j < prompt.length ? prompt[j] : continuation[j - prompt.length];
      int next = j + 1;
      target[j] = next < prompt.length ? prompt[next] : continuation[next - prompt.length];
    }
    NDArray logits = model.forward(m.create(input, new Shape(1, n - 1)), Hooks.none());
    NDArray lp =
        Transformer.tokenLogProbs(logits, m.create(target, new Shape(1, n - 1))); // [1, n - 1]
    // Position j predicts token j + 1: the continuation is predicted from the last prompt token on.
    return lp.get(":, " + (prompt.length - 1) + ":").sum();
  }
}
