/**
 * The arithmetic every stage shares, in one place: {@link org.antidote.math.Numerics} for the
 * scalar formulas computed in plain Java (a Box-Muller normal draw, an overflow-safe sigmoid, a
 * softmax at a temperature, all in {@code StrictMath} so they give the same bits everywhere) and
 * {@link org.antidote.math.Stats} for comparing models (rank tests, permutation tests, AUC) and the
 * 95 % intervals every figure carries (Student t over seeds, Welch differences, least-squares
 * slopes, a seeded bootstrap over prompts), and {@link org.antidote.math.LogisticRegression}, the
 * one solver that fits a batch of L2-regularised logistic regressions at once (every attention
 * head's probe, the surface baselines, the scorer's head) by Newton's method on the engine.
 *
 * <p>Uses: nothing.
 *
 * <p>Used by: bench, eval, model, probe, study, toy.
 */
package org.antidote.math;
