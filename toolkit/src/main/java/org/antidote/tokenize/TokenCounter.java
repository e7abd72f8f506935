package org.antidote.tokenize;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Counts the tokens of a text, so shares are measured in the unit the model trains on. Each
 * document also costs one end-of-document token, which the mixer adds.
 *
 * @param id the tokenizer's identity, recorded in manifests (e.g. {@code bpe-1a2b3c4d5e6f})
 * @param counter tokens in one text
 */
public record TokenCounter(String id, ToIntFunction<String> counter) {

  public TokenCounter {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(counter, "counter");
  }

  /** UTF-8 bytes as tokens: the unit of a byte-level model, and the default before a BPE exists. */
  public static TokenCounter utf8Bytes() {
    return new TokenCounter("utf8-bytes", t -> t.getBytes(StandardCharsets.UTF_8).length);
  }

  /** Tokens in {@code text} plus its end-of-document token. */
  public int documentTokens(String text) {
    return counter.applyAsInt(text) + 1;
  }
}
