package org.antidote.train;

import java.util.concurrent.CancellationException;

/**
 * Checkpoints a run: every {@code checkpointEvery} steps and at the last, and, when a signal asks
 * the run to stop ({@link StopSignals}), at the step boundary before it stops. A notebook's
 * interrupt stops it too, leaving the last checkpoint for the resume.
 */
final class Checkpointer implements TrainLoop.Listener {

  private final RunFolder folder;
  private final String fingerprint;
  private int checkpointed;

  /** Checkpoints into {@code folder}, tagged with {@code fingerprint}, from step {@code from}. */
  Checkpointer(RunFolder folder, String fingerprint, int from) {
    this.folder = folder;
    this.fingerprint = fingerprint;
    this.checkpointed = from;
  }

  @Override
  public void beforeStep(TrainLoop loop) {
    int step = loop.step();
    StopSignals.Caught signal = StopSignals.pending();
    if (signal != null) {
      String where = "the checkpoint of step " + checkpointed;
      if (step > checkpointed) {
        loop.checkpoint(folder.dir(), fingerprint);
        where = "a checkpoint at step " + step;
      }
      throw new StopSignals.Stopped(
          folder.name()
              + ": stopped by "
              + signal.name()
              + " after step "
              + step
              + "; "
              + (step == 0 ? "nothing trained yet" : where + " holds it")
              + ". Run the same command to resume.",
          signal.exitCode());
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException(
          "training interrupted at step "
              + step
              + "; run the same call again to resume from the last checkpoint");
    }
  }

  @Override
  public void afterStep(TrainLoop loop, TrainLoop.Step s) {
    if (s.step() % loop.config().checkpointEvery() == 0 || s.step() == loop.config().steps()) {
      loop.checkpoint(folder.dir(), fingerprint);
      checkpointed = s.step();
    }
  }
}
