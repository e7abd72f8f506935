/**
 * Inference-time intervention (Li et al. 2023): an {@link org.antidote.iti.Intervention} adds
 * {@code alpha * sigma * direction} to chosen heads' outputs at {@code hook_z}, at the generated
 * positions (the last prompt token and each new one, as honest_llama) or at every position; the
 * all-positions shift can be baked into the attention output projection's bias. It owns the study's
 * K, {@code max(4, round(0.117 x heads))}, and the random-direction control. {@link
 * org.antidote.iti.ItiSweep} scans K (heads) and alpha (strength) beside that control.
 *
 * <p>Uses: io, math, model, plot, probe, tokenize.
 *
 * <p>Used by: bench, cli, lens, study.
 */
package org.antidote.iti;
