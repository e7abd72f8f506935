/**
 * Reading the heads: {@link org.antidote.probe.Activations} captures every head's output ({@code
 * blocks.{l}.attn.hook_z}) at the last token of each labelled text, streamed to disk; {@link
 * org.antidote.probe.Probes} fits one L2-regularised logistic-regression probe per (layer, head),
 * all heads at once as one batched tensor problem; {@link org.antidote.probe.ProbeResult} holds
 * accuracies and AUCs with their table, heatmap and histogram; {@link
 * org.antidote.probe.Directions} gives each head's toxicity direction (probe weight, mass-mean
 * shift, or random) and its spread; {@link org.antidote.probe.SurfaceBaseline} fits the same
 * regression on surface features of the texts alone (format, last word), on the same split, to show
 * how much of a head's accuracy is more than surface; {@link org.antidote.probe.HeadStability} how
 * stable the top-K choice is under bootstrap resamples.
 *
 * <p>Uses: corpus, io, math, model, plot, tokenize.
 *
 * <p>Used by: bench, cli, eval, iti, lens, study, toy.
 */
package org.antidote.probe;
