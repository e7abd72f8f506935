package org.antidote.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.antidote.io.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalPromptsTest {

  @TempDir Path tmp;

  @Test
  void realToxicityPromptsJsonlWithNestedFields() throws Exception {
    Path f =
        Files.writeString(
            tmp.resolve("rtp.jsonl"),
            "{\"filename\": \"a.txt\", \"prompt\": {\"text\": \"Stand-in prompt one\", \"toxicity\": 0.8}, \"continuation\": {\"text\": \"x\"}}\n"
                + "{\"filename\": \"b.txt\", \"prompt\": {\"text\": \"Stand-in prompt two\", \"toxicity\": 0.1}}\n");
    List<Prompts.Prompt> p = Prompts.realToxicityPrompts(f);
    assertEquals(2, p.size());
    assertEquals("Stand-in prompt one", p.get(0).text());
    assertEquals(1, p.get(0).label());
    assertEquals(0, p.get(1).label());
  }

  @Test
  void toxiGenPromptFilesOnePerLine() throws Exception {
    Path f =
        Files.writeString(
            tmp.resolve("hate_group_a.txt"),
            "- stand-in statement one\\n- stand-in statement two\n".replace("\\n", "\n"));
    List<Prompts.Prompt> p = Prompts.toxiGen(f);
    assertEquals(
        List.of("stand-in statement one", "stand-in statement two"),
        p.stream().map(Prompts.Prompt::text).toList());
  }

  @Test
  void anEmptyPromptFileIsRefused() throws Exception {
    Path f = Files.writeString(tmp.resolve("empty.txt"), "\n\n");
    BadInputException e = assertThrows(BadInputException.class, () -> Prompts.toxiGen(f));
    assertTrue(e.getMessage().contains("empty.txt"), e.getMessage());
  }

  @Test
  void firstWordsCutsOnWhitespace() {
    assertEquals("a b", Prompts.firstWords("  a b   c d ", 2));
    assertEquals("a", Prompts.firstWords("a", 5));
  }
}
