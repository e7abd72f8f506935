/**
 * The command line: one subcommand per stage ({@code data}, {@code bench}, {@code demo}, ...), each
 * a thin layer over the library calls a notebook makes. {@code ./antidote} at the repository root
 * builds the project and runs {@link org.antidote.cli.Main}.
 *
 * <p>Uses: bench, corpus, eval, io, iti, launch, mix, model, probe, study, tokenize, toy, train.
 *
 * <p>Used by: nothing.
 */
package org.antidote.cli;
