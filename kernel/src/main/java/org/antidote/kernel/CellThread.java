package org.antidote.kernel;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The one thread every cell runs on, for the whole session. PyTorch keeps grad mode and other state
 * per thread, so a training loop started in one cell and continued in another must see the same
 * thread. Interrupting sets the thread's interrupt flag (the toolkit's loops check it at every
 * step, and blocking calls wake up) and asks {@link CellStop} to throw at the cell's next loop
 * iteration or method call, which stops even a tight loop that checks nothing, on any JDK.
 */
final class CellThread implements AutoCloseable {

  private final ExecutorService executor;
  private volatile Thread thread;
  private volatile boolean running;

  CellThread() {
    executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "antidote-cell");
              t.setDaemon(true);
              thread = t;
              return t;
            });
  }

  /** Runs {@code work} on the cell thread and waits for it; its exception is rethrown as is. */
  <T> T run(Callable<T> work) throws Exception {
    Future<T> f =
        executor.submit(
            () -> {
              CellStop.clear(); // a request that came after the last cell ended is not for this one
              running = true;
              try {
                return work.call();
              } finally {
                running = false;
                CellStop.clear();
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

  /**
   * Interrupts the running cell: its interrupt flag, and a stop at its next loop iteration or call.
   */
  void interrupt() {
    Thread t = thread;
    if (t == null || !running) {
      return;
    }
    CellStop.request();
    t.interrupt();
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
