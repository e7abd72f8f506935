/**
 * A lens on one trained model, beside {@code study}: {@link org.antidote.lens.Lens} owns a model,
 * its tokenizer and their native memory, and turns the steps a notebook repeats (text to tokens, a
 * forward pass that caches hook points, greedy continuation with or without an intervention) into
 * one call each. It may use {@code model} (the one loader, {@code Models.load}), {@code tokenize},
 * {@code iti}, and {@code probe} (to capture heads on labelled {@code corpus} texts); nothing below
 * it uses it.
 *
 * <p>Uses: corpus, io, iti, model, plot, probe, tokenize.
 *
 * <p>Used by: nothing.
 */
package org.antidote.lens;
