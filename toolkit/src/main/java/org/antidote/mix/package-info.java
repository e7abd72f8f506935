/**
 * Mixing clean and toxic corpora at a chosen toxic share, the way the paper does it (clean tokens
 * fixed, toxic documents added until they make up the share) or within a fixed total budget.
 * Document-level, seeded, deterministic, streamed; every mixture folder carries a {@link
 * org.antidote.mix.MixManifest} with sources, checksums, token counts and achieved shares.
 *
 * <p>Uses: corpus, io, plot, tokenize.
 *
 * <p>Used by: bench, cli, study, train.
 */
package org.antidote.mix;
