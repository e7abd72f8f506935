package org.antidote.kernel;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.history.HistoryEntry;
import io.github.spencerpark.jupyter.kernel.history.HistoryManager;
import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * The Antidote kernel: JShell in this JVM, one cell thread, the toolkit imported, results rendered
 * by type. Cells may hold several snippets; the value of the last one is displayed unless the cell
 * ends with a semicolon.
 */
public final class AntidoteKernel extends BaseKernel {

  /** Imports every cell sees, so the first cell can start with the toolkit. */
  static final List<String> IMPORTS =
      List.of(
          "java.util.*",
          "java.nio.file.*",
          "java.util.stream.*",
          "org.antidote.corpus.*",
          "org.antidote.mix.*",
          "org.antidote.tokenize.*",
          "org.antidote.model.*",
          "org.antidote.train.*",
          "org.antidote.io.*",
          "org.antidote.probe.*",
          "org.antidote.iti.*",
          "org.antidote.eval.*",
          "org.antidote.plot.*",
          "org.antidote.study.*",
          "ai.djl.Device",
          "ai.djl.ndarray.*",
          "ai.djl.ndarray.types.*",
          "tech.tablesaw.api.*",
          "tech.tablesaw.plotly.components.*",
          "tech.tablesaw.plotly.api.*",
          "org.antidote.lens.*",
          "org.antidote.toy.*",
          "io.github.spencerpark.jupyter.kernel.display.mime.MIMEType");

  private final CellThread cells = new CellThread();
  private final CellExecutionControl control;
  private final JShell shell;
  private final Magics magics;
  private final Displays displays;
  private final Set<String> classpath = new LinkedHashSet<>();

  /**
   * Where each snippet's wrapper class came from, so stack traces name the user's cell and line.
   */
  private final Map<String, Errors.Origin> origins = Collections.synchronizedMap(new HashMap<>());

  /** This session's cells, for history_request (JupyterLab asks when a notebook opens). */
  private final List<HistoryEntry> history = Collections.synchronizedList(new ArrayList<>());

  /** Builds the shell (on the cell thread, where it will run) with the JVM's classpath. */
  public AntidoteKernel() throws Exception {
    this.displays = new Displays(getRenderer(), this::display);
    this.control = new CellExecutionControl();
    this.shell =
        cells.run(
            () -> {
              JShell s =
                  JShell.builder()
                      .executionEngine(
                          new ExecutionControlProvider() {
                            @Override
                            public String name() {
                              return "antidote-direct";
                            }

                            @Override
                            public ExecutionControl generate(
                                ExecutionEnv env, Map<String, String> parameters) {
                              return control;
                            }
                          },
                          Map.of())
                      .build();
              for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                  s.addToClasspath(entry);
                  classpath.add(entry);
                }
              }
              StringBuilder imports = new StringBuilder();
              for (String i : IMPORTS) {
                imports.append("import ").append(i).append(";\n");
              }
              imports.append("import static org.antidote.kernel.Notebook.*;\n");
              evalAll(s, imports.toString());
              return s;
            });
    this.magics = new Magics(this);
    Notebook.attach(this);
  }

  JShell shell() {
    return shell;
  }

  Displays displays() {
    return displays;
  }

  /** Adds a jar or folder to the cells' classpath (and the compiler's). */
  void addToClasspath(String path) {
    if (classpath.add(path)) {
      shell.addToClasspath(path);
    }
  }

  @Override
  public LanguageInfo getLanguageInfo() {
    return new LanguageInfo.Builder("java")
        .version(Runtime.version().toString())
        .mimetype("text/x-java-source")
        .fileExtension(".jshell")
        .pygments("java")
        .codemirror("text/x-java")
        .build();
  }

  @Override
  public String getBanner() {
    return "Antidote (Java "
        + Runtime.version()
        + "): the toolkit is imported; start with Corpora.bundled()";
  }

  @Override
  public HistoryManager getHistoryManager() {
    return new HistoryManager() {
      @Override
      public List<HistoryEntry> lookupRange(
          int session, int start, int stop, Set<ResultFlag> flags) {
        synchronized (history) {
          return history.stream()
              .filter(h -> h.getCellNumber() >= start && (stop <= 0 || h.getCellNumber() < stop))
              .toList();
        }
      }

      @Override
      public List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
        synchronized (history) {
          return List.copyOf(history.subList(Math.max(0, history.size() - length), history.size()));
        }
      }

      @Override
      public List<HistoryEntry> search(String pattern, int length, Set<ResultFlag> flags) {
        // Jupyter's pattern is a glob: * any text, ? one character.
        Pattern glob =
            Pattern.compile(
                Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"));
        synchronized (history) {
          List<HistoryEntry> hits =
              history.stream().filter(h -> glob.matcher(h.getInput()).matches()).toList();
          return hits.subList(Math.max(0, hits.size() - Math.max(length, 0)), hits.size());
        }
      }
    };
  }

  @Override
  public DisplayData eval(String code) throws Exception {
    // The base kernel counts the cell before evaluating it.
    int cellNumber = executionCount.get() - 1;
    history.add(new HistoryEntry(0, cellNumber, code));
    return cells.run(
        () ->
            OutputLimit.around(
                () -> {
                  Magics.Result m = magics.apply(code);
                  m.messages().forEach(System.out::println);
                  long start = System.nanoTime();
                  Object value = NO_VALUE;
                  try {
                    if (!m.source().isBlank()) {
                      int dropped = (int) (code.lines().count() - m.source().lines().count());
                      value = evalCell(m.source(), cellNumber, Math.max(0, dropped));
                    }
                  } finally {
                    if (m.timed()) {
                      System.out.printf("Wall time: %.3f s%n", (System.nanoTime() - start) / 1e9);
                    }
                  }
                  return value == NO_VALUE || value == null ? null : displays.render(value);
                }));
  }

  private static final Object NO_VALUE = new Object();

  /** Evaluates every snippet of a cell; returns the last expression's value or NO_VALUE. */
  Object evalCell(String code, int cellNumber, int firstLine) throws Exception {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = code;
    Object value = NO_VALUE;
    int offset = 0;
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      String source = info.source();
      String rest = info.remaining();
      if (source == null) {
        if (info.completeness() != SourceCodeAnalysis.Completeness.CONSIDERED_INCOMPLETE) {
          throw new CompilationException(
              "the cell ends in the middle of a statement: " + firstLine(remaining.strip()),
              code,
              offset + leadingSpace(remaining),
              List.of());
        }
        source =
            remaining.strip() + ";"; // "int x = 1" at the end of a cell: the semicolon is implied
        rest = "";
      }
      value = evalSnippet(source, code, offset + leadingSpace(remaining), cellNumber, firstLine);
      offset += remaining.length() - rest.length();
      remaining = rest;
    }
    if (code.strip().endsWith(";")) {
      return NO_VALUE;
    }
    return value;
  }

  private Object evalSnippet(String source, String cell, int offset, int cellNumber, int firstLine)
      throws Exception {
    List<SnippetEvent> events = shell.eval(source);
    Object value = NO_VALUE;
    for (SnippetEvent e : events) {
      if (e.causeSnippet() != null) {
        continue; // an update of a dependent snippet, not this one
      }
      if (e.status() != Snippet.Status.REJECTED) {
        SourceCodeAnalysis.SnippetWrapper w = shell.sourceCodeAnalysis().wrapper(e.snippet());
        int line =
            firstLine + (int) cell.substring(0, offset).chars().filter(c -> c == '\n').count();
        origins.put(w.fullClassName(), new Errors.Origin(w, cellNumber, line));
      }
      if (e.status() == Snippet.Status.REJECTED) {
        List<Diag> diags = shell.diagnostics(e.snippet()).toList();
        throw new CompilationException(source, cell, offset, diags);
      }
      if (e.exception() != null) {
        Throwable real = control.takeThrown();
        if (real instanceof Exception ex) {
          throw ex;
        }
        if (real instanceof Error err) {
          throw new CellError(err);
        }
        if (e.exception() instanceof UnresolvedReferenceException u) {
          throw new CompilationException(
              "unresolved reference in " + u.getSnippet().source(), cell, offset, List.of());
        }
        throw e.exception() instanceof EvalException ev ? ev : e.exception();
      }
      Snippet s = e.snippet();
      boolean expression =
          s.kind() == Snippet.Kind.EXPRESSION
              || s instanceof VarSnippet v
                  && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
      Object v = control.takeValue();
      if (expression && e.value() != null) {
        value = v;
      }
    }
    return value;
  }

  private static void evalAll(JShell s, String code) {
    String rest = code;
    while (!rest.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = s.sourceCodeAnalysis().analyzeCompletion(rest);
      if (info.source() == null) {
        throw new IllegalStateException("start-up code is incomplete: " + rest);
      }
      for (SnippetEvent e : s.eval(info.source())) {
        if (e.status() == Snippet.Status.REJECTED) {
          throw new IllegalStateException(
              "start-up snippet rejected: "
                  + e.snippet().source()
                  + " "
                  + s.diagnostics(e.snippet()).map(d -> d.getMessage(null)).toList());
        }
      }
      rest = info.remaining();
    }
  }

  @Override
  public String isComplete(String code) {
    SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(code);
    while (info.completeness() == SourceCodeAnalysis.Completeness.COMPLETE
        && !info.remaining().isBlank()) {
      info = shell.sourceCodeAnalysis().analyzeCompletion(info.remaining());
    }
    return switch (info.completeness()) {
      case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> IS_COMPLETE_YES;
      case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> "    ";
      case UNKNOWN -> IS_COMPLETE_BAD;
    };
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    int[] anchor = new int[1];
    List<SourceCodeAnalysis.Suggestion> suggestions =
        shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor);
    List<String> options = new ArrayList<>();
    for (SourceCodeAnalysis.Suggestion s : suggestions) {
      if (!options.contains(s.continuation())) {
        options.add(s.continuation());
      }
    }
    return options.isEmpty() ? null : new ReplacementOptions(options, anchor[0], at);
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(code, at, true);
    if (docs.isEmpty()) {
      // JShell documents a method only inside its call: "System.out.println" ->
      // "System.out.println(".
      docs = analysis.documentation(code.substring(0, at) + "(" + code.substring(at), at + 1, true);
    }
    if (docs.isEmpty()) {
      String type = analysis.analyzeType(code, at);
      return type == null ? null : new DisplayData(code.strip() + ": " + type);
    }
    StringBuilder text = new StringBuilder();
    for (SourceCodeAnalysis.Documentation d : docs) {
      text.append(d.signature()).append('\n');
      if (d.javadoc() != null) {
        text.append(d.javadoc().strip()).append('\n');
      }
      text.append('\n');
    }
    return new DisplayData(text.toString().strip());
  }

  @Override
  public void interrupt() {
    cells.interrupt();
  }

  @Override
  public List<String> formatError(Exception e) {
    return Errors.format(e, errorStyler, origins::get);
  }

  @Override
  public void onShutdown(boolean restart) {
    Notebook.detach();
    shell.close();
    cells.close();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl) + " ...";
  }

  private static int leadingSpace(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** An Error thrown by a cell (an OutOfMemoryError, a forced stop), carried as an Exception. */
  static final class CellError extends Exception {
    CellError(Error cause) {
      super(cause.toString(), cause);
    }
  }
}
