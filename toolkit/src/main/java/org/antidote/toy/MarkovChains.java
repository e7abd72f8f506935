package org.antidote.toy;

import java.util.SplittableRandom;

/** Draws token sequences from the chains of a {@link MarkovConfig}. Same seed, same tokens. */
public final class MarkovChains {

  private MarkovChains() {}

  /** A chain picked with the share weights. */
  public static int pickChain(MarkovConfig c, SplittableRandom rng) {
    double u = rng.nextDouble();
    double acc = 0;
    for (int chain = 0; chain < c.chains(); chain++) {
      acc += c.share(chain);
      if (u < acc) {
        return chain;
      }
    }
    return c.chains() - 1; // rounding of the last cumulative share
  }

  /** {@code length} tokens of {@code chain}, starting at a uniformly random token. */
  public static int[] sequence(MarkovConfig c, int chain, int length, SplittableRandom rng) {
    int[] out = new int[length];
    out[0] = rng.nextInt(c.vocab());
    for (int i = 1; i < length; i++) {
      out[i] = rng.nextDouble() < c.stay() ? c.next(chain, out[i - 1]) : rng.nextInt(c.vocab());
    }
    return out;
  }

  /**
   * A training stream of at least {@code tokens} tokens: documents of {@code docLength} tokens,
   * each from one chain picked by share, each followed by the separator. Also returns, per token,
   * the chain that produced it ({@code -1} at separators), which tests and probes may use but the
   * model never sees.
   */
  public static Stream stream(MarkovConfig c, int tokens, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int docs = (tokens + c.docLength()) / (c.docLength() + 1);
    int n = docs * (c.docLength() + 1);
    int[] ids = new int[n];
    int[] chainOf = new int[n];
    int at = 0;
    for (int d = 0; d < docs; d++) {
      int chain = pickChain(c, rng);
      int[] doc = sequence(c, chain, c.docLength(), rng);
      for (int t : doc) {
        chainOf[at] = chain;
        ids[at++] = t;
      }
      chainOf[at] = -1;
      ids[at++] = c.separator();
    }
    return new Stream(ids, chainOf);
  }

  /** Token ids with the chain of each (-1 at separators). */
  public record Stream(int[] ids, int[] chainOf) {}
}
