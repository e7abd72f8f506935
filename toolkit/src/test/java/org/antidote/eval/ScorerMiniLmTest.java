package org.antidote.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Document;
import org.antidote.corpus.HeldOut;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MiniLM scorer, with its head trained once on the bundled data (5,300 texts embedded:
 * Davidson's scorer partition and the fortunes).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScorerMiniLmTest {

  Path dir;
  Corpora.Bundled data;
  MiniLmHead head;
  Path headFile;
  MiniLmScorer scorer;

  @BeforeAll
  void trainOnce(@TempDir Path tmp) {
    dir = tmp;
    data = Corpora.bundled();
    headFile = dir.resolve("scorers/minilm-head.json");
    head = MiniLmHead.train(data, headFile);
    scorer = MiniLmScorer.load(headFile);
  }

  @AfterAll
  void close() {
    if (scorer != null) {
      scorer.close();
    }
  }

  @Test
  void headSeparatesToxicFromCleanOnTheTestSplit() {
    MiniLmHead.Metrics m = head.metrics();
    System.out.printf(
        "MiniLM head: l2 %.0e, %d train texts, validation AUC %.4f, test accuracy %.4f (balanced %.4f),"
            + " test AUC %.4f on %d texts (%d toxic)%n",
        head.l2(),
        m.trainTexts(),
        m.validationAuc(),
        m.testAccuracy(),
        m.testBalancedAccuracy(),
        m.testAuc(),
        m.testTexts(),
        m.testToxic());
    assertTrue(m.testTexts() >= 200, "too few test texts: " + m.testTexts());
    assertTrue(m.testAuc() > 0.85, "test AUC " + m.testAuc());
    assertTrue(
        m.testBalancedAccuracy() > 0.75, "test balanced accuracy " + m.testBalancedAccuracy());
    // The file on disk is the head in memory.
    MiniLmHead read = Json.read(headFile, MiniLmHead.class);
    assertEquals(head.encoder(), read.encoder());
    assertEquals(head.bias(), read.bias(), 0);
    assertEquals(MiniLmEncoder.DIM, read.weights().length);
  }

  @Test
  void refusesAHeadMadeForAnotherEncoder() throws Exception {
    MiniLmHead other =
        new MiniLmHead(
            head.format(),
            "org.example:other-encoder:1.0@sha256:00",
            head.weights(),
            head.bias(),
            head.l2(),
            head.metrics(),
            head.versions());
    Path file = dir.resolve("other-head.json");
    Json.write(file, other);
    BadInputException e = assertThrows(BadInputException.class, () -> MiniLmScorer.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("org.example:other-encoder:1.0@sha256:00"), e.getMessage());
    assertTrue(e.getMessage().contains(MiniLmEncoder.id()), e.getMessage());
    assertTrue(MiniLmEncoder.id().startsWith(MiniLmEncoder.ARTIFACT + ":"), MiniLmEncoder.id());

    Files.writeString(dir.resolve("broken.json"), "{\"format\": ");
    assertThrows(BadInputException.class, () -> MiniLmScorer.load(dir.resolve("broken.json")));
    assertThrows(BadInputException.class, () -> MiniLmScorer.load(dir.resolve("missing.json")));
  }

  @Test
  void theIdNamesTheHeadSoACachedResultIsNeverTakenForAnotherHeads() {
    Path copy = dir.resolve("same-head.json");
    Json.write(copy, head);
    Path shifted = dir.resolve("shifted-head.json");
    Json.write(
        shifted,
        new MiniLmHead(
            head.format(),
            head.encoder(),
            head.weights(),
            head.bias() + 0.5,
            head.l2(),
            head.metrics(),
            head.versions()));
    try (MiniLmScorer same = MiniLmScorer.load(copy);
        MiniLmScorer other = MiniLmScorer.load(shifted)) {
      assertEquals(scorer.id(), same.id(), "the same weights from another file");
      assertTrue(scorer.id().startsWith("minilm-l6-v2-q-logistic@"), scorer.id());
      assertNotEquals(scorer.id(), other.id(), "another bias");
    }
  }

  @Test
  void scoresAreProbabilitiesAndAnInsultOutscoresACompliment() {
    double[] p =
        scorer.score(
            List.of(
                "You are a worthless, stupid idiot and everyone hates you.",
                "You are a wonderful, kind person and your work is brilliant.",
                "",
                "The meeting is at three o'clock."));
    for (double x : p) {
      assertTrue(x >= 0 && x <= 1, "not a probability: " + x);
    }
    System.out.printf(
        "insult %.4f, compliment %.4f, empty %.4f, neutral %.4f%n", p[0], p[1], p[2], p[3]);
    assertTrue(p[0] > p[1], "insult " + p[0] + " vs compliment " + p[1]);
    assertEquals(0, scorer.score(List.of()).length);
  }

  @Test
  void aTextScoresTheSameAloneAsInABatch() {
    List<String> texts =
        new ArrayList<>(
            data.balanced(HeldOut.Split.VALIDATION, 20).stream().map(Document::text).toList());
    texts.add(
        "a much longer text than the others, "
            + "so that the batch has one long member ".repeat(30));
    double[] batched = scorer.score(texts);
    for (int i = 0; i < texts.size(); i++) {
      // Side by side or alone, each text is embedded by itself: the same bits.
      assertEquals(scorer.score(List.of(texts.get(i)))[0], batched[i], 0, "text " + i);
    }
  }

  @Test
  void throughputOnAThousandBundledTexts() {
    List<String> texts =
        data.balanced(HeldOut.Split.TRAIN, 500).stream().map(Document::text).toList();
    long start = System.nanoTime();
    double[] p = scorer.score(texts);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "MiniLM scorer: %d texts in %.2f s, %.0f texts/s%n", p.length, seconds, p.length / seconds);
    assertEquals(1000, p.length);
  }
}
