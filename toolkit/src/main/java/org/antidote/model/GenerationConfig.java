package org.antidote.model;

import org.antidote.io.BadInputException;

/**
 * How to continue a prompt.
 *
 * @param maxNewTokens tokens to generate at most
 * @param temperature 0 for greedy decoding, else the softmax temperature
 * @param topP nucleus sampling: sample among the most likely tokens whose probabilities add up to
 *     this (1 = all tokens)
 * @param seed seeds sampling (each prompt of a batch gets its own stream)
 * @param stopToken a token that ends a continuation (e.g. end of document), or -1
 * @param minNewTokens the stop token cannot be chosen before this many tokens (as Hugging Face's
 *     {@code min_new_tokens}): a continuation to be scored cannot escape by ending at once
 */
public record GenerationConfig(
    int maxNewTokens, double temperature, double topP, long seed, int stopToken, int minNewTokens) {

  public GenerationConfig {
    if (maxNewTokens < 1) {
      throw new BadInputException("maxNewTokens must be >= 1, got " + maxNewTokens);
    }
    if (minNewTokens < 0 || minNewTokens > maxNewTokens) {
      throw new BadInputException(
          "minNewTokens must be in [0, maxNewTokens = " + maxNewTokens + "], got " + minNewTokens);
    }
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new BadInputException("temperature must be >= 0 (0 = greedy), got " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new BadInputException("topP must be in (0, 1], got " + topP);
    }
  }

  /** Greedy decoding of {@code n} tokens. */
  public static GenerationConfig greedy(int n) {
    return new GenerationConfig(n, 0, 1, 0, -1, 0);
  }

  /** Sampling of {@code n} tokens at a temperature with nucleus {@code topP}. */
  public static GenerationConfig sample(int n, double temperature, double topP, long seed) {
    return new GenerationConfig(n, temperature, topP, seed, -1, 0);
  }

  /** The same, stopping at {@code token}. */
  public GenerationConfig stoppingAt(int token) {
    return new GenerationConfig(maxNewTokens, temperature, topP, seed, token, minNewTokens);
  }

  /** The same, never stopping before {@code n} new tokens. */
  public GenerationConfig withMinNewTokens(int n) {
    return new GenerationConfig(maxNewTokens, temperature, topP, seed, stopToken, n);
  }
}
