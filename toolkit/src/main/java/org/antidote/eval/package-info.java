/** Evaluation: toxicity scorers, metrics, capability, Pareto. */
package org.antidote.eval;
