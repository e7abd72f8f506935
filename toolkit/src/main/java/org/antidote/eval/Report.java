package org.antidote.eval;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.antidote.io.AtomicFiles;
import org.antidote.io.Versions;
import org.antidote.plot.Chart;
import org.antidote.plot.PlotlyJs;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A self-contained HTML report: sections of text, tables and figures, every figure embedded as a
 * PNG (drawn by headless Chromium) so the file reads offline anywhere; without Chromium the figures
 * are embedded as interactive plotly charts with plotly.js inline.
 */
public final class Report {

  private Report() {}

  /** One section: a heading, a paragraph, and optionally a table and a chart. */
  public record Section(String title, String text, Table table, Chart chart) {}

  /** Writes the report to {@code file} and returns it. */
  public static Path write(Path file, String title, List<Section> sections) {
    StringBuilder b =
        new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
            .append(esc(title))
            .append(
                "</title>\n<style>body{font-family:sans-serif;max-width:980px;margin:2em auto;}"
                    + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                    + "caption{text-align:left;font-weight:bold}</style>\n");
    boolean plotlyInline = false;
    StringBuilder body = new StringBuilder();
    for (Section s : sections) {
      body.append("<h2>").append(esc(s.title())).append("</h2>\n");
      if (s.text() != null && !s.text().isBlank()) {
        body.append("<p>").append(esc(s.text())).append("</p>\n");
      }
      if (s.chart() != null) {
        try {
          body.append("<img alt=\"")
              .append(esc(s.chart().title()))
              .append("\" src=\"data:image/png;base64,")
              .append(Base64.getEncoder().encodeToString(s.chart().png()))
              .append("\"/>\n");
        } catch (IllegalStateException noChromium) {
          plotlyInline = true;
          body.append(s.chart().plotHtml());
        }
      }
      if (s.table() != null) {
        body.append(html(s.table(), Integer.MAX_VALUE));
      }
    }
    if (plotlyInline) {
      b.append("<script type=\"text/javascript\">").append(PlotlyJs.source()).append("</script>\n");
    }
    b.append("</head><body>\n<h1>")
        .append(esc(title))
        .append("</h1>\n<p><em>Antidote ")
        .append(esc(Versions.toolkit()))
        .append(", ")
        .append(Instant.now())
        .append("</em></p>\n")
        .append(body)
        .append("</body></html>\n");
    AtomicFiles.writeString(file, b.toString());
    return file;
  }

  /**
   * Every chart of {@code sections} as {@code dir/TITLE.png} (as HTML where Chromium is missing).
   */
  public static void savePngs(List<Section> sections, Path dir) {
    for (Section s : sections) {
      if (s.chart() != null) {
        try {
          s.chart().savePng(dir.resolve(s.chart().title() + ".png"));
        } catch (IllegalStateException noChromium) {
          s.chart().saveHtml(dir.resolve(s.chart().title() + ".html"));
        }
      }
    }
  }

  /** A table as Markdown (for a README). */
  public static String markdown(Table t) {
    StringBuilder b = new StringBuilder("|");
    t.columns().forEach(c -> b.append(' ').append(c.name()).append(" |"));
    b.append("\n|");
    t.columns().forEach(c -> b.append("---|"));
    b.append('\n');
    for (int r = 0; r < t.rowCount(); r++) {
      b.append('|');
      for (Column<?> c : t.columns()) {
        b.append(' ').append(c.getString(r)).append(" |");
      }
      b.append('\n');
    }
    return b.toString();
  }

  /**
   * A table as HTML: its name as caption, a header row, the first {@code maxRows} rows, a note on
   * the rest.
   */
  public static String html(Table t, int maxRows) {
    StringBuilder b = new StringBuilder("<table class=\"antidote-table\">");
    if (t.name() != null && !t.name().isBlank()) {
      b.append("<caption>").append(esc(t.name())).append("</caption>");
    }
    b.append("<thead><tr>");
    for (Column<?> c : t.columns()) {
      b.append("<th>").append(esc(c.name())).append("</th>");
    }
    b.append("</tr></thead><tbody>");
    for (int r = 0; r < Math.min(maxRows, t.rowCount()); r++) {
      b.append("<tr>");
      for (Column<?> c : t.columns()) {
        b.append("<td>").append(esc(c.getString(r))).append("</td>");
      }
      b.append("</tr>");
    }
    b.append("</tbody></table>\n");
    if (t.rowCount() > maxRows) {
      b.append("<p><em>")
          .append(t.rowCount() - maxRows)
          .append(" more rows of ")
          .append(t.rowCount())
          .append("</em></p>\n");
    }
    return b.toString();
  }

  private static String esc(String s) {
    return s == null
        ? ""
        : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
