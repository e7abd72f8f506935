package org.antidote.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.EngineTerminationException;
import jdk.jshell.spi.ExecutionControl.NotImplementedException;

/**
 * Runs JShell snippets in this JVM, on whatever thread calls JShell (the kernel's single cell
 * thread), and keeps the last value and the last thrown exception as objects, so the kernel can
 * render a table as a table rather than as its {@code toString()}, and show a real stack trace.
 */
final class CellExecutionControl extends DirectExecutionControl {

  private Object lastValue;
  private Throwable lastThrown;

  CellExecutionControl() {
    super(); // JShell's default loader: classes of cells see the JVM's classpath, plus what
    // %classpath adds
  }

  /**
   * Loads the cell's classes rewritten by {@link CellStop}, so that an interrupt can stop any loop
   * in them.
   */
  @Override
  public void load(ClassBytecodes[] cbcs)
      throws ClassInstallException, NotImplementedException, EngineTerminationException {
    ClassBytecodes[] stoppable = new ClassBytecodes[cbcs.length];
    for (int i = 0; i < cbcs.length; i++) {
      stoppable[i] = new ClassBytecodes(cbcs[i].name(), CellStop.instrument(cbcs[i].bytecodes()));
    }
    super.load(stoppable);
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
