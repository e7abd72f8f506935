package org.antidote.plot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.antidote.io.AtomicFiles;

/**
 * Draws a chart to PNG with Debian's headless Chromium, offline: the page holds plotly.js inline
 * and the browser runs with background networking off.
 */
final class PngExport {

  private static final List<String> BROWSERS =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");

  private PngExport() {}

  static Path render(Chart chart, Path file) {
    byte[] png = render(chart);
    AtomicFiles.write(file, out -> out.write(png));
    return file;
  }

  static byte[] render(Chart chart) {
    String browser = browser();
    Path dir = null;
    try {
      dir = Files.createTempDirectory("antidote-png-");
      Path page = dir.resolve("chart.html");
      Files.writeString(page, chart.pageHtml(), StandardCharsets.UTF_8);
      Path png = dir.resolve("chart.png");
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  browser,
                  "--headless",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--disable-background-networking",
                  "--disable-component-update",
                  "--disable-sync",
                  "--no-first-run",
                  "--disable-quic",
                  "--hide-scrollbars",
                  "--user-data-dir=" + dir.resolve("profile"),
                  "--window-size=" + chart.width() + "," + chart.height(),
                  "--virtual-time-budget=10000",
                  "--screenshot=" + png,
                  page.toUri().toString()));
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("log.txt").toFile())
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("Chromium did not draw the chart within 60 s");
      }
      if (p.exitValue() != 0 || !Files.isRegularFile(png)) {
        throw new IllegalStateException(
            "Chromium failed to draw the chart (exit "
                + p.exitValue()
                + "): "
                + Files.readString(dir.resolve("log.txt")).lines().limit(5).toList());
      }
      return Files.readAllBytes(png);
    } catch (IOException e) {
      throw new UncheckedIOException("could not draw the chart to PNG", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while drawing the chart", e);
    } finally {
      if (dir != null) {
        AtomicFiles.deleteTree(dir);
      }
    }
  }

  /** True when a Chromium to draw with is installed. */
  static boolean available() {
    return BROWSERS.stream().anyMatch(b -> Files.isExecutable(Path.of(b)));
  }

  private static String browser() {
    return BROWSERS.stream()
        .filter(b -> Files.isExecutable(Path.of(b)))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "PNG export needs Chromium, which is not installed; install it with"
                        + " apt-get install chromium (./antidote test installs it too)"));
  }
}
