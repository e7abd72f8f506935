/**
 * A lens on one trained model, beside {@code study}: {@link org.antidote.lens.Lens} owns a model,
 * its tokenizer and their native memory, and turns the steps a notebook repeats (text to tokens, a
 * forward pass that caches hook points, greedy continuation with or without an intervention) into
 * one call each. It may use {@code model}, {@code tokenize}, {@code train} (to load run folders)
 * and {@code iti}; nothing below it uses it.
 *
 * <p>Uses: io, iti, model, plot, tokenize.
 *
 * <p>Used by: nothing.
 */
package org.antidote.lens;
