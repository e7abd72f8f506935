package org.antidote.tokenize;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.antidote.io.BadInputException;

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
    if (vocabSize < least) {
      throw new BadInputException(
          "vocabSize "
              + vocabSize
              + " is too small: a byte-level"
              + " BPE needs at least 256 byte tokens + "
              + specialTokens.size()
              + " special token"
              + (specialTokens.size() == 1 ? "" : "s")
              + " + 1 merge, so >= "
              + least);
    }
    if (minPairFrequency < 1) {
      throw new BadInputException(
          "minPairFrequency "
              + minPairFrequency
              + " must be >= 1 (how many times a pair must occur to be merged)");
    }
  }

  /** {@code vocabSize} with the defaults: minPairFrequency 2, special tokens [<|endoftext|>]. */
  public static BpeTrainerConfig of(int vocabSize) {
    return new BpeTrainerConfig(vocabSize, 2, DEFAULT_SPECIAL_TOKENS);
  }

  private static List<String> validSpecialTokens(List<String> tokens) {
    var seen = new HashSet<String>();
    for (String token : tokens) {
      if (token == null || token.isEmpty()) {
        throw new BadInputException(
            "specialTokens must not contain null or empty strings: " + tokens);
      }
      if (!seen.add(token)) {
        throw new BadInputException("specialTokens lists \"" + token + "\" twice: " + tokens);
      }
      // A one-character special would have the same vocabulary key as a byte token.
      if (token.length() == 1 && ByteLevel.byteOf(token.charAt(0)) >= 0) {
        throw new BadInputException(
            "special token \""
                + token
                + "\" is the vocabulary key"
                + " of byte 0x"
                + Integer.toHexString(ByteLevel.byteOf(token.charAt(0)))
                + "; special tokens must differ from every byte token");
      }
    }
    return tokens;
  }
}
