package org.antidote.toy;

/**
 * How feature directions are read off the residual stream: logistic-regression probes fitted by
 * full-batch gradient descent (deterministic: zero start, fixed iterations).
 *
 * @param layer block whose {@code hook_resid_post} is probed, at the last position
 * @param perFeature probe sequences per feature (chain, last token); the data are balanced
 * @param iterations gradient-descent iterations per probe
 * @param lr gradient-descent step size
 * @param l2 L2 penalty on the probe weights (not the bias)
 */
public record ProbeConfig(int layer, int perFeature, int iterations, double lr, double l2) {

  /**
   * Fewest probe sequences per feature, whatever the width: below this a one-vs-rest probe on a
   * handful of points separates them by chance and its normal says nothing.
   */
  public static final int MIN_PER_FEATURE = 20;

  public ProbeConfig {
    require(layer >= 0, "layer must be >= 0, got " + layer);
    require(
        perFeature >= MIN_PER_FEATURE,
        "per feature must be >= "
            + MIN_PER_FEATURE
            + " probe sequences per (chain, last token), got "
            + perFeature);
    require(iterations >= 1, "iterations must be >= 1, got " + iterations);
    require(lr > 0, "lr must be > 0, got " + lr);
    require(l2 >= 0, "l2 must be >= 0, got " + l2);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("probe config: " + message);
    }
  }

  /**
   * The last layer of a {@code layers}-block model, 200 sequences per feature, 500 steps of 0.5, L2
   * 1e-3.
   */
  public static ProbeConfig defaults(int layers) {
    return new ProbeConfig(layers - 1, 200, 500, 0.5, 1e-3);
  }

  /** The same at another layer. */
  public ProbeConfig withLayer(int l) {
    return new ProbeConfig(l, perFeature, iterations, lr, l2);
  }
}
