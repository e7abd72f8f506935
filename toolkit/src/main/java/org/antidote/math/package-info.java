/**
 * The arithmetic every stage shares, in one place: {@link org.antidote.math.Numerics} for the
 * scalar formulas computed in plain Java (a Box-Muller normal draw, an overflow-safe sigmoid, a
 * softmax at a temperature, all in {@code StrictMath} so they give the same bits everywhere, and
 * the one rounding of numbers shown in tables), {@link org.antidote.math.Vectors} for dot products,
 * lengths and cosines of plain vectors (the toy's entanglement, head directions, ITI's random
 * control), {@link org.antidote.math.Stats} for comparing models (rank tests, permutation tests,
 * AUC) and the 95 % intervals every figure carries (Student t over seeds, Welch differences,
 * least-squares slopes, a seeded bootstrap over prompts), and {@link
 * org.antidote.math.LogisticRegression}, the one solver that fits a batch of L2-regularised
 * logistic regressions at once (every attention head's probe, the surface baselines, the toy's
 * probes, the scorer's head) by Newton's method on the engine. A caller's bad value (a temperature,
 * too few points for an interval) is a {@code BadInputException} through {@code io.Check}.
 *
 * <p>Uses: io.
 *
 * <p>Used by: bench, eval, iti, kernel, launch, model, probe, study, toy, train.
 */
package org.antidote.math;
