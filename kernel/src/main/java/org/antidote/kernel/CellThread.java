package org.antidote.kernel;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The one thread every cell runs on, for the whole session. PyTorch keeps grad mode and other
 * state per thread, so a training loop started in one cell and continued in another must see the
 * same thread. Interrupting asks politely first (the toolkit's loops check the interrupt flag at
 * every step) and stops the thread's current work forcibly only if it does not listen.
 */
final class CellThread implements AutoCloseable {

  private static final long GRACE_MILLIS = 1000;

  private final ExecutorService executor;
  private volatile Thread thread;
  private volatile boolean running;

  CellThread() {
    executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "antidote-cell");
      t.setDaemon(true);
      thread = t;
      return t;
    });
  }

  /** Runs {@code work} on the cell thread and waits for it; its exception is rethrown as is. */
  <T> T run(Callable<T> work) throws Exception {
    Future<T> f = executor.submit(() -> {
      running = true;
      try {
        return work.call();
      } finally {
        running = false;
        Thread.interrupted(); // a late interrupt must not leak into the next cell
      }
    });
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw new RuntimeException(cause);
    }
  }

  /** Interrupts the running cell: the interrupt flag now, a forced stop after a grace period. */
  @SuppressWarnings({"deprecation", "removal"})
  void interrupt() {
    Thread t = thread;
    if (t == null || !running) {
      return;
    }
    t.interrupt();
    Thread watchdog = new Thread(() -> {
      long deadline = System.currentTimeMillis() + GRACE_MILLIS;
      while (running && System.currentTimeMillis() < deadline) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
      if (running) {
        // The cell ignores interrupts (a tight user loop): stop it, as IJava does.
        t.stop();
      }
    }, "antidote-interrupt");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
