/**
 * Files, done safely: atomic writes (temporary name, then rename), the one Jackson mapper every
 * artefact is written with, checksums, the toolkit's home folder ({@code $ANTIDOTE_HOME}), and the
 * package fetcher: pinned registry packages and files by URL ({@link org.antidote.io.Pinned}),
 * fetched with SHA-256 checks, mirrors first ({@link org.antidote.io.PackageFetcher}, {@link
 * org.antidote.io.Mirror}), and read inside their archives ({@link org.antidote.io.Archives}).
 *
 * <p>Uses: nothing.
 *
 * <p>Used by: bench, cli, corpus, eval, iti, kernel, launch, lens, math, mix, model, plot, probe,
 * study, tokenize, toy, train.
 */
package org.antidote.io;
