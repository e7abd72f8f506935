/**
 * The whole study, top of the flow: a {@link org.antidote.study.StudyConfig} chooses the scale
 * (smoke, cpu, gpu) and a {@link org.antidote.study.Study} runs its stages in order (tokenizer,
 * mixtures, pre-training, probes, evaluation, report opening with the {@link
 * org.antidote.study.Verdicts} the results compute), each resumable and each returning a result
 * that displays itself. {@link org.antidote.study.RunsEvaluation} evaluates many runs at once (each
 * with {@link org.antidote.eval.ModelEvaluation}) into a {@link org.antidote.eval.ResultsTable}.
 * {@code ./antidote demo}, {@code ./antidote eval} and notebook 07 all call it, so the command line
 * and the notebook run the same study. It may use every other stage.
 *
 * <p>Uses: corpus, eval, io, iti, math, mix, model, plot, probe, tokenize, train.
 *
 * <p>Used by: cli.
 */
package org.antidote.study;
