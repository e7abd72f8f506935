/**
 * Benchmarks: commands that print tables; never timed unit tests. Each has a {@code run} method
 * returning a result record whose {@code toTable()} is what gets pasted into reports, and a
 * {@code main} for running it by hand.
 */
package org.antidote.bench;
