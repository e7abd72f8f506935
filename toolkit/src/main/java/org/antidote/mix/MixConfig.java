package org.antidote.mix;

import org.antidote.io.Check;

/**
 * What mixture to make.
 *
 * @param toxicShare target share of toxic tokens in the final mixture, in [0, 1)
 * @param protocol how the share is reached
 * @param seed seeds document selection and order
 * @param validationFraction share of each corpus's documents (chosen by a hash of the text, the
 *     same in every mixture) kept for validation loss
 * @param totalTokens token budget for {@link Protocol#FIXED_TOTAL}; 0 means "all clean tokens"
 */
public record MixConfig(
    double toxicShare, Protocol protocol, long seed, double validationFraction, long totalTokens) {

  public MixConfig {
    Check.input(
        toxicShare >= 0 && toxicShare < 1,
        "toxic share must be in [0, 1), got "
            + toxicShare
            + " (a share of 1 would leave no clean tokens; write 0.1 for 10%)");
    Check.input(protocol != null, "protocol must be add-toxic or fixed-total");
    Check.input(
        validationFraction >= 0 && validationFraction < 0.5,
        "validation fraction must be in [0, 0.5), got " + validationFraction);
    Check.atLeast("total tokens", totalTokens, 0);
    Check.input(
        totalTokens == 0 || protocol == Protocol.FIXED_TOTAL,
        "total tokens only applies to --protocol fixed-total");
  }

  /** The paper's protocol at share {@code r}: seed 1, 2% validation. */
  public static MixConfig addToxic(double r) {
    return new MixConfig(r, Protocol.ADD_TOXIC, 1, 0.02, 0);
  }

  /** The same config with another seed. */
  public MixConfig withSeed(long s) {
    return new MixConfig(toxicShare, protocol, s, validationFraction, totalTokens);
  }
}
