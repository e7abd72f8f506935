/**
 * Pre-training: the {@link org.antidote.train.Trainer} (AdamW with decoupled weight decay on
 * matrices, linear warm-up then cosine decay, gradient clipping and accumulation, periodic
 * validation), run folders with {@code config.json}, {@code metrics.jsonl} and checksummed
 * safetensors checkpoints that resume bit-exactly, locked against a second trainer while one trains
 * (RunLock), and {@link org.antidote.train.Sweep}s over toxic shares and seeds; float16 training
 * with {@link org.antidote.train.LossScaler}, and the {@link org.antidote.train.MemoryPlan} that
 * {@code ./antidote plan} prints and the trainer checks before any work. {@link
 * org.antidote.train.Dpo} is the one preference-tuning loop (DPO against the starting model as
 * frozen reference).
 *
 * <p>Uses: io, mix, model, plot, tokenize.
 *
 * <p>Used by: bench, cli, kernel, launch, study, toy.
 */
package org.antidote.train;
