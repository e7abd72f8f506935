package org.antidote.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import java.util.UUID;
import org.antidote.train.TrainListener;

/**
 * What cells can call without an import (the kernel imports it statically): {@code display(obj)}
 * shows a value now and returns its display id, {@code updateDisplay(id, obj)} replaces it in
 * place, {@code progress()} is a training listener drawing in the notebook (the one a run started
 * without a listener gets, through {@link NotebookEnvironment}).
 */
public final class Notebook {

  private static volatile AntidoteKernel kernel;

  private Notebook() {}

  static void attach(AntidoteKernel k) {
    kernel = k;
  }

  static void detach() {
    kernel = null;
  }

  /** Whether a kernel runs in this process (then {@link NotebookEnvironment} draws progress). */
  static boolean attached() {
    return kernel != null;
  }

  /** Shows {@code value} as the kernel would show a cell's result; returns its display id. */
  public static String display(Object value) {
    AntidoteKernel k = kernel();
    DisplayData d = k.displays().render(value);
    String id = UUID.randomUUID().toString();
    d.setDisplayId(id);
    k.display(d);
    return id;
  }

  /** Replaces what display {@code id} shows with {@code value}. */
  public static void updateDisplay(String id, Object value) {
    AntidoteKernel k = kernel();
    k.getIO().display.updateDisplay(id, k.displays().render(value));
  }

  /**
   * The kernel's renderer registry, where a cell registers how its own types look: {@code
   * renderer().createRegistration(MyResult.class).preferring(MIMEType.TEXT_HTML) .register((r, ctx)
   * -> ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> "<b>" + r + "</b>"))}. A registration for a
   * type wins over the kernel's own for its supertypes.
   */
  public static Renderer renderer() {
    return kernel().getRenderer();
  }

  /** A training listener that draws progress and a live loss curve in one display. */
  public static TrainListener progress() {
    return new NotebookProgress();
  }

  private static AntidoteKernel kernel() {
    AntidoteKernel k = kernel;
    if (k == null) {
      throw new IllegalStateException("display() works inside the Antidote kernel only");
    }
    return k;
  }
}
