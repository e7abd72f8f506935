/**
 * Benchmarks: commands that print tables; never timed unit tests. Each has a {@code run} method
 * returning a result record whose {@code toTable()} is what gets pasted into reports, and a {@code
 * main} for running it by hand. {@code MemoryBench} checks the memory plan against the CPU; {@code
 * GpuBench} is the check {@code bench/gpu-check.sh} runs on a CUDA machine.
 *
 * <p>Uses: corpus, eval, io, iti, math, mix, model, probe, tokenize, train.
 *
 * <p>Used by: cli.
 */
package org.antidote.bench;
