package org.antidote.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.antidote.io.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A head file written before the scorer was split into encoder, head and scorer (the bundled head
 * as trained then) still loads, and names the same scorer: its id, the key of cached scores, is
 * unchanged.
 */
class MiniLmHeadTest {

  @TempDir Path tmp;

  static Path storedHead() throws URISyntaxException {
    return Path.of(MiniLmHeadTest.class.getResource("/fixtures/minilm-head-v2.json").toURI());
  }

  @Test
  void aHeadStoredBeforeTheSplitLoadsAsTheSameScorer() throws Exception {
    MiniLmHead head = MiniLmHead.read(storedHead());
    assertEquals(MiniLmHead.FORMAT, head.format());
    assertEquals(MiniLmEncoder.DIM, head.weights().length);
    assertEquals(-0.6979872716736886, head.bias(), 0, "the stored bias");
    assertEquals(MiniLmEncoder.id(), head.encoder(), "trained on this encoder");
    try (MiniLmScorer scorer = MiniLmScorer.load(storedHead())) {
      assertEquals("minilm-l6-v2-q-logistic@0899fff74943", scorer.id());
      double[] p = scorer.score(List.of("you worthless idiot", "a lovely day"));
      assertTrue(p[0] > p[1], p[0] + " vs " + p[1]);
    }
  }

  @Test
  void aHeadFileThatBreaksItsFieldsIsNamed() throws Exception {
    Path bad = tmp.resolve("head.json");
    Files.writeString(
        bad, Files.readString(storedHead()).replace(MiniLmHead.FORMAT, "antidote-minilm-head/1"));
    BadInputException e = assertThrows(BadInputException.class, () -> MiniLmHead.read(bad));
    assertTrue(e.getMessage().contains("not a MiniLM head"), e.getMessage());
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
  }
}
