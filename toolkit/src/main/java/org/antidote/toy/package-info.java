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
 * <p>This package owns the toy data, where its probes read and its metric. The model and its
 * training are the toolkit's {@code TrainConfig}, every probe is the probe package's (its {@code
 * ProbeConfig}, fitted by {@code math.LogisticRegression}), cosines are {@code math.Vectors}'; it
 * also uses {@code tokenize} (for packing), {@code io} and {@code plot}. Nothing uses it but the
 * command line and notebooks (the kernel imports it by default).
 *
 * <p>Uses: io, math, model, plot, probe, tokenize, train.
 *
 * <p>Used by: cli.
 */
package org.antidote.toy;
