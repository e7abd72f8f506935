/**
 * Evaluation: toxicity scorers ({@link org.antidote.eval.ToxicityScorer}: the offline MiniLM
 * default, {@link org.antidote.eval.MiniLmScorer}: a {@link org.antidote.eval.MiniLmEncoder} and a
 * {@link org.antidote.eval.MiniLmHead}, an auditable lexicon, the Perspective API), toxicity
 * metrics, capability metrics ({@link org.antidote.eval.Capability}: cross-entropy, KL, BLiMP
 * minimal pairs overall and per field, last word), a scorer audited on any labelled file ({@link
 * org.antidote.eval.FileScores}, {@code ./antidote score}), the scorer named on a command line
 * ({@link org.antidote.eval.ScorerSpec}), {@link org.antidote.eval.ModelEvaluation} (one model, one
 * configuration), the {@link org.antidote.eval.ResultsTable} (every evaluated row, with its Pareto
 * front), and the HTML {@link org.antidote.eval.Report}.
 *
 * <p>Uses: corpus, io, math, model, plot, probe, tokenize.
 *
 * <p>Used by: bench, cli, kernel, study.
 */
package org.antidote.eval;
