package org.antidote.probe;

import org.antidote.io.Check;

/**
 * How probes are fitted: L2-regularised logistic regression on standardised activations, solved by
 * Newton's method ({@link org.antidote.math.LogisticRegression}) all heads at once, for at most the
 * given number of steps; it converges in about seven to the optimum scikit-learn's solvers reach.
 *
 * @param seed seeds the train/validation split
 * @param trainFraction share of texts used to fit (the paper's 4:1 split is 0.8)
 * @param l2 L2 penalty on the weights
 * @param iterations Newton iterations at most
 * @param minPerClass fewest texts of each class each split must hold
 */
public record ProbeConfig(
    long seed, double trainFraction, double l2, int iterations, int minPerClass) {

  public ProbeConfig {
    Check.input(
        trainFraction > 0 && trainFraction < 1,
        "train fraction must be in (0, 1), got " + trainFraction);
    Check.input(
        l2 > 0 && iterations >= 1 && minPerClass >= 1,
        "probe config: l2 must be > 0 (got "
            + l2
            + "), iterations >= 1 (got "
            + iterations
            + "), min per class >= 1 (got "
            + minPerClass
            + ")");
  }

  /**
   * Seed 1, a 4:1 split, l2 1e-2, at most 12 Newton iterations, at least 5 texts per class and
   * split.
   */
  public static ProbeConfig defaults() {
    return new ProbeConfig(1, 0.8, 1e-2, 12, 5);
  }

  /** The same with another seed. */
  public ProbeConfig withSeed(long s) {
    return new ProbeConfig(s, trainFraction, l2, iterations, minPerClass);
  }
}
