package org.antidote.model;

import org.antidote.io.BadInputException;

/**
 * How a block is wired, beside its shape ({@link ModelConfig}): what the toolkit trains is one
 * setting of these, and each imported Hugging Face family ({@code gpt2}, {@code gpt_neox}, {@code
 * olmo}, {@code olmo2}, {@code llama}) another. {@link #of(ModelConfig)} is the toolkit's own;
 * {@link Models} builds the others from a {@code config.json}.
 *
 * @param type the family, as {@code config.json} spells {@code model_type} ({@code antidote} for
 *     the toolkit's own)
 * @param kvHeads key-value heads (fewer than the query heads for grouped-query attention)
 * @param learnedPositions whether positions are a learned table added to the embedding (GPT-2)
 *     rather than rotary
 * @param rotaryDims leading dimensions of each head the rotary embedding turns (d_head unless
 *     partial, as in GPT-NeoX's {@code rotary_pct}); 0 with learned positions
 * @param ropeScale linear rope scaling factor (positions are divided by it); 1 for none
 * @param normAffine whether LayerNorm has a learned scale and bias (GPT-2, GPT-NeoX); RMSNorm
 *     always has a scale, OLMo-1's LayerNorm neither
 * @param normEps the norms' epsilon
 * @param postNorm OLMo-2's placement: each sub-layer's output is normed before the residual add,
 *     and nothing is normed before it
 * @param qkNorm OLMo-2's RMSNorm of the whole query and key projections
 * @param parallel GPT-NeoX's parallel residual: attention and MLP both read the block's input
 * @param mlp the MLP's form
 * @param qkvBias biases on the query, key and value projections
 * @param outBias a bias on the attention output projection
 * @param mlpBias biases on the MLP's projections
 * @param clipQkv OLMo-1's clamp of q, k and v to [-clip, clip]; 0 for none
 */
public record Architecture(
    String type,
    int kvHeads,
    boolean learnedPositions,
    int rotaryDims,
    double ropeScale,
    boolean normAffine,
    double normEps,
    boolean postNorm,
    boolean qkNorm,
    boolean parallel,
    Mlp mlp,
    boolean qkvBias,
    boolean outBias,
    boolean mlpBias,
    double clipQkv) {

  /** The MLP's form. */
  public enum Mlp {
    /** silu(x W_gate) * (x W_up), then W_down. */
    SWIGLU,
    /** Exact (erf) GELU between W_up and W_down. */
    GELU,
    /** GELU's tanh approximation ({@code gelu_new}) between W_up and W_down. */
    GELU_TANH
  }

  /** Validated against the shape it is used with (see {@link #check(ModelConfig)}). */
  public Architecture {
    if (type == null || type.isBlank()) {
      throw new BadInputException("architecture: type must be named");
    }
    if (mlp == null) {
      throw new BadInputException("architecture: mlp must be set");
    }
    if (!(ropeScale >= 1) || !(normEps > 0) || !(clipQkv >= 0)) {
      throw new BadInputException(
          "architecture: rope scale must be >= 1, norm eps > 0 and clip_qkv >= 0");
    }
  }

  /** The toolkit's own wiring of {@code config}: rotary over whole heads, SwiGLU, no biases. */
  public static Architecture of(ModelConfig config) {
    return new Architecture(
        "antidote",
        config.heads(),
        false,
        config.dHead(),
        1,
        false,
        1e-5,
        false,
        false,
        false,
        Mlp.SWIGLU,
        false,
        false,
        false,
        0);
  }

  /** Refuses a wiring that does not fit {@code config}'s shape. */
  public void check(ModelConfig config) {
    if (kvHeads < 1 || config.heads() % kvHeads != 0) {
      throw new BadInputException(
          "architecture: "
              + config.heads()
              + " heads are not a multiple of "
              + kvHeads
              + " key-value heads");
    }
    if (learnedPositions
        ? rotaryDims != 0
        : rotaryDims < 2 || rotaryDims > config.dHead() || rotaryDims % 2 != 0) {
      throw new BadInputException(
          "architecture: rotary dimensions "
              + rotaryDims
              + " must be even and in [2, d_head = "
              + config.dHead()
              + "] (0 with learned positions)");
    }
  }

  /** Width of the fused query-key-value projection. */
  public int qkvWidth(ModelConfig config) {
    return (config.heads() + 2 * kvHeads) * config.dHead();
  }
}
