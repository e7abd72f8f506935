package org.antidote.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the benchmark runnable; asserts what it reports, never how fast anything was. */
class TokenizeBenchTest {

  @Test
  void runsOnASmallInputAndPrintsATable() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      texts.add(
          "Paragraph "
              + i
              + ": the miller's cart went down to the river, and the ferryman"
              + " carried it across for "
              + (i * 3)
              + " pennies. Ça coûte cher! 🙂\n");
    }
    var log = new ByteArrayOutputStream();
    TokenizeBench.Result result =
        TokenizeBench.run(texts, 300, new PrintStream(log, true, StandardCharsets.UTF_8));
    long bytes = texts.stream().mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length).sum();
    assertEquals(bytes, result.bytes());
    assertEquals(0, result.tokenMismatches());
    assertTrue(result.vocabSize() <= 300 && result.vocabSize() > 257, "" + result.vocabSize());
    assertTrue(result.oursMBps() > 0 && result.rustMBps() > 0);
    assertEquals(result.oursMBps() / result.rustMBps(), result.ratio(), 1e-9);
    String table = result.toTable();
    assertTrue(
        table.startsWith("Tokenizer benchmark: Java " + System.getProperty("java.version")), table);
    assertTrue(table.contains("token count mismatches") && table.contains("ours / Rust"), table);
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("token counts differ on 0 of 40"));
  }

  @Test
  void cutsFilesIntoDocumentsAtBlankLines() {
    String text = "a".repeat(10) + "\n\n" + "b".repeat(3) + "\n\n" + "c".repeat(20);
    assertEquals(
        List.of("a".repeat(10) + "\n\n", "b".repeat(3) + "\n\n" + "c".repeat(20)),
        TokenizeBench.documents(text, 5));
    assertEquals(String.join("", TokenizeBench.documents(text, 5)), text);
  }
}
