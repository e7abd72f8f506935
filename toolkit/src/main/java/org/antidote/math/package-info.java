/**
 * Numerical solvers shared by the stages, a leaf like {@code io} and {@code plot}:
 * {@link org.antidote.math.LogisticRegression} fits a batch of L2-regularised logistic regressions
 * at once (every attention head's probe, the scorer's head) by Newton's method on the engine.
 */
package org.antidote.math;
