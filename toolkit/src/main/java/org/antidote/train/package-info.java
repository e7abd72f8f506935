/**
 * Pre-training: the {@link org.antidote.train.Trainer} (AdamW with decoupled weight decay on
 * matrices, linear warm-up then cosine decay, gradient clipping and accumulation, periodic
 * validation), made of a run folder with {@code config.json}, {@code metrics.jsonl} and checksummed
 * safetensors checkpoints that resume bit-exactly, locked against a second trainer while one trains
 * (RunFolder, RunLock), the resume state a checkpoint holds (ResumeState), the loop (TrainLoop) and
 * its listeners for checkpoints, divergence and progress; progress goes to a {@link
 * org.antidote.train.TrainListener} the caller passes, or that an environment such as the notebook
 * kernel supplies; and {@link org.antidote.train.Sweep}s over toxic shares and seeds; float16
 * training with {@link org.antidote.train.LossScaler}, and the {@link
 * org.antidote.train.MemoryPlan} that {@code ./antidote plan} prints and the trainer checks before
 * any work. {@link org.antidote.train.Dpo} is the one preference-tuning loop (DPO against the
 * starting model as frozen reference).
 *
 * <p>Uses: io, math, mix, model, plot, tokenize.
 *
 * <p>Used by: bench, cli, kernel, launch, study, toy.
 */
package org.antidote.train;
