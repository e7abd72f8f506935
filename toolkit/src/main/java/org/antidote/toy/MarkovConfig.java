package org.antidote.toy;

import java.util.ArrayList;
import java.util.List;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;

/**
 * The toy data: {@code chains} cyclic Markov chains over one vocabulary of {@code vocab} tokens,
 * each a distinct cycle through every token (the paper's "cyclic 4-cycles"). Chain {@code c}
 * follows the {@code c}-th such cycle, in lexicographic order of the visiting order from token 0
 * (over 4 tokens: 0-1-2-3, 0-1-3-2, 0-2-1-3), with probability {@code stay}, else moves to a
 * uniformly random token (so no chain is a pure lookup table and a window must be read for a while
 * before its chain is certain). A feature is a pair (chain, current token): {@code chains * vocab}
 * features.
 *
 * <p>Training text is a stream of documents of {@code docLength} tokens, each drawn from ONE chain
 * picked with the share weights and followed by a separator token (id {@code vocab}, so the model's
 * vocabulary is {@code vocab + 1}). The model never sees a chain id.
 *
 * @param chains number of chains (at least 2, at most {@code vocab - 1}, as the paper's 3 over 4
 *     tokens; each follows its own cycle)
 * @param vocab shared vocabulary (at least 2; the separator comes on top)
 * @param rareChain the chain whose share is varied (the "under-represented" feature family)
 * @param rareShare that chain's share of the documents, in (0, 1); the other chains split the rest
 *     evenly
 * @param stay probability of following the chain's cycle, in (0, 1]
 * @param docLength tokens per document before its separator
 * @param trainTokens tokens in the training split (the validation split holds a tenth as many)
 */
public record MarkovConfig(
    int chains,
    int vocab,
    int rareChain,
    double rareShare,
    double stay,
    int docLength,
    int trainTokens) {

  public MarkovConfig {
    Check.input(vocab >= 2, "markov config: vocab must be >= 2 tokens, got " + vocab);
    Check.input(chains >= 2, "markov config: chains must be >= 2, got " + chains);
    Check.input(
        chains <= vocab - 1,
        "markov config: chains must be <= vocab - 1 = "
            + (vocab - 1)
            + " (one chain fewer than tokens, as the paper's 3 chains over 4), got "
            + chains);
    Check.input(
        rareChain >= 0 && rareChain < chains,
        "markov config: rare chain must be in [0, chains = " + chains + "), got " + rareChain);
    Check.input(
        rareShare > 0 && rareShare < 1,
        "markov config: rare share must be in (0, 1), got " + rareShare);
    Check.input(
        stay > 0 && stay <= 1, "markov config: stay probability must be in (0, 1], got " + stay);
    Check.input(docLength >= 2, "markov config: doc length must be >= 2, got " + docLength);
    Check.input(
        trainTokens >= 10 * (docLength + 1),
        "markov config: train tokens must hold at least 10 documents of doc length + 1 = "
            + (docLength + 1)
            + ", got "
            + trainTokens);
  }

  /** The paper's shape: 3 chains over 4 tokens, chain 0 rare at {@code rareShare}. */
  public static MarkovConfig defaults(double rareShare) {
    return new MarkovConfig(3, 4, 0, rareShare, 0.9, 256, 100_000);
  }

  /** The same data with another rare share. */
  public MarkovConfig withShare(double share) {
    return new MarkovConfig(chains, vocab, rareChain, share, stay, docLength, trainTokens);
  }

  /** Number of features, chains x vocab. */
  public int features() {
    return chains * vocab;
  }

  /** Feature index of (chain, token): {@code chain * vocab + token}. */
  public int feature(int chain, int token) {
    return chain * vocab + token;
  }

  /** The separator's id (also the end-of-text id of the packed data). */
  public int separator() {
    return vocab;
  }

  /** Share of documents drawn from {@code chain}. */
  public double share(int chain) {
    return chain == rareChain ? rareShare : (1 - rareShare) / (chains - 1);
  }

  /** The token chain {@code chain} moves to from {@code token} when it stays on its cycle. */
  public int next(int chain, int token) {
    int[] order = cycle(chain);
    for (int i = 0; i < vocab; i++) {
      if (order[i] == token) {
        return order[(i + 1) % vocab];
      }
    }
    throw new BadInputException("token " + token + " is outside the vocabulary of " + vocab);
  }

  /**
   * The visiting order of chain {@code chain}'s cycle: 0, then the chain-th permutation of
   * 1..vocab-1.
   */
  int[] cycle(int chain) {
    List<Integer> rest = new ArrayList<>();
    for (int t = 1; t < vocab; t++) {
      rest.add(t);
    }
    long[] factorial = new long[vocab];
    factorial[0] = 1;
    for (int i = 1; i < vocab; i++) {
      factorial[i] = factorial[i - 1] > Long.MAX_VALUE / i ? Long.MAX_VALUE : factorial[i - 1] * i;
    }
    int[] order = new int[vocab];
    long index = chain;
    for (int i = 1; i < vocab; i++) {
      long f = factorial[vocab - 1 - i];
      int pick = (int) Math.min(rest.size() - 1, index / f);
      order[i] = rest.remove(pick);
      index %= f;
    }
    return order;
  }

  /** Probability that {@code chain} moves from {@code from} to {@code to}. */
  public double transition(int chain, int from, int to) {
    return (next(chain, from) == to ? stay : 0) + (1 - stay) / vocab;
  }
}
