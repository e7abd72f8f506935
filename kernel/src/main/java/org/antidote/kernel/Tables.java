package org.antidote.kernel;

import org.antidote.eval.Report;
import tech.tablesaw.api.Table;

/** Tables as HTML, and HTML escaping, for the kernel's displays. */
final class Tables {

  private Tables() {}

  /** A table as HTML (the report's rendering): the first {@code maxRows} rows. */
  static String html(Table t, int maxRows) {
    return Report.html(t, maxRows);
  }

  static String esc(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
