package org.antidote.kernel;

import io.github.spencerpark.jupyter.kernel.util.StringStyler;
import java.util.ArrayList;
import java.util.List;

/**
 * Formats what a cell threw for the notebook: the exception and its causes, with each stack
 * trace cut to the frames of the user's own cells and the toolkit (the JShell, reflection and
 * kernel frames below them are noise to a researcher).
 */
final class Errors {

  private Errors() {}

  static List<String> format(Exception e, StringStyler styler) {
    List<String> out = new ArrayList<>();
    if (e instanceof CompilationException c) {
      for (String l : c.lines()) {
        out.add(styler.primary(l));
      }
      return out;
    }
    Throwable t = e instanceof AntidoteKernel.CellError ? e.getCause() : e;
    boolean first = true;
    while (t != null) {
      out.add(styler.primary((first ? "" : "Caused by: ") + t.getClass().getName()
          + (t.getMessage() == null ? "" : ": " + t.getMessage())));
      for (StackTraceElement f : t.getStackTrace()) {
        String cls = f.getClassName();
        if (cls.startsWith("jdk.") || cls.startsWith("java.lang.reflect") || cls.startsWith("jdk.internal")
            || cls.startsWith("org.antidote.kernel")) {
          break; // everything below the user's code is the kernel's machinery
        }
        String where = cls.startsWith("REPL.") ? "in cell" : cls + "." + f.getMethodName();
        out.add(styler.secondary("    at " + where + (f.getLineNumber() > 0 ? " (line " + f.getLineNumber() + ")" : "")));
      }
      t = t.getCause() == t ? null : t.getCause();
      first = false;
    }
    return out;
  }
}
