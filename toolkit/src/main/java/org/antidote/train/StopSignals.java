package org.antidote.train;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGTERM, SIGINT and SIGUSR1 as a request to stop training cleanly: while a {@link Trainer} runs,
 * the signal is remembered and the trainer writes a checkpoint at the next step boundary, then
 * throws {@link Stopped}, whose exit code is the shell's for that signal (143, 130, 138). The same
 * command resumes from that checkpoint bit for bit. Outside training a signal ends the process at
 * once, as it would without these handlers. Slurm sends SIGTERM when it preempts or requeues a job,
 * and {@code --signal=B:USR1@120} before its time limit (the batch script forwards it).
 *
 * <p>Only a command-line process {@linkplain #install() installs} the handlers: a notebook kernel
 * has its own interrupt.
 */
public final class StopSignals {

  private static final AtomicInteger TRAINING = new AtomicInteger();
  private static volatile Caught pending;
  private static volatile boolean installed;

  private StopSignals() {}

  /** The signal that asked training to stop: its name and number. */
  record Caught(String name, int number) {
    int exitCode() {
      return 128 + number;
    }
  }

  /** Training stopped on a signal after writing a checkpoint; the same command resumes. */
  public static final class Stopped extends RuntimeException {
    private final int exitCode;

    Stopped(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }

    /** 128 plus the signal's number, as a shell reports a process ended by that signal. */
    public int exitCode() {
      return exitCode;
    }
  }

  /** Installs the handlers for this process (once; later calls do nothing). */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    for (String name : new String[] {"TERM", "INT", "USR1"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), StopSignals::caught);
      } catch (IllegalArgumentException taken) {
        // The JVM keeps this signal (e.g. -Xrs or a debugger): it keeps its default meaning.
      }
    }
    installed = true;
  }

  private static void caught(sun.misc.Signal s) {
    Caught c = new Caught("SIG" + s.getName(), s.getNumber());
    if (TRAINING.get() == 0) {
      // Nothing to checkpoint: end as the signal's default would (shutdown hooks run).
      Runtime.getRuntime().exit(c.exitCode());
      return;
    }
    if (pending == null) {
      pending = c;
      System.err.println();
      System.err.println(
          "received " + c.name() + ": checkpointing at the next step boundary, then exiting");
    }
    // A repeated signal while the checkpoint is on its way changes nothing; SIGKILL still ends
    // the process, and the last periodic checkpoint resumes it just as exactly.
  }

  /** Marks a training loop as running, so that a signal waits for its step boundary. */
  static Scope training() {
    TRAINING.incrementAndGet();
    return TRAINING::decrementAndGet;
  }

  /** A running training loop; closing it ends the wait for its step boundary. */
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** The signal that asked training to stop, or null. */
  static Caught pending() {
    return pending;
  }
}
