package org.antidote.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.antidote.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./antidote demo} at smoke scale, as the launcher runs it: the study from the command line,
 * then notebook 07 executed through the kernel in the same folder. A second run reuses everything
 * the first wrote.
 */
class DemoTest {

  @TempDir Path tmp;

  record Result(int exit, String output) {}

  Result demo(Path out, String... more) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g",
                "-Dai.djl.offline=true",
                "-Dantidote.root=" + KernelSupport.root(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.antidote.cli.Main",
                "demo",
                "--scale",
                "smoke",
                "--out",
                out.toString()));
    cmd.addAll(List.of(more));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment()
        .put("JUPYTER_PATH", KernelSupport.prefix().resolve("share/jupyter").toString());
    Path log = Files.createTempFile(tmp, "demo", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(
          "demo did not finish in 10 minutes:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void theDemoWritesTheReportAndTheExecutedNotebookThenReusesThem() throws Exception {
    Path out = tmp.resolve("demo");
    Result first = demo(out);
    assertEquals(0, first.exit(), first.output());

    String report = Files.readString(out.resolve("report.html"));
    assertTrue(report.contains("data:image/png;base64,"), "report without embedded figures");
    for (String fig : List.of("smile", "pareto", "head-accuracy", "loss")) {
      assertTrue(
          Files.size(out.resolve("figures/" + fig + ".png")) > 5_000,
          fig + ".png missing or empty");
    }
    String md = Files.readString(out.resolve("results.md"));
    for (String method : List.of("none", "prompt", "ITI a=4", "ITI a=8", "ITI a=12", "SFT")) {
      assertEquals(
          2,
          md.lines().filter(l -> l.contains("| " + method + " |")).count(),
          method + " rows in\n" + md);
    }

    JsonNode nb = Json.MAPPER.readTree(out.resolve("07-reproduce-the-paper.ipynb").toFile());
    StringBuilder params = new StringBuilder();
    nb.get("cells").get(1).get("source").forEach(line -> params.append(line.asText()));
    assertTrue(
        params.indexOf("var scale = \"smoke\"") >= 0
            && params.indexOf(out.toAbsolutePath().toString()) > 0,
        params.toString());
    int charts = 0;
    for (JsonNode c : nb.get("cells")) {
      for (JsonNode o : c.path("outputs")) {
        assertFalse(o.path("output_type").asText().equals("error"), "a notebook cell failed: " + o);
        charts += o.path("data").has("image/png") ? 1 : 0;
      }
    }
    // loss curves, head accuracies, the smile and the trade-off
    assertTrue(charts >= 4, "the executed notebook shows " + charts + " charts");

    Result second = demo(out);
    assertEquals(0, second.exit(), second.output());
    assertTrue(second.output().contains("already done"), second.output());
    assertTrue(second.output().contains("evaluated before"), second.output());
    assertFalse(second.output().contains("training a BPE tokenizer"), second.output());
    assertFalse(
        second.output().contains("counting tokens"), "a reused mixture was tokenized again");

    Result other = demo(out, "--seed", "2", "--no-notebook");
    assertEquals(2, other.exit(), other.output());
    assertTrue(
        other.output().contains(out.resolve("study.json") + " holds a study"), other.output());
  }
}
