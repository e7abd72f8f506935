package org.antidote.kernel;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * Caps what one cell prints: the first {@link #LIMIT} bytes of standard output and of standard
 * error reach the notebook, the rest is counted and dropped, and a note at the end of the cell says
 * how much. A cell that prints 100 MB would otherwise send it all to the browser, whose page stops
 * responding long before it has drawn it.
 */
final class OutputLimit extends OutputStream {

  /** Bytes per stream per cell that reach the notebook. */
  static final long LIMIT = 1 << 20;

  private final PrintStream target;
  private long written;
  private long dropped;

  private OutputLimit(PrintStream target) {
    this.target = target;
  }

  /**
   * Runs {@code work} with {@code System.out} and {@code System.err} capped, then restores them.
   */
  static <T> T around(Callable<T> work) throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    OutputLimit o = new OutputLimit(out);
    OutputLimit e = new OutputLimit(err);
    PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
    PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8);
    System.setOut(po);
    System.setErr(pe);
    try {
      return work.call();
    } finally {
      po.flush();
      pe.flush();
      System.setOut(out);
      System.setErr(err);
      o.finish();
      e.finish();
    }
  }

  @Override
  public void write(int b) {
    if (written < LIMIT) {
      target.write(b);
      written++;
    } else {
      dropped++;
    }
  }

  @Override
  public void write(byte[] b, int off, int len) {
    int keep = (int) Math.max(0, Math.min(len, LIMIT - written));
    if (keep > 0) {
      target.write(b, off, keep);
      written += keep;
    }
    dropped += len - keep;
  }

  @Override
  public void flush() {
    target.flush();
  }

  private void finish() {
    if (dropped > 0) {
      target.printf(
          "%n[output truncated: %,d more bytes were not shown; a cell shows the first %,d bytes of each"
              + " stream; write large output to a file instead]%n",
          dropped, LIMIT);
    }
    target.flush();
  }
}
