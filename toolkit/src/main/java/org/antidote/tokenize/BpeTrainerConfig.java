package org.antidote.tokenize;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.antidote.io.Check;

/**
 * How to train a {@link BpeTokenizer}.
 *
 * @param vocabSize the largest vocabulary wanted: 256 byte tokens, then the special tokens, then
 *     one token per merge. Training stops early, with a smaller vocabulary, when no pair of tokens
 *     occurs at least {@code minPairFrequency} times any more.
 * @param minPairFrequency how often a pair must occur in the training text to be merged (>= 1)
 * @param specialTokens tokens that ordinary text never encodes to, given ids 256, 257, ... in this
 *     order; e.g. {@code <|endoftext|>}, which callers append between documents
 */
public record BpeTrainerConfig(int vocabSize, int minPairFrequency, List<String> specialTokens) {

  /** The special tokens of {@link #of}: just {@code <|endoftext|>}. */
  public static final List<String> DEFAULT_SPECIAL_TOKENS = List.of(BpeTokenizer.END_OF_TEXT);

  public BpeTrainerConfig {
    Objects.requireNonNull(
        specialTokens, "specialTokens must be a list (possibly empty), not null");
    specialTokens = List.copyOf(validSpecialTokens(specialTokens));
    int least = 256 + specialTokens.size() + 1;
    Check.input(
        vocabSize >= least,
        "vocabSize "
            + vocabSize
            + " is too small: a byte-level"
            + " BPE needs at least 256 byte tokens + "
            + specialTokens.size()
            + " special token"
            + (specialTokens.size() == 1 ? "" : "s")
            + " + 1 merge, so >= "
            + least);
    Check.input(
        minPairFrequency >= 1,
        "minPairFrequency "
            + minPairFrequency
            + " must be >= 1 (how many times a pair must occur to be merged)");
  }

  /** {@code vocabSize} with the defaults: minPairFrequency 2, special tokens [<|endoftext|>]. */
  public static BpeTrainerConfig of(int vocabSize) {
    return new BpeTrainerConfig(vocabSize, 2, DEFAULT_SPECIAL_TOKENS);
  }

  private static List<String> validSpecialTokens(List<String> tokens) {
    var seen = new HashSet<String>();
    for (String token : tokens) {
      Check.input(
          token != null && !token.isEmpty(),
          "specialTokens must not contain null or empty strings: " + tokens);
      Check.input(seen.add(token), "specialTokens lists \"" + token + "\" twice: " + tokens);
      // A one-character special would have the same vocabulary key as a byte token.
      Check.input(
          token.length() != 1 || ByteLevel.byteOf(token.charAt(0)) < 0,
          "special token \""
              + token
              + "\" is the vocabulary key"
              + " of byte 0x"
              + Integer.toHexString(ByteLevel.byteOf(token.charAt(0)))
              + "; special tokens must differ from every byte token");
    }
    return tokens;
  }
}
