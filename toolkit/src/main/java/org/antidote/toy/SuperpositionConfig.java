package org.antidote.toy;

import org.antidote.io.Check;

/**
 * The superposition toy of Elhage et al. (2022, "Toy Models of Superposition"): {@code n} sparse
 * features (feature i is active with probability p_i, then uniform in [0, 1], else 0) pass through
 * {@code m < n} dimensions, h = W x, x' = ReLU(W^T h + b), trained on sum_i I_i (x_i - x'_i)^2 with
 * Adam. Here every feature but 0 has probability {@code p}; feature 0 has {@code p0}, the knob this
 * variant turns.
 *
 * @param n features
 * @param m hidden dimensions, fewer than {@code n}
 * @param p activation probability of features 1..n-1, in (0, 1]
 * @param importanceDecay importance I_i = importanceDecay^i, in (0, 1] (1 = all equally important)
 * @param p0 activation probability of feature 0, in (0, 1]
 * @param steps Adam steps (beta 0.9 / 0.999, no decay)
 * @param batch samples per step
 * @param lr Adam learning rate
 * @param seed seeds the initial weights and the samples
 */
public record SuperpositionConfig(
    int n,
    int m,
    double p,
    double importanceDecay,
    double p0,
    int steps,
    int batch,
    double lr,
    long seed) {

  public SuperpositionConfig {
    Check.input(m >= 1, "superposition config: m must be >= 1, got " + m);
    Check.input(
        n > m,
        "superposition config: n must be > m = "
            + m
            + " (fewer features than dimensions need no superposition), got "
            + n);
    Check.input(p > 0 && p <= 1, "superposition config: p must be in (0, 1], got " + p);
    Check.input(p0 > 0 && p0 <= 1, "superposition config: p0 must be in (0, 1], got " + p0);
    Check.input(
        importanceDecay > 0 && importanceDecay <= 1,
        "superposition config: importance decay must be in (0, 1], got " + importanceDecay);
    Check.input(steps >= 1, "superposition config: steps must be >= 1, got " + steps);
    Check.input(batch >= 1, "superposition config: batch must be >= 1, got " + batch);
    Check.input(lr > 0 && lr < 1, "superposition config: lr must be in (0, 1), got " + lr);
  }

  /** 20 features in 5 dimensions, all equally important, p = 0.05, 4000 steps of 512, lr 1e-2. */
  public static SuperpositionConfig defaults(double p0, long seed) {
    return new SuperpositionConfig(20, 5, 0.05, 1.0, p0, 4000, 512, 1e-2, seed);
  }

  /** The same with another p0 and seed. */
  public SuperpositionConfig at(double newP0, long newSeed) {
    return new SuperpositionConfig(n, m, p, importanceDecay, newP0, steps, batch, lr, newSeed);
  }

  /** Activation probability of feature {@code i}. */
  public double probability(int i) {
    return i == 0 ? p0 : p;
  }

  /** Importance of feature {@code i}. */
  public double importance(int i) {
    return Math.pow(importanceDecay, i);
  }
}
