package org.antidote.train;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

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
   * The listener for the environment: the progress display of the first {@link Environment} active
   * in this process (inside the notebook kernel, the notebook's), else {@link #console()}.
   */
  static TrainListener auto() {
    for (Environment e : Environments.LOADED) {
      Optional<TrainListener> display = e.progress();
      if (display.isPresent()) {
        return display.get();
      }
    }
    return console();
  }

  /** Terminal progress on standard error: a bar redrawn in place on a console, lines otherwise. */
  static TrainListener console() {
    return new ConsoleProgress(System.err, System.console() != null);
  }

  /**
   * A program with a progress display of its own, which {@link #auto()} finds with {@link
   * ServiceLoader} (the kernel declares its one in {@code META-INF/services}), so that code running
   * inside it (a notebook cell) shows progress there without naming a listener.
   */
  interface Environment {
    /** A fresh listener for a run starting now, or empty when this program is not running here. */
    Optional<TrainListener> progress();
  }

  /** The environments on the class path, found once. */
  final class Environments {
    private static final List<Environment> LOADED =
        ServiceLoader.load(Environment.class, TrainListener.class.getClassLoader()).stream()
            .map(ServiceLoader.Provider::get)
            .toList();

    private Environments() {}
  }
}
