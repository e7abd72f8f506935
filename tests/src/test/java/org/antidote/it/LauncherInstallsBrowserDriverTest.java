package org.antidote.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./antidote test} installs for the browser tests: the launcher's own {@code
 * ensure_browser_driver}, run in a bare copy of the checkout, puts the pinned playwright-core into
 * {@code tests/browser} (Chromium comes from Debian, installed with the notebook tools).
 */
class LauncherInstallsBrowserDriverTest {

  static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

  @TempDir Path tmp;

  @Test
  void playwrightCoreIsInstalledIntoTheTestsOwnFolder() throws Exception {
    Path browser = Files.createDirectories(tmp.resolve("tests/browser"));
    for (String f : List.of("package.json", "package-lock.json")) {
      Files.copy(ROOT.resolve("tests/browser").resolve(f), browser.resolve(f));
    }
    String launcher = Files.readString(ROOT.resolve("antidote"));
    String fn = launcher.substring(launcher.indexOf("ensure_browser_driver() {"));
    fn = fn.substring(0, fn.indexOf("\n}\n") + 3);
    String script =
        "set -euo pipefail\nROOT='"
            + tmp
            + "'\nsay() { echo \"$*\" >&2; }\n"
            + fn
            + "ensure_browser_driver\n";
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), out);
    assertEquals(0, p.exitValue(), out);
    Path pkg = browser.resolve("node_modules/playwright-core/package.json");
    assertTrue(Files.isRegularFile(pkg), "not installed:\n" + out);
    assertTrue(Files.readString(pkg).contains("\"version\": \"1.65.1\""), "not the pinned version");
    assertTrue(
        Files.isRegularFile(Path.of("/usr/bin/chromium")),
        "Chromium (apt-get install chromium) is missing");
  }
}
