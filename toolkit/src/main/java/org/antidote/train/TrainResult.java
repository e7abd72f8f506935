package org.antidote.train;

import java.util.Map;

/**
 * The end of a run, written as {@code result.json}; its presence marks the run finished.
 *
 * @param run the run folder's name
 * @param steps optimiser steps
 * @param tokens training tokens consumed
 * @param trainLoss mean training loss over the last logging interval
 * @param valLoss final validation loss
 * @param unigramLoss cross-entropy of the training data's unigram distribution on validation: the
 *     loss of a model that ignores context, which a trained model must beat
 * @param seconds training time (all sessions)
 * @param tokensPerSecond average throughput
 * @param parameters trained parameters
 * @param device the device trained on
 * @param versions toolkit and engine versions
 */
public record TrainResult(String run, int steps, long tokens, double trainLoss, double valLoss, double unigramLoss,
    double seconds, double tokensPerSecond, long parameters, String device, Map<String, String> versions) {}
