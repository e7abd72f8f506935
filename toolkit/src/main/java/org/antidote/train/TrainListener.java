package org.antidote.train;

/**
 * Receives a run's progress: a terminal progress bar, a notebook display, a test. Every method
 * has a do-nothing default.
 */
public interface TrainListener {

  /** The run starts (or resumes at {@code startStep}). */
  default void started(String run, TrainConfig config, int startStep) {}

  /** One metrics line was written. */
  default void logged(Metrics metrics) {}

  /** The run finished. */
  default void finished(TrainResult result) {}

  /** A listener that ignores everything. */
  static TrainListener silent() {
    return new TrainListener() {};
  }

  /** Terminal progress on standard error: a bar redrawn in place on a console, lines otherwise. */
  static TrainListener console() {
    return new ConsoleProgress(System.err, System.console() != null);
  }
}
