/**
 * Files, done safely: atomic writes (temporary name, then rename), the one Jackson mapper every
 * artefact is written with, checksums, and the toolkit's home folder ({@code $ANTIDOTE_HOME}).
 *
 * <p>Uses: nothing.
 *
 * <p>Used by: bench, cli, corpus, eval, iti, kernel, launch, lens, math, mix, model, plot, probe,
 * study, tokenize, toy, train.
 */
package org.antidote.io;
