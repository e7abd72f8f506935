package org.antidote.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.antidote.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A notebook executed headlessly through the installed kernel by nbclient (Debian's
 * python3-nbclient), then read back: what a researcher would see, cell by cell.
 */
class NotebookExecutionTest {

  @TempDir static Path tmp;
  static JsonNode cells;

  static final List<String> SOURCES =
      List.of(
          /* 0 */ "Table.create(\"numbers\", IntColumn.create(\"x\", new int[] {1, 2, 3}), StringColumn.create(\"name\", new String[] {\"a\", \"b\", \"c\"}))",
          /* 1 */ "new Figure(Layout.builder().title(\"a line\").build(), tech.tablesaw.plotly.traces.ScatterTrace.builder(new double[] {1, 2, 3}, new double[] {3, 1, 2}).build())",
          /* 2 */ "var img = new java.awt.image.BufferedImage(20, 10, java.awt.image.BufferedImage.TYPE_INT_RGB);\nimg",
          /* 3 */ "throw new IllegalStateException(\"boom\");",
          /* 4 */ "\"still alive: \" + (6 * 7)",
          /* 5 */ "int broken = \"text\";",
          /* 6 */ "// INTERRUPT-ME\nlong spins = 0;\nwhile (true) { spins++; }",
          /* 7 */ "\"after the interrupt\"",
          /* 8 */ "var rnd = new SplittableRandom(1);\n"
              + "int[] ids = rnd.ints(30_000, 1, 64).toArray();\n"
              + "var dir = Files.createTempDirectory(\"nb-data\");\n"
              + "PackedTokens.packIds(Map.of(\"train\", ids, \"validation\", Arrays.copyOf(ids, 3000)), 64, 0, \"random\", dir);\n"
              + "var cfg = TrainConfig.defaults(new ModelConfig(2, 2, 32, 64, 32, 64, 10000, ModelConfig.Norm.LAYER_NORM, true, 0.02), 40).withBatch(8, 1);\n"
              + "Trainer.train(cfg, dir, dir.resolve(\"run-a\"))",
          /* 9 */ "Trainer.train(cfg.withSeed(2), dir, dir.resolve(\"run-b\"))",
          /* 10 */ "// INTERRUPT-ME\nTrainer.train(TrainConfig.defaults(cfg.model(), 1_000_000).withBatch(8, 1), dir, dir.resolve(\"run-long\"))",
          /* 11 */ "Trainer.train(cfg.withSeed(3), dir, dir.resolve(\"run-c\")).steps()",
          /* 12 */ "%time\nThread.sleep(50);",
          /* 13 */ "var id = display(\"first\");\nupdateDisplay(id, \"second\");",
          /* 14 */ "%maven org.apache.commons:commons-math3:3.6.1\norg.apache.commons.math3.util.FastMath.max(2, 6)",
          /* 15 */ "org.antidote.plot.Charts.lossCurves(List.of(dir.resolve(\"run-a\"), dir.resolve(\"run-b\")))",
          /* 16 */ "int first = 1;\n\nint second = 2;\nObjects.requireNonNull(null, \"on line four\");",
          /* 17 */ "record Point(int x) {}\n"
              + "renderer().createRegistration(Point.class).preferring(MIMEType.TEXT_HTML)\n"
              + "    .register((p, ctx) -> ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> \"<b>point \" + p.x() + \"</b>\"));\n"
              + "new Point(4)",
          /* 18 */ "new org.antidote.iti.ItiSweep.Result(List.of(new org.antidote.iti.ItiSweep.Row(1, 0, -3, -2, 0, 0,"
              + " \"fitted\"),\n    new org.antidote.iti.ItiSweep.Row(1, 4, -3.5, -2.1, -0.5, -0.1, \"fitted\")),\n"
              + "    org.antidote.iti.Intervention.Positions.GENERATED, 0)");

  @BeforeAll
  static void execute() throws Exception {
    ObjectNode nb = Json.MAPPER.createObjectNode();
    nb.put("nbformat", 4);
    nb.put("nbformat_minor", 5);
    nb.putObject("metadata")
        .putObject("kernelspec")
        .put("name", "antidote")
        .put("display_name", "Antidote (Java)")
        .put("language", "java");
    ArrayNode cs = nb.putArray("cells");
    int i = 0;
    for (String s : SOURCES) {
      ObjectNode c = cs.addObject();
      c.put("cell_type", "code");
      c.put("id", "cell-" + i++);
      c.putObject("metadata");
      c.put("source", s);
      c.putArray("outputs");
      c.putNull("execution_count");
    }
    Path in = tmp.resolve("in.ipynb");
    Json.write(in, nb);
    KernelSupport.Run r =
        KernelSupport.python(
            tmp,
            List.of(
                KernelSupport.runner(),
                "in.ipynb",
                "out.ipynb",
                "antidote",
                "300",
                "--allow-errors"),
            15);
    assertEquals(0, r.exit(), r.output());
    cells = Json.MAPPER.readTree(tmp.resolve("out.ipynb").toFile()).get("cells");
  }

  static List<JsonNode> outputs(int cell) {
    List<JsonNode> out = new ArrayList<>();
    cells.get(cell).get("outputs").forEach(out::add);
    return out;
  }

  static String all(int cell) {
    return cells.get(cell).get("outputs").toString();
  }

  static JsonNode result(int cell) {
    return outputs(cell).stream()
        .filter(o -> o.path("output_type").asText().equals("execute_result"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("cell " + cell + " has no result: " + all(cell)));
  }

  @Test
  void aTableRendersAsHtmlWithATextTwin() {
    JsonNode data = result(0).get("data");
    assertTrue(data.path("text/html").toString().contains("<table"), data.toString());
    assertTrue(data.path("text/plain").toString().contains("numbers"), data.toString());
  }

  @Test
  void aChartIsOneBundleOfPlotlyJsonPngAndTextWithNoPlotlyJsCopy() {
    for (int cell : new int[] {1, 15}) {
      JsonNode data = result(cell).get("data");
      JsonNode plotly = data.path("application/vnd.plotly.v1+json");
      assertTrue(
          plotly.path("data").isArray() && plotly.path("data").size() >= 1,
          "cell " + cell + ": " + data);
      assertTrue(plotly.path("layout").isObject(), "cell " + cell + ": " + data);
      assertTrue(
          data.has("image/png"),
          "no PNG for front ends without a Plotly renderer: " + data.fieldNames());
      assertTrue(data.path("text/plain").toString().contains("Chart["), data.toString());
      assertFalse(
          data.has("text/html"), "a chart needs no script on the page: " + data.fieldNames());
      // Each chart stands alone: the later one is as complete as the first, and small.
      assertTrue(
          data.toString().length() < 200_000,
          "cell " + cell + " holds " + data.toString().length() + " chars");
    }
    assertEquals(
        "a line",
        result(1)
            .get("data")
            .path("application/vnd.plotly.v1+json")
            .path("layout")
            .path("title")
            .path("text")
            .asText(),
        "titles are objects, as plotly.js 2 and 3 both read them");
  }

  @Test
  void chartsShowInTheExportedHtmlPageAsPngs() throws Exception {
    KernelSupport.Run export =
        KernelSupport.python(
            tmp, List.of("-m", "nbconvert", "--to", "html", "out.ipynb", "--output", "export"), 5);
    assertEquals(0, export.exit(), export.output());
    String html = Files.readString(tmp.resolve("export.html"));
    long pngs =
        Pattern.compile("<img src=\"data:image/png;base64,").matcher(html).results().count();
    assertTrue(pngs >= 3, "PNGs in the exported page (two charts, one image): " + pngs);
  }

  @Test
  void anImageIsAPng() {
    assertTrue(result(2).get("data").has("image/png"), all(2));
  }

  @Test
  void anErrorShowsTheExceptionAndTheKernelLivesOn() {
    JsonNode err =
        outputs(3).stream()
            .filter(o -> o.path("output_type").asText().equals("error"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        err.toString().contains("IllegalStateException") && err.toString().contains("boom"),
        err.toString());
    // The cell is the notebook's fourth: the frame names it and the user's line 1, not JShell's
    // wrapper line.
    assertTrue(
        err.toString().contains("at cell [4], line 1"),
        "the stack names the user's cell and line: " + err);
    assertFalse(err.toString().contains("jdk.jshell"), "JShell's frames are trimmed: " + err);
    assertTrue(result(4).toString().contains("still alive: 42"));
  }

  @Test
  void aStackTraceNamesTheUsersLineInAMultiLineCell() {
    assertTrue(all(16).contains("at cell [17], line 4"), all(16));
  }

  @Test
  void aUserRegistersARendererForTheirOwnType() {
    assertTrue(
        result(17).get("data").path("text/html").toString().contains("<b>point 4</b>"), all(17));
  }

  @Test
  void aDisplayableShowsItsChartThenItsTable() {
    List<JsonNode> out = outputs(18);
    JsonNode chart =
        out.stream()
            .filter(o -> o.path("output_type").asText().equals("display_data"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no chart output: " + all(18)));
    assertTrue(
        chart.path("data").has("application/vnd.plotly.v1+json")
            && chart.path("data").has("image/png"),
        all(18));
    assertTrue(result(18).get("data").path("text/html").toString().contains("<table"), all(18));
    assertTrue(out.indexOf(chart) < out.indexOf(result(18)), "the chart comes first: " + all(18));
  }

  @Test
  void aCompileErrorNamesLineAndColumn() {
    String err = all(5);
    assertTrue(err.contains("line 1, column"), err);
    assertTrue(err.contains("incompatible types"), err);
  }

  @Test
  void anInterruptStopsABusyLoopAndTheNextCellRuns() {
    assertTrue(all(6).contains("\"error\""), "the loop was not interrupted: " + all(6));
    assertTrue(result(7).toString().contains("after the interrupt"));
  }

  @Test
  void twoTrainingCellsInARowTrainOnTheSameThread() {
    for (int cell : new int[] {8, 9}) {
      String out = all(cell);
      assertTrue(out.contains("done: 40 steps"), "cell " + cell + ": " + out);
      assertTrue(out.contains("<svg"), "no live loss curve in cell " + cell);
    }
    assertTrue(
        result(8).toString().contains("training runs"),
        "the result renders as a table: " + result(8));
  }

  @Test
  void interruptingTrainingStopsItWithinASecondAndTheNextTrainingCellWorks() {
    String out = all(10);
    assertTrue(out.contains("training interrupted at step"), out);
    JsonNode timing = cells.get(10).path("metadata").path("execution");
    Duration d =
        Duration.between(
            Instant.parse(timing.path("iopub.execute_input").asText()),
            Instant.parse(timing.path("shell.execute_reply").asText()));
    assertTrue(d.toMillis() < 6_000 + 1_500, "interrupt took " + d);
    assertTrue(result(11).toString().contains("40"), all(11));
  }

  @Test
  void magicsAndDisplayUpdatesWork() {
    assertTrue(all(12).contains("Wall time"), all(12));
    assertTrue(all(13).contains("second") && !all(13).contains("\"first\""), all(13));
    assertTrue(all(14).contains("added") && result(14).toString().contains("6"), all(14));
  }
}
