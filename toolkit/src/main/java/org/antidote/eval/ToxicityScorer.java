package org.antidote.eval;

import java.util.List;

/** Scores texts for toxicity: a probability in [0, 1] per text. */
public interface ToxicityScorer {

  /** What scored (recorded beside every result). */
  String id();

  /** The probability that each text is toxic, in order. */
  double[] score(List<String> texts);
}
