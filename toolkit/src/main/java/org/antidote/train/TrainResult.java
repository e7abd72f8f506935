package org.antidote.train;

import java.util.Map;
import org.antidote.plot.Displayable;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

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
public record TrainResult(
    String run,
    int steps,
    long tokens,
    double trainLoss,
    double valLoss,
    double unigramLoss,
    double seconds,
    double tokensPerSecond,
    long parameters,
    String device,
    Map<String, String> versions)
    implements Displayable {

  /** The run as one row (a list of results shows as one table of such rows). */
  @Override
  public Table table() {
    Table t =
        Table.create(
            "training runs",
            StringColumn.create("run"),
            IntColumn.create("steps"),
            LongColumn.create("tokens"),
            DoubleColumn.create("train loss"),
            DoubleColumn.create("val loss"),
            DoubleColumn.create("unigram loss"),
            DoubleColumn.create("tokens/s"));
    t.stringColumn(0).append(run);
    t.intColumn(1).append(steps);
    t.longColumn(2).append(tokens);
    t.doubleColumn(3).append(Math.round(trainLoss * 1000) / 1000.0);
    t.doubleColumn(4).append(Math.round(valLoss * 1000) / 1000.0);
    t.doubleColumn(5).append(Math.round(unigramLoss * 1000) / 1000.0);
    t.doubleColumn(6).append(Math.round(tokensPerSecond));
    return t;
  }
}
