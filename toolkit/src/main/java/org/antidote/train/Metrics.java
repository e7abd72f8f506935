package org.antidote.train;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of {@code metrics.jsonl}.
 *
 * @param step optimiser steps done
 * @param tokens training tokens consumed
 * @param loss mean training loss over the steps since the last line (nats per token)
 * @param lr learning rate of the last step
 * @param gradNorm global gradient norm of the last step, before clipping
 * @param tokensPerSecond throughput since the last line
 * @param elapsedSeconds training time so far (this process and earlier ones)
 * @param etaSeconds estimated time to the end
 * @param valLoss validation loss, when evaluated at this step
 * @param lossScale an fp16 run's loss scale after this step
 * @param skippedSteps an fp16 run's steps skipped so far in this process because gradients
 *     overflowed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Metrics(
    int step,
    long tokens,
    double loss,
    double lr,
    double gradNorm,
    double tokensPerSecond,
    double elapsedSeconds,
    double etaSeconds,
    Double valLoss,
    Double lossScale,
    Integer skippedSteps) {}
