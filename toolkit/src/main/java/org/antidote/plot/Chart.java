package org.antidote.plot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;
import org.antidote.io.AtomicFiles;
import org.antidote.io.Check;
import tech.tablesaw.plotly.components.Figure;

/**
 * A chart: a Plotly figure (built with Tablesaw's plotly API) with a title and a size. It renders
 * itself in a notebook, and saves as a self-contained HTML page or a PNG.
 *
 * @param figure the figure
 * @param title a short title, also used for file names
 * @param width width in pixels
 * @param height height in pixels
 */
public record Chart(Figure figure, String title, int width, int height) {

  public Chart {
    Objects.requireNonNull(figure, "figure");
    Check.input(
        width >= 50 && height >= 50,
        "a chart needs at least 50 x 50 pixels, got " + width + " x " + height);
  }

  /** A chart of {@code figure} at 720 x 420 pixels. */
  public static Chart of(Figure figure, String title) {
    return new Chart(figure, title, 720, 420);
  }

  /**
   * The figure as HTML that draws itself once plotly.js is on the page: a div and a script that
   * uses require.js when the page has it and {@code window.Plotly} otherwise.
   */
  public String plotHtml() {
    // Tablesaw names a JavaScript variable after the div, so the id must be a valid identifier.
    String div = "antidote_" + UUID.randomUUID().toString().replace("-", "");
    String script = figure.asJavascript(div).replace("<script>", "").replace("</script>", "");
    return "<div id=\""
        + div
        + "\" style=\"width:"
        + width
        + "px;height:"
        + height
        + "px;\"></div>\n"
        + "<script type=\"text/javascript\">\n(function() {\n"
        + "  var draw = function(Plotly) {\n"
        + script
        + "\n  };\n"
        + "  if (typeof require === 'function' && typeof define === 'function' && define.amd) {\n"
        + "    require(['plotly'], draw);\n"
        + "  } else if (window.Plotly) {\n    draw(window.Plotly);\n"
        + "  } else {\n    window.addEventListener('load', function() { draw(window.Plotly); });\n  }\n"
        + "})();\n</script>\n";
  }

  /**
   * The figure as Plotly JSON, {@code {"data": [...], "layout": {...}}}: the content of {@code
   * application/vnd.plotly.v1+json}, which front ends draw with their own plotly.js.
   */
  public ObjectNode plotlyJson() {
    return FigureJson.of(figure.asJavascript("antidote_chart"));
  }

  /** A complete HTML page with plotly.js inline: opens offline in any browser. */
  public String pageHtml() {
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"
        + escape(title)
        + "</title>\n"
        + "<script type=\"text/javascript\">"
        + PlotlyJs.source()
        + "</script>\n"
        + "<style>.modebar{display:none !important}</style>\n"
        + "</head><body style=\"margin:0\">\n"
        + plotHtml()
        + "</body></html>\n";
  }

  /** Saves {@link #pageHtml()} to {@code file}. */
  public Path saveHtml(Path file) {
    AtomicFiles.writeString(file, pageHtml());
    return file;
  }

  /** Saves a PNG of the chart, drawn by headless Chromium (clear error if Chromium is missing). */
  public Path savePng(Path file) {
    return PngExport.render(this, file);
  }

  /** The PNG bytes of the chart. */
  public byte[] png() {
    return PngExport.render(this);
  }

  @Override
  public String toString() {
    return "Chart[" + title + ", " + width + "x" + height + "]";
  }

  static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
