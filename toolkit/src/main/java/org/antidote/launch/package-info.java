/**
 * Running a study's or sweep's stages elsewhere than in this process: as Slurm job arrays ({@link
 * org.antidote.launch.Slurm}: one sbatch script per stage, each depending on the one before,
 * preemption-safe through the trainer's signal checkpoint) or as child processes on this machine, N
 * at a time, each with its share of the threads ({@link org.antidote.launch.Local}). {@link
 * org.antidote.launch.Status} reads run folders, task logs and, where Slurm is there, {@code
 * squeue} into one table. A stage is a list of command lines; the package knows nothing of what
 * they compute, so it sits just above {@code train}, whose run folders it reads.
 *
 * <p>Uses: io, math, plot, train.
 *
 * <p>Used by: cli.
 */
package org.antidote.launch;
