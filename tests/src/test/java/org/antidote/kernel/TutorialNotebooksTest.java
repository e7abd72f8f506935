package org.antidote.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.antidote.io.Json;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every tutorial in {@code notebooks/} executed top to bottom at {@code smoke} scale through the
 * installed kernel: no cell may fail, and each must show real output (a table, a chart, a result).
 */
class TutorialNotebooksTest {

  @TempDir Path tmp;

  static Path notebooks() {
    return Path.of(System.getProperty("user.dir"))
        .toAbsolutePath()
        .getParent()
        .resolve("notebooks");
  }

  @TestFactory
  Stream<DynamicTest> everyTutorialRunsAtSmokeScale() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(notebooks())) {
      files = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no notebooks in " + notebooks());
    return files.stream()
        .map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> run(nb)));
  }

  void run(Path notebook) throws Exception {
    Path out = tmp.resolve("out-" + notebook.getFileName());
    KernelSupport.Run r =
        KernelSupport.python(
            tmp,
            List.of(
                KernelSupport.runner(),
                notebook.toString(),
                out.toString(),
                "antidote",
                "600",
                "--param=scale=\"smoke\""),
            15);
    assertEquals(0, r.exit(), r.output());
    JsonNode cells = Json.MAPPER.readTree(out.toFile()).get("cells");
    int results = 0;
    boolean chart = false;
    for (JsonNode c : cells) {
      for (JsonNode o : c.path("outputs")) {
        String type = o.path("output_type").asText();
        assertFalse(
            type.equals("error"),
            notebook.getFileName() + ": a cell failed:\n" + c.path("source") + "\n" + o);
        if (type.equals("execute_result") || type.equals("display_data")) {
          results++;
          chart |=
              o.path("data").has("image/png")
                  && o.path("data").has("application/vnd.plotly.v1+json");
        }
      }
    }
    assertTrue(results >= 3, notebook.getFileName() + " shows only " + results + " results");
    assertTrue(chart, notebook.getFileName() + " shows no chart");
  }
}
