package org.antidote.plot;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.antidote.io.AntidoteHome;
import org.antidote.io.Archives;
import org.antidote.io.AtomicFiles;
import org.antidote.io.PackageFetcher;
import org.antidote.io.Pinned;

/**
 * plotly.js 2.35.3 (minified), from the npm package {@code plotly.js-dist-min} pinned by the {@code
 * plotly} recipe, fetched and checksummed by {@link PackageFetcher} and kept in {@code
 * $ANTIDOTE_HOME/assets}. Version 2.x because Tablesaw's titles do not render on plotly.js 3.
 */
public final class PlotlyJs {

  /** The plotly.js version served. */
  public static final String VERSION = "2.35.3";

  /** The recipe that pins the package. */
  static final String RECIPE = "plotly";

  /** Where the npm package keeps the minified library. */
  static final String IN_PACKAGE = "package/plotly.min.js";

  private static volatile String source;

  private PlotlyJs() {}

  /** Path of plotly.min.js, fetching the package first if it is not there. */
  public static Path file() {
    return file(AntidoteHome.dir(), System.err);
  }

  /**
   * Path of plotly.min.js under {@code home}, fetching the package first (progress to {@code log}).
   */
  static Path file(Path home, PrintStream log) {
    Path f = home.resolve("assets").resolve("plotly.min.js");
    if (!Files.isRegularFile(f)) {
      Pinned pinned = Pinned.named(RECIPE);
      log.println("fetching plotly.js (" + pinned.describe() + ") into " + f);
      Path tgz = new PackageFetcher(home, log).fetch(pinned);
      byte[] js = Archives.file(tgz, IN_PACKAGE);
      AtomicFiles.write(f, out -> out.write(js));
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
