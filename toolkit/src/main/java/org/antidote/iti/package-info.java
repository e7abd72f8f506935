/**
 * Inference-time intervention (Li et al. 2023): an {@link org.antidote.iti.Intervention} adds
 * {@code alpha * sigma * direction} to chosen heads' outputs at {@code hook_z}, at every position,
 * during generation and scoring; the same shift can be baked into the attention output
 * projection's bias. {@link org.antidote.iti.ItiSweep} scans K (heads) and alpha (strength).
 */
package org.antidote.iti;
