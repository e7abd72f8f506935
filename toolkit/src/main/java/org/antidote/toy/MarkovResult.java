package org.antidote.toy;

/**
 * What one toy cell measured.
 *
 * @param config the cell's full config
 * @param entanglement E_i per feature i = chain * vocab + token (see {@link MarkovToy})
 * @param rareMean mean E over the rare chain's features
 * @param othersMean mean E over every other chain's features
 * @param welchBound the Welch bound for chains x vocab directions in d_model dimensions
 * @param chainEntanglement E per chain of the chain directions (each the mean over the vocabulary
 *     of that chain's unit probe normals), an alternative reading of "averaged over the vocabulary"
 * @param probeAccuracy mean accuracy of the probes on their held-out splits
 * @param trainLoss final training loss (nats per token)
 * @param valLoss final validation loss
 * @param seconds wall time of the cell (training, unless it was resumed, and probing)
 * @param randomBaseline mean E of as many random unit vectors as features in d_model dimensions
 *     (mean over 200 seeded draws): where chance lies
 */
public record MarkovResult(
    ToyConfig config,
    double[] entanglement,
    double rareMean,
    double othersMean,
    double welchBound,
    double[] chainEntanglement,
    double probeAccuracy,
    double trainLoss,
    double valLoss,
    double seconds,
    double randomBaseline) {}
