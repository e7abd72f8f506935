package org.antidote.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.antidote.corpus.Recipe;
import org.antidote.corpus.Recipes;
import org.antidote.io.AntidoteHome;
import org.antidote.io.Archives;
import org.antidote.io.Checksums;
import org.antidote.io.PackageFetcher;
import org.antidote.io.Pinned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plotly.js comes from the package the {@code plotly} recipe pins, fetched through {@code io}. */
class PlotlyJsTest {

  @TempDir Path tmp;

  @Test
  void theRecipePinsTheVersionServedAndTheFileKept() {
    Recipe recipe = Recipes.named(PlotlyJs.RECIPE);
    assertEquals(recipe.pinned(), Pinned.named(PlotlyJs.RECIPE), "one pin, read two ways");
    assertEquals(PlotlyJs.VERSION, recipe.version());
    assertEquals("asset:" + PlotlyJs.IN_PACKAGE, recipe.parser());
    assertEquals("plotly.min.js", recipe.outputs().get(0));
  }

  @Test
  void aMissingLibraryIsTakenFromThePinnedPackageInTheDownloads() throws Exception {
    // The verified package from the machine's own home (fetched there once), planted in a fresh
    // home: the library is then extracted without a registry.
    Pinned pinned = Pinned.named(PlotlyJs.RECIPE);
    Path tgz = new PackageFetcher(AntidoteHome.dir(), System.err).fetch(pinned);
    Path home = tmp.resolve("home");
    Files.createDirectories(home.resolve("downloads"));
    Files.copy(tgz, home.resolve("downloads").resolve(pinned.artifact()));

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Path f = PlotlyJs.file(home, new PrintStream(log, true, StandardCharsets.UTF_8));
    assertEquals(home.resolve("assets/plotly.min.js"), f);
    byte[] js = Files.readAllBytes(f);
    assertArrayEquals(Archives.file(tgz, PlotlyJs.IN_PACKAGE), js);
    assertTrue(
        new String(js, 0, 200, StandardCharsets.UTF_8).contains("plotly.js v" + PlotlyJs.VERSION),
        new String(js, 0, 200, StandardCharsets.UTF_8));
    assertTrue(log.toString(StandardCharsets.UTF_8).contains(pinned.describe()), log.toString());

    // Present: not fetched again, even with the package gone.
    String sha = Checksums.sha256(f);
    Files.delete(home.resolve("downloads").resolve(pinned.artifact()));
    assertEquals(f, PlotlyJs.file(home, new PrintStream(log, true, StandardCharsets.UTF_8)));
    assertEquals(sha, Checksums.sha256(f));
  }
}
