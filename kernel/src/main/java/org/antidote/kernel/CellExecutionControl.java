package org.antidote.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import jdk.jshell.execution.DirectExecutionControl;

/**
 * Runs JShell snippets in this JVM, on whatever thread calls JShell (the kernel's single cell
 * thread), and keeps the last value and the last thrown exception as objects, so the kernel can
 * render a table as a table rather than as its {@code toString()}, and show a real stack trace.
 */
final class CellExecutionControl extends DirectExecutionControl {

  private Object lastValue;
  private Throwable lastThrown;

  CellExecutionControl() {
    super(); // JShell's default loader: classes of cells see the JVM's classpath, plus what %classpath adds
  }

  @Override
  protected String invoke(Method doitMethod) throws Exception {
    lastValue = null;
    lastThrown = null;
    try {
      Object value = doitMethod.invoke(null);
      lastValue = value;
      return valueString(value);
    } catch (InvocationTargetException e) {
      lastThrown = e.getCause();
      throw e;
    }
  }

  /** The value of the last snippet run, taken once. */
  Object takeValue() {
    Object v = lastValue;
    lastValue = null;
    return v;
  }

  /** The exception the last snippet threw, taken once (null if none). */
  Throwable takeThrown() {
    Throwable t = lastThrown;
    lastThrown = null;
    return t;
  }
}
