package org.antidote.train;

import java.io.BufferedWriter;
import java.io.IOException;
import org.antidote.io.AtomicFiles;

/**
 * A run's progress: every {@code logEvery} steps, every {@code evalEvery} (with the validation
 * loss) and at the last, one {@link Metrics} line appended to {@code metrics.jsonl} and handed to
 * the caller's {@link TrainListener}. Closing it closes the file.
 */
final class MetricsLog implements TrainLoop.Listener, AutoCloseable {

  private final RunFolder folder;
  private final BufferedWriter out;
  private final TrainListener listener;
  private double lossSum;
  private int lossCount;
  private long windowStart = System.nanoTime();
  private int stepsInWindow;
  private Metrics last;

  /** Appends to {@code folder}'s metrics after dropping lines past {@code from}. */
  MetricsLog(RunFolder folder, int from, TrainListener listener) {
    this.folder = folder;
    this.out = folder.appendMetrics(from);
    this.listener = listener;
  }

  @Override
  public void afterStep(TrainLoop loop, TrainLoop.Step s) {
    TrainConfig config = loop.config();
    int step = s.step();
    lossSum += s.loss();
    lossCount++;
    stepsInWindow++;
    boolean end = step == config.steps();
    if (step % config.logEvery() != 0 && !end && step % config.evalEvery() != 0) {
      return;
    }
    // Throughput is measured before validation, which is not training work.
    long now = System.nanoTime();
    Double valLoss = step % config.evalEvery() == 0 || end ? loop.validationLoss() : null;
    long tokensPerStep = config.tokensPerStep();
    double tps = stepsInWindow * tokensPerStep / Math.max((now - windowStart) / 1e9, 1e-9);
    last =
        new Metrics(
            step,
            step * tokensPerStep,
            lossSum / lossCount,
            s.lr(),
            s.gradNorm(),
            tps,
            loop.elapsedSeconds(now),
            (config.steps() - step) * tokensPerStep / Math.max(tps, 1e-9),
            valLoss,
            loop.lossScale(),
            loop.skippedSteps());
    folder.log(out, last);
    listener.logged(last);
    lossSum = 0;
    lossCount = 0;
    stepsInWindow = 0;
    windowStart = System.nanoTime();
  }

  /** The last line logged in this process, or null when none was. */
  Metrics last() {
    return last;
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw AtomicFiles.writeFailure(folder.dir().resolve(RunFolder.METRICS), e);
    }
  }
}
