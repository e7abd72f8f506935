package org.antidote.kernel;

/** Tables as HTML, and HTML escaping, for the kernel's displays. */
final class Tables {

  private Tables() {}

  /** A table as HTML (the report's rendering): the first {@code maxRows} rows. */
  static String html(tech.tablesaw.api.Table t, int maxRows) {
    return org.antidote.eval.Report.html(t, maxRows);
  }

  static String esc(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
