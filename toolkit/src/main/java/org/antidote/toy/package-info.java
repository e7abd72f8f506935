/**
 * The toy experiment of the study (PAPER.md section 1) with every setting explicit: cyclic Markov
 * chains over one shared vocabulary ({@link org.antidote.toy.MarkovChains}), a tiny transformer
 * trained on them with the ordinary {@link org.antidote.train.Trainer}, the paper's probes that
 * turn the residual stream into one direction per feature ({@link org.antidote.toy.FeatureReading},
 * with the random-vector baseline), the entanglement metric with its Welch bound ({@link
 * org.antidote.toy.Entanglement}), a resumable sweep over shares and seeds ({@link
 * org.antidote.toy.ToySweep}), and the classic superposition toy of Elhage et al. (2022) with one
 * feature's frequency varied ({@link org.antidote.toy.Superposition}).
 *
 * <p>This package owns the toy data, its probes and its metric. It uses {@code model}, {@code
 * train}, {@code probe} (its logistic regression), {@code tokenize} (for packing), {@code io} and
 * {@code plot}; nothing uses it but the command line and notebooks.
 *
 * <p>Uses: io, math, model, plot, probe, tokenize, train.
 *
 * <p>Used by: cli.
 */
package org.antidote.toy;
