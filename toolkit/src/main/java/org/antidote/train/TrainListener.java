package org.antidote.train;

/**
 * Receives a run's progress: a terminal progress bar, a notebook display, a test. Every method has
 * a do-nothing default.
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

  /**
   * The listener for the environment: the one a notebook kernel registered with {@link
   * #useByDefault}, else {@link #console()}.
   */
  static TrainListener auto() {
    java.util.function.Supplier<TrainListener> f = Defaults.factory;
    return f != null ? f.get() : console();
  }

  /** Makes {@link #auto()} use {@code factory} (null restores the console). */
  static void useByDefault(java.util.function.Supplier<TrainListener> factory) {
    Defaults.factory = factory;
  }

  /** Holder of the environment's default (interfaces cannot have mutable fields). */
  final class Defaults {
    private static volatile java.util.function.Supplier<TrainListener> factory;

    private Defaults() {}
  }

  /** Terminal progress on standard error: a bar redrawn in place on a console, lines otherwise. */
  static TrainListener console() {
    return new ConsoleProgress(System.err, System.console() != null);
  }
}
