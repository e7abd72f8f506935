package org.antidote.toy;

import org.antidote.io.Check;
import org.antidote.probe.ProbeConfig;

/**
 * Where and on how much data the toy's probes read feature directions; how each probe is fitted is
 * the probe package's {@link ProbeConfig} (L2 logistic regression by Newton's method on a seeded
 * 4:1 split). The toy needs two settings that config lacks, the layer and the number of fresh probe
 * sequences, so it holds one rather than repeating its fields.
 *
 * @param layer block whose {@code hook_resid_post} is probed, at the last position
 * @param perFeature probe sequences per feature (chain, last token); the data are balanced
 * @param fit how each probe is fitted; its split seed is replaced per cell and group (the cell's
 *     seed plus the group's index), so that every cell and context token draws its own split
 */
public record ToyProbeConfig(int layer, int perFeature, ProbeConfig fit) {

  /**
   * Fewest probe sequences per feature, whatever the width: below this a one-vs-rest probe on a
   * handful of points separates them by chance and its normal says nothing.
   */
  public static final int MIN_PER_FEATURE = 20;

  public ToyProbeConfig {
    Check.atLeast("toy probe config: layer", layer, 0);
    Check.input(
        perFeature >= MIN_PER_FEATURE,
        "toy probe config: per feature must be >= "
            + MIN_PER_FEATURE
            + " probe sequences per (chain, last token), got "
            + perFeature);
    if (fit == null) {
      // Cells stored before the toy held the probe package's config were read with its defaults.
      fit = ProbeConfig.defaults();
    }
  }

  /** The last layer of a {@code layers}-block model, 200 sequences per feature, default fits. */
  public static ToyProbeConfig defaults(int layers) {
    return new ToyProbeConfig(layers - 1, 200, ProbeConfig.defaults());
  }

  /** The same at another layer. */
  public ToyProbeConfig withLayer(int l) {
    return new ToyProbeConfig(l, perFeature, fit);
  }

  /** The same with other fits. */
  public ToyProbeConfig withFit(ProbeConfig f) {
    return new ToyProbeConfig(layer, perFeature, f);
  }
}
