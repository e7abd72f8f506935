package org.antidote.plot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.antidote.corpus.Fetcher;
import org.antidote.corpus.Recipes;
import org.antidote.io.AntidoteHome;

/**
 * plotly.js 2.35.3 (minified), from the npm package {@code plotly.js-dist-min} fetched and
 * checksummed by the {@code plotly} recipe into {@code $ANTIDOTE_HOME/assets}. Version 2.x because
 * Tablesaw's titles do not render on plotly.js 3.
 */
public final class PlotlyJs {

  /** The plotly.js version served. */
  public static final String VERSION = "2.35.3";

  private static volatile String source;

  private PlotlyJs() {}

  /** Path of plotly.min.js, fetching the package first if it is not there. */
  public static Path file() {
    Path f = AntidoteHome.dir().resolve("assets").resolve("plotly.min.js");
    if (!Files.isRegularFile(f)) {
      new Fetcher(AntidoteHome.dir(), System.err).fetch(Recipes.named("plotly"), false);
    }
    return f;
  }

  /** The library's source text (3.6 MB), read once. */
  public static String source() {
    String s = source;
    if (s == null) {
      try {
        s = Files.readString(file(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + file(), e);
      }
      source = s;
    }
    return s;
  }

  /**
   * A script that makes plotly.js available to the page: as the require.js module {@code plotly}
   * where require.js is loaded (classic Notebook), as {@code window.Plotly} everywhere else
   * (exported HTML, JupyterLab, a plain page).
   */
  public static String loaderScript() {
    // One copy of the library, run as a CommonJS module: plotly's UMD header then exports it
    // instead of calling an anonymous define(), which require.js would reject.
    return "<script type=\"text/javascript\">\n"
        + "(function() {\n"
        + "var antidotePlotly = function(module, exports) {\n"
        + source()
        + "\n};\n"
        + "if (typeof define === 'function' && define.amd) {\n"
        + "  define('plotly', function(require, exports, module) { antidotePlotly(module, exports); });\n"
        + "  require(['plotly'], function(Plotly) { window.Plotly = Plotly; });\n"
        + "} else {\n"
        + "  var m = {exports: {}};\n  antidotePlotly(m, m.exports);\n  window.Plotly = m.exports;\n"
        + "}\n})();\n"
        + "</script>\n";
  }
}
