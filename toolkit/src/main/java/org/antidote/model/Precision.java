package org.antidote.model;

import ai.djl.ndarray.types.DataType;

/**
 * The number format of a model's matrix products. Parameters, optimiser moments, norms, softmax and
 * the loss stay float32 in every mode; only the inputs of each matrix product are rounded.
 */
public enum Precision {
  /** Everything in float32. */
  FP32(DataType.FLOAT32),
  /** Matrix products in IEEE half precision (float16), for which training needs loss scaling. */
  FP16(DataType.FLOAT16),
  /**
   * Matrix products in bfloat16: only where {@link DtypeSupport} shows the engine can make such
   * arrays.
   */
  BF16(DataType.BFLOAT16);

  private final DataType type;

  Precision(DataType type) {
    this.type = type;
  }

  /** The DJL data type of the matrix products' inputs. */
  public DataType dataType() {
    return type;
  }
}
