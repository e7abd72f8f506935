package org.antidote.probe;

import java.util.Locale;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;

/**
 * How to read activations.
 *
 * @param position which positions of a text make its activation: the last token (the paper's
 *     choice) or the mean over tokens
 * @param batchSize texts per forward pass
 * @param maxTokens texts are cut to their first this many tokens (at most the model's context)
 * @param chunkSize texts per file on disk
 */
public record CaptureConfig(Position position, int batchSize, int maxTokens, int chunkSize) {

  /** Which positions summarise a text. */
  public enum Position {
    LAST,
    MEAN;

    /** Parses "last" or "mean". */
    public static Position parse(String s) {
      return switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "last" -> LAST;
        case "mean" -> MEAN;
        default -> throw new BadInputException("position '" + s + "' is not last or mean");
      };
    }
  }

  public CaptureConfig {
    Check.input(position != null, "position must be last or mean");
    Check.input(
        batchSize >= 1 && maxTokens >= 1 && chunkSize >= 1,
        "batch size, max tokens and chunk size must be >= 1, got "
            + batchSize
            + ", "
            + maxTokens
            + ", "
            + chunkSize);
  }

  /** Last token, 32 texts per batch, up to 128 tokens, 4096 texts per file. */
  public static CaptureConfig defaults() {
    return new CaptureConfig(Position.LAST, 32, 128, 4096);
  }
}
