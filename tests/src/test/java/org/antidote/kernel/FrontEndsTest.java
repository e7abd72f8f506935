package org.antidote.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.antidote.io.Json;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel in the browser front ends researchers use: JupyterLab 4.6 and Notebook 7.6 from the
 * test environment ({@code ANTIDOTE_PYTHON}), driven in Debian's Chromium by Playwright ({@code
 * tests/browser}, installed there by {@code ./antidote test}). Notebooks 00 and 04 run all at smoke
 * scale; a check notebook shows an error then runs the next cell, interrupts a training cell from
 * the Kernel menu, completes with Tab and inspects with Shift-Tab. The kernel must show idle after
 * start, and the page may log no uncaught error. Screenshots are kept under {@code
 * tests/target/browser/}. JupyterLab also runs the check notebook with the kernel on Temurin 25.
 */
class FrontEndsTest {

  static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> jupyterLabAndNotebook7() {
    return Stream.of(
        DynamicTest.dynamicTest(
            "JupyterLab 4, JDK 17",
            () -> run("lab", null, List.of("00-quickstart.ipynb", "04-probes.ipynb"))),
        DynamicTest.dynamicTest(
            "Notebook 7, JDK 17",
            () -> run("notebook7", null, List.of("00-quickstart.ipynb", "04-probes.ipynb"))),
        DynamicTest.dynamicTest("JupyterLab 4, Temurin 25", () -> run("lab", JDK25, List.of())));
  }

  void run(String frontend, Path java, List<String> notebooks) throws Exception {
    Path browser = KernelSupport.root().resolve("tests/browser");
    if (!Files.isDirectory(browser.resolve("node_modules/playwright-core"))) {
      fail(
          "playwright-core is not installed in "
              + browser
              + ": ./antidote test installs it (npm install there)");
    }
    String python =
        System.getenv()
            .getOrDefault(
                "ANTIDOTE_PYTHON",
                KernelSupport.root().resolve(".antidote-build/venv/bin/python").toString());
    if (!Files.isExecutable(Path.of(python))) {
      fail(
          "no test environment at "
              + python
              + ": ./antidote test builds it (JupyterLab and Notebook 7 run from it)");
    }
    if (java != null && !Files.isExecutable(java)) {
      fail(java + " is missing: the kernel is tested on Temurin 25 too (install temurin-25-jdk)");
    }
    Path dir = Files.createDirectories(tmp.resolve(frontend + (java == null ? "" : "-25")));
    Path work = Files.createDirectories(dir.resolve("notebooks"));
    for (String nb : notebooks) {
      String text = Files.readString(KernelSupport.root().resolve("notebooks").resolve(nb));
      Files.writeString(
          work.resolve(nb), text.replace("var scale = \\\"cpu\\\";", "var scale = \\\"smoke\\\";"));
    }
    Json.write(work.resolve("check.ipynb"), checkNotebook());
    Json.write(work.resolve("peer.ipynb"), peerNotebook());
    Path jupyterPath =
        java == null ? KernelSupport.prefix().resolve("share/jupyter") : withJava(java, dir);
    Path shots = Files.createDirectories(KernelSupport.root().resolve("tests/target/browser"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String token = "antidote-" + port;
    List<String> server =
        new ArrayList<>(
            List.of(
                python,
                "-m",
                frontend.equals("lab") ? "jupyterlab" : "notebook",
                "--no-browser",
                "--allow-root",
                "--ServerApp.port=" + port,
                "--ServerApp.token=" + token,
                "--ServerApp.root_dir=" + work,
                (frontend.equals("lab") ? "--LabApp" : "--JupyterNotebookApp")
                    + ".expose_app_in_browser=True"));
    ProcessBuilder pb =
        new ProcessBuilder(server)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile());
    Map<String, String> env = pb.environment();
    env.put("JUPYTER_PATH", jupyterPath.toString());
    for (String v :
        List.of(
            "JUPYTER_CONFIG_DIR",
            "JUPYTER_RUNTIME_DIR",
            "JUPYTER_DATA_DIR",
            "JUPYTERLAB_WORKSPACES_DIR")) {
      env.put(v, Files.createDirectories(dir.resolve(v.toLowerCase())).toString());
    }
    Process jupyter = pb.start();
    try {
      waitForServer(port, dir.resolve("server.log"));
      ObjectNode cfg = Json.MAPPER.createObjectNode();
      cfg.put("frontend", frontend)
          .put("url", "http://127.0.0.1:" + port)
          .put("token", token)
          .put("shots", shots.toString())
          .put("timeoutS", 900);
      cfg.put("check", "check.ipynb");
      cfg.put("peer", "peer.ipynb");
      notebooks.forEach(cfg.putArray("notebooks")::add);
      String label = frontend + (java == null ? "" : "-jdk25");
      cfg.put("label", label);
      ProcessBuilder node =
          new ProcessBuilder("node", browser.resolve("frontends.mjs").toString(), cfg.toString())
              .directory(browser.toFile())
              .redirectErrorStream(true);
      Process p = node.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly();
      }
      String line =
          out.lines()
              .filter(l -> l.startsWith("REPORT "))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("the browser script printed no report:\n" + out));
      JsonNode r = Json.MAPPER.readTree(line.substring("REPORT ".length()));
      System.out.println(label + ": " + r);
      System.out.println(label + ": screenshots in " + shots);
      judge(label, r, notebooks);
    } finally {
      jupyter.destroy();
      if (!jupyter.waitFor(20, TimeUnit.SECONDS)) {
        jupyter.destroyForcibly();
      }
    }
  }

  static void judge(String label, JsonNode r, List<String> notebooks) {
    assertFalse(
        r.has("failure"), label + ": the browser run failed: " + r.path("failure").asText());
    for (String nb : notebooks) {
      JsonNode n = r.path("notebooks").path(nb);
      String where = label + " " + nb + ": ";
      assertEquals(
          "idle",
          n.path("statusAfterStart").asText(),
          where + "the kernel did not show idle after start");
      assertFalse(n.path("timedOut").asBoolean(), where + "Run All did not finish: " + n);
      assertEquals(
          n.path("codeCells").asInt(),
          n.path("executed").asInt(),
          where + "cells left unexecuted: " + n);
      assertTrue(n.path("tables").asInt() >= 1, where + "no table rendered: " + n);
      assertTrue(n.path("chartImages").asInt() >= 1, where + "no chart drawn: " + n);
      assertEquals(
          0, n.path("errorOutputs").size(), where + "a cell failed: " + n.path("errorOutputs"));
      assertEquals(List.of(), pageErrors(n, r), where + "the page logged errors");
    }
    JsonNode c = r.path("check");
    String where = label + " check notebook: ";
    assertEquals(
        "idle",
        c.path("statusAfterStart").asText(),
        where + "the kernel did not show idle after start");
    assertTrue(
        c.path("errorCell").asText().contains("boom in the browser")
            && c.path("errorCell").asText().contains("cell [1], line 1"),
        where + "error output: " + c.path("errorCell"));
    assertTrue(
        c.path("nextCell").asText().contains("alive 42"),
        where + "the cell after the error: " + c.path("nextCell"));
    assertTrue(
        c.path("interruptedCell").asText().contains("interrupted"),
        where + "the training cell: " + c.path("interruptedCell"));
    assertTrue(
        c.path("interruptSeconds").asDouble() < 60,
        where + "the interrupt took " + c.path("interruptSeconds") + " s");
    assertTrue(
        c.path("afterInterrupt").asText().contains("after the interrupt"),
        where + c.path("afterInterrupt"));
    assertTrue(
        c.path("completions").toString().contains("bundled")
            || c.path("completedText").asText().contains("bundled"),
        where
            + "Tab completed nothing: "
            + c.path("completions")
            + " / "
            + c.path("completedText"));
    assertTrue(
        c.path("tooltip").asText().contains("bundled"),
        where + "Shift-Tab showed: " + c.path("tooltip"));
    assertEquals(List.of(), pageErrors(c, r), where + "the page logged errors");
  }

  /**
   * What the page logged, less the front end's own errors. Those are the errors the same page logs
   * with the Python kernel (Notebook 7.6's shortcuts plugin throws "reading 'schema'" on every
   * page, whatever the kernel), and one of JupyterLab's: its debugger extension calls {@code
   * displayModules()} after every {@code execute_reply}, and that throws "No active debugger
   * session" for any kernel that has no debugger (its handler is connected before it checks the
   * kernelspec's {@code debugger: false}; ipykernel has a debugger, so the peer cannot show it). No
   * kernel message avoids it short of claiming a debugger; the counts are printed, not hidden.
   */
  static List<String> pageErrors(JsonNode run, JsonNode report) {
    JsonNode peer = report.path("peer");
    if (peer.isMissingNode() || !"idle".equals(peer.path("statusAfterStart").asText())) {
      throw new AssertionError(
          "the Python kernel's page, the peer for page errors, did not start: " + peer);
    }
    List<String> own = new ArrayList<>();
    peer.path("pageErrors").forEach(e -> own.add(firstLine(e.asText())));
    List<String> errors = new ArrayList<>();
    int known = 0;
    int alsoWithPython = 0;
    for (JsonNode e : run.path("pageErrors")) {
      String text = e.asText();
      if (text.contains("No active debugger session") && text.contains("displayModules")) {
        known++;
      } else if (own.contains(firstLine(text))) {
        alsoWithPython++;
      } else {
        errors.add(text);
      }
    }
    System.out.println(
        "errors the page logs with the Python kernel too: " + alsoWithPython + " " + own);
    System.out.println("JupyterLab's own displayModules error (no debugger): " + known + " times");
    return errors;
  }

  /** An error's message without its stack: the same error on two pages has the same first line. */
  static String firstLine(String error) {
    int bar = error.indexOf(" | ");
    return bar < 0 ? error : error.substring(0, bar);
  }

  /** The kernelspec of the tests, run by another JVM. */
  static Path withJava(Path java, Path dir) throws Exception {
    Path spec = Files.createDirectories(dir.resolve("jupyter/kernels/antidote"));
    ObjectNode k =
        (ObjectNode)
            Json.MAPPER.readTree(
                KernelSupport.prefix()
                    .resolve("share/jupyter/kernels/antidote/kernel.json")
                    .toFile());
    ((ArrayNode) k.get("argv")).set(0, Json.MAPPER.getNodeFactory().textNode(java.toString()));
    Json.write(spec.resolve("kernel.json"), k);
    return dir.resolve("jupyter");
  }

  /**
   * A notebook on the Python kernel (ipykernel, which the environment's front ends bring): the peer
   * that tells the front end's own errors from the kernel's.
   */
  static ObjectNode peerNotebook() {
    ObjectNode nb = Json.MAPPER.createObjectNode();
    nb.put("nbformat", 4).put("nbformat_minor", 5);
    nb.putObject("metadata")
        .putObject("kernelspec")
        .put("name", "python3")
        .put("display_name", "Python 3")
        .put("language", "python");
    ObjectNode c =
        nb.putArray("cells")
            .addObject()
            .put("cell_type", "code")
            .put("id", "peer-0")
            .put("source", "6 * 7");
    c.putObject("metadata");
    c.putArray("outputs");
    c.putNull("execution_count");
    return nb;
  }

  static ObjectNode checkNotebook() {
    List<String> sources =
        List.of(
            "throw new IllegalStateException(\"boom in the browser\");",
            "\"alive \" + (6 * 7)",
            "var rnd = new SplittableRandom(1);\n"
                + "int[] ids = rnd.ints(30_000, 1, 64).toArray();\n"
                + "var dir = Files.createTempDirectory(\"browser-data\");\n"
                + "PackedTokens.packIds(Map.of(\"train\", ids, \"validation\", Arrays.copyOf(ids, 3000)), 64, 0, \"random\", dir);\n"
                + "var model = new ModelConfig(2, 2, 32, 64, 32, 64, 10000, ModelConfig.Norm.LAYER_NORM, true, 0.02);\n"
                + "Trainer.train(TrainConfig.defaults(model, 1_000_000).withBatch(8, 1), dir, dir.resolve(\"run-long\"))",
            "\"after the interrupt\"",
            "Corpora.bund",
            "Corpora.bundled(");
    ObjectNode nb = Json.MAPPER.createObjectNode();
    nb.put("nbformat", 4).put("nbformat_minor", 5);
    nb.putObject("metadata")
        .putObject("kernelspec")
        .put("name", "antidote")
        .put("display_name", "Antidote (Java)")
        .put("language", "java");
    ArrayNode cells = nb.putArray("cells");
    for (int i = 0; i < sources.size(); i++) {
      ObjectNode c =
          cells
              .addObject()
              .put("cell_type", "code")
              .put("id", "check-" + i)
              .put("source", sources.get(i));
      c.putObject("metadata");
      c.putArray("outputs");
      c.putNull("execution_count");
    }
    return nb;
  }

  static void waitForServer(int port, Path log) throws Exception {
    for (int i = 0; i < 240; i++) {
      try (var s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(500);
      }
    }
    fail("the Jupyter server did not start within 2 minutes:\n" + Files.readString(log));
  }
}
