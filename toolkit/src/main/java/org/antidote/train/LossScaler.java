package org.antidote.train;

/**
 * Dynamic loss scaling for float16 training: the loss is multiplied by a scale before backward so
 * small gradients do not flush to zero in float16, and the gradients are divided by it before the
 * update. A step whose gradients overflow (a non-finite norm) is skipped and the scale halved;
 * after {@link #GROWTH_INTERVAL} clean steps in a row it doubles. The same rule as PyTorch's {@code
 * GradScaler} defaults.
 */
final class LossScaler {

  /** The first scale unless the config says otherwise: 2^16. */
  static final double DEFAULT_SCALE = 65536;

  /** Clean steps in a row before the scale doubles. */
  static final int GROWTH_INTERVAL = 2000;

  private double scale;
  private int clean;

  LossScaler(double scale, int clean) {
    this.scale = scale;
    this.clean = clean;
  }

  /** The scale the next backward pass multiplies the loss by. */
  double scale() {
    return scale;
  }

  /** Clean steps since the last change of scale (kept in checkpoints for an exact resume). */
  int cleanSteps() {
    return clean;
  }

  /**
   * Records a step's outcome: an overflow halves the scale (never below 1) and returns false (skip
   * the update); a clean step returns true and may double the scale.
   */
  boolean update(boolean finite) {
    if (!finite) {
      scale = Math.max(1, scale / 2);
      clean = 0;
      return false;
    }
    if (++clean >= GROWTH_INTERVAL) {
      scale *= 2;
      clean = 0;
    }
    return true;
  }
}
