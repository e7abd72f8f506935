package org.antidote.kernel;

import io.github.spencerpark.jupyter.kernel.util.StringStyler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Formats what a cell threw for the notebook: the exception and its causes, with each stack trace
 * cut to the frames of the user's own cells and the toolkit (the JShell, reflection and kernel
 * frames below them are noise to a researcher). A cell's frame names the cell and the line the user
 * wrote, not the line of JShell's wrapper class.
 */
final class Errors {

  private Errors() {}

  /**
   * Where a snippet's wrapper class came from.
   *
   * @param wrapper JShell's wrapper of the snippet
   * @param cell the cell's execution count
   * @param line the cell line (0-based) the snippet starts on
   */
  record Origin(SourceCodeAnalysis.SnippetWrapper wrapper, int cell, int line) {

    /** The cell line (1-based) of line {@code wrappedLine} of the wrapper class, or -1. */
    int cellLine(int wrappedLine) {
      String wrapped = wrapper.wrapped();
      int pos = 0;
      for (int l = 1; l < wrappedLine; l++) {
        pos = wrapped.indexOf('\n', pos) + 1;
        if (pos == 0) {
          return -1;
        }
      }
      while (pos < wrapped.length()
          && Character.isWhitespace(wrapped.charAt(pos))
          && wrapped.charAt(pos) != '\n') {
        pos++;
      }
      int inSource = wrapper.wrappedToSourcePosition(pos);
      if (inSource < 0 || inSource > wrapper.source().length()) {
        return -1;
      }
      // The snippet's source may start with the blank lines before it; the cell line counts from
      // its first character.
      String source = wrapper.source();
      int first = 0;
      while (first < source.length() && Character.isWhitespace(source.charAt(first))) {
        first++;
      }
      return line
          + 1
          + (int)
              source
                  .substring(Math.min(first, inSource), inSource)
                  .chars()
                  .filter(c -> c == '\n')
                  .count();
    }
  }

  static List<String> format(Exception e, StringStyler styler, Function<String, Origin> origins) {
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
      out.add(
          styler.primary(
              (first ? "" : "Caused by: ")
                  + t.getClass().getName()
                  + (t.getMessage() == null ? "" : ": " + t.getMessage())));
      for (StackTraceElement f : t.getStackTrace()) {
        String cls = f.getClassName();
        if (cls.startsWith("jdk.")
            || cls.startsWith("java.lang.reflect")
            || cls.startsWith("jdk.internal")
            || cls.startsWith("org.antidote.kernel")) {
          break; // everything below the user's code is the kernel's machinery
        }
        out.add(
            styler.secondary(
                "    at "
                    + (cls.startsWith("REPL.")
                        ? inCell(f, origins)
                        : cls
                            + "."
                            + f.getMethodName()
                            + (f.getLineNumber() > 0 ? " (line " + f.getLineNumber() + ")" : ""))));
      }
      t = t.getCause() == t ? null : t.getCause();
      first = false;
    }
    return out;
  }

  /** "cell [3], line 2", or "f() in cell [3], line 2" inside a method the user declared. */
  private static String inCell(StackTraceElement f, Function<String, Origin> origins) {
    String cls = f.getClassName();
    // A class the user declared is nested in its snippet's wrapper: REPL.$JShell$12$Foo.
    int nested = cls.indexOf('$', cls.indexOf("$JShell$") + "$JShell$".length());
    Origin o = origins.apply(nested < 0 ? cls : cls.substring(0, nested));
    String method = f.getMethodName().equals("do_it$") ? "" : f.getMethodName() + "() in ";
    int line = o == null || f.getLineNumber() <= 0 ? -1 : o.cellLine(f.getLineNumber());
    return method
        + (o == null ? "a cell" : "cell [" + o.cell() + "]" + (line > 0 ? ", line " + line : ""));
  }
}
