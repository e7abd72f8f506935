package org.antidote.eval;

import org.antidote.io.BadInputException;

/**
 * Two sentences that differ only where a grammar rule fires: a capable model should find {@code
 * good} more likely than {@code bad} (BLiMP's test).
 *
 * @param good the corrected sentence
 * @param bad the sentence with the error
 * @param rule the id of the rule the pair comes from
 */
public record MinimalPair(String good, String bad, String rule) {

  public MinimalPair {
    if (good == null || good.isBlank() || bad == null || bad.isBlank()) {
      throw new BadInputException(
          "a minimal pair needs two non-blank sentences, got '" + good + "' / '" + bad + "'");
    }
    if (good.equals(bad)) {
      throw new BadInputException(
          "a minimal pair needs two different sentences, got '" + good + "' twice");
    }
    rule = rule == null ? "" : rule;
  }
}
