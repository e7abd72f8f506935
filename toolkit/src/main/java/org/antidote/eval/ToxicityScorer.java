package org.antidote.eval;

import java.util.List;

/**
 * Something that rates texts for toxicity: a classifier on sentence embeddings, a lexicon, a
 * remote service. Scores are probabilities of toxicity, so scorers can be swapped and compared.
 */
public interface ToxicityScorer {

  /** A stable name for reports and result files (what scored, and how). */
  String id();

  /** One probability of toxicity in [0, 1] per text, in order. */
  double[] score(List<String> texts);
}
