package org.antidote.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.antidote.io.Json;
import org.junit.jupiter.api.Test;

/**
 * The notebooks as committed: each stored with the outputs of a run (no errors, every code cell
 * executed), and the README's figures are the very PNGs notebook 07's run drew.
 */
class CommittedNotebooksTest {

  static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

  @Test
  void everyNotebookIsStoredWithTheOutputsOfARun() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(ROOT.resolve("notebooks"))) {
      files = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
    assertTrue(files.size() >= 8, "notebooks: " + files);
    for (Path nb : files) {
      long bytes = Files.size(nb);
      assertTrue(
          bytes < 1_000_000,
          nb.getFileName() + " is " + bytes + " bytes; a stored notebook stays under 1 MB");
      assertFalse(
          Files.readString(nb).contains("define('plotly'"),
          nb.getFileName() + " holds a copy of plotly.js");
      int charts = 0;
      for (JsonNode c : Json.MAPPER.readTree(nb.toFile()).get("cells")) {
        if (!c.path("cell_type").asText().equals("code")) {
          continue;
        }
        assertFalse(
            c.path("execution_count").isNull(),
            nb.getFileName() + ": a cell was never run: " + c.get("source"));
        for (JsonNode o : c.path("outputs")) {
          assertFalse(
              o.path("output_type").asText().equals("error"),
              nb.getFileName() + ": a stored error: " + o);
          charts += o.path("data").has("image/png") ? 1 : 0;
        }
      }
      assertTrue(charts >= 1, nb.getFileName() + " is stored without a figure");
    }
  }

  @Test
  void theQuickstartAndItiCellsAreShort() throws Exception {
    for (String name : List.of("00-quickstart.ipynb", "05-iti.ipynb")) {
      for (JsonNode c :
          Json.MAPPER.readTree(ROOT.resolve("notebooks").resolve(name).toFile()).get("cells")) {
        if (c.path("cell_type").asText().equals("code")) {
          StringBuilder src = new StringBuilder();
          c.path("source").forEach(l -> src.append(l.asText()));
          long lines = src.toString().strip().lines().count();
          assertTrue(
              lines <= 8, name + ": a code cell of " + lines + " lines (at most 8):\n" + src);
        }
      }
    }
  }

  @Test
  void theStageNotebooksReadModelsThroughALens() throws Exception {
    for (String name :
        List.of(
            "00-quickstart.ipynb",
            "03-pretraining.ipynb",
            "04-probes.ipynb",
            "05-iti.ipynb",
            "06-evaluation-and-pareto.ipynb")) {
      String text = Files.readString(ROOT.resolve("notebooks").resolve(name));
      assertTrue(text.contains("Lens.load("), name + " opens no model through a Lens");
      assertFalse(
          text.contains("Trainer.loadModel(") || text.contains("newSubManager("),
          name + " still loads a model or its memory by hand");
    }
  }

  @Test
  void theReadmeFiguresAreTheOnesNotebook07Drew() throws Exception {
    JsonNode cells =
        Json.MAPPER
            .readTree(ROOT.resolve("notebooks/07-reproduce-the-paper.ipynb").toFile())
            .get("cells");
    Map<String, String> figureOfCell =
        Map.of(
            "results.smile()",
            "smile",
            "results.tradeOff()",
            "pareto",
            "study.lossCurves()",
            "loss");
    String readme = Files.readString(ROOT.resolve("README.md"));
    int checked = 0;
    for (JsonNode c : cells) {
      StringBuilder src = new StringBuilder();
      c.path("source").forEach(l -> src.append(l.asText()));
      String name =
          src.toString().startsWith("var probes")
              ? "head-accuracy"
              : figureOfCell.get(src.toString().strip());
      if (name == null) {
        continue;
      }
      for (JsonNode o : c.path("outputs")) {
        if (o.path("data").has("image/png")) {
          byte[] stored = Base64.getMimeDecoder().decode(o.path("data").path("image/png").asText());
          assertArrayEquals(
              stored,
              Files.readAllBytes(ROOT.resolve("docs/figures/" + name + ".png")),
              "docs/figures/" + name + ".png is not the figure stored in notebook 07");
          checked++;
        }
      }
    }
    assertTrue(checked == 4, "figures found in notebook 07: " + checked);
    assertTrue(
        readme.contains("docs/figures/smile.png") && readme.contains("docs/figures/pareto.png"));
  }
}
