package org.antidote.kernel;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.Diag;

/**
 * A cell that does not compile: each message names its line and column in the cell, with the
 * offending line and a caret under the column, as a compiler would.
 */
final class CompilationException extends Exception {

  private final List<String> lines;

  CompilationException(String source, String cell, int offset, List<Diag> diags) {
    super(diags.isEmpty() ? source : diags.get(0).getMessage(null));
    this.lines = new ArrayList<>();
    if (diags.isEmpty()) {
      int[] lc = lineAndColumn(cell, offset);
      lines.add("line " + lc[0] + ", column " + lc[1] + ": " + source);
      return;
    }
    for (Diag d : diags) {
      int at = offset + (int) Math.max(0, d.getStartPosition());
      int[] lc = lineAndColumn(cell, at);
      lines.add(
          (d.isError() ? "error" : "warning")
              + " at line "
              + lc[0]
              + ", column "
              + lc[1]
              + ": "
              + d.getMessage(null));
      String text = cell.split("\n", -1)[lc[0] - 1];
      lines.add("    " + text);
      lines.add("    " + " ".repeat(Math.max(0, lc[1] - 1)) + "^");
    }
  }

  /** The formatted messages, one line each. */
  List<String> lines() {
    return lines;
  }

  /** 1-based line and column of a character offset. */
  static int[] lineAndColumn(String text, int offset) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < Math.min(offset, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new int[] {line, col};
  }
}
