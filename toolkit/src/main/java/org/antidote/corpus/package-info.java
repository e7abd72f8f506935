/**
 * Documents and where they come from: the {@link org.antidote.corpus.Document} record, streamed
 * readers for the formats researchers bring (plain text, JSONL, CSV/TSV, gzip; one reader per
 * format behind {@link org.antidote.corpus.DocumentReader#open}), the bundled sources and how each
 * is normalised ({@link org.antidote.corpus.Recipes}, {@link org.antidote.corpus.Fetcher}, over the
 * package fetcher of {@code io}), exactly balanced labelled sets ({@link
 * org.antidote.corpus.Balance}), the fixed held-out partition that keeps labelled and evaluation
 * texts out of pre-training ({@link org.antidote.corpus.HeldOut}), the seeded split of target
 * groups that keeps fitting apart from scoring ({@link org.antidote.corpus.GroupSplit}), and the
 * entry point for notebooks, {@link org.antidote.corpus.Corpora}.
 *
 * <p>Uses: io.
 *
 * <p>Used by: bench, cli, eval, lens, mix, probe, study, tokenize.
 */
package org.antidote.corpus;
