package org.antidote.eval;

import java.util.List;

/**
 * Something that rates texts for toxicity: a classifier on sentence embeddings, a lexicon, a remote
 * service. Scores are probabilities of toxicity, so scorers can be swapped and compared. A command
 * line or a study names one with a {@link ScorerSpec}.
 */
public interface ToxicityScorer extends AutoCloseable {

  /** A stable name for reports and result files (what scored, and how). */
  String id();

  /** One probability of toxicity in [0, 1] per text, in order. */
  double[] score(List<String> texts);

  /**
   * Frees what the scorer holds (a model session, say); nothing, unless a scorer says otherwise.
   */
  @Override
  default void close() {}
}
