package org.antidote.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.antidote.corpus.Corpus;
import org.antidote.corpus.Document;
import org.antidote.corpus.DocumentReader;
import org.antidote.corpus.DocumentWriter;
import org.antidote.io.BadInputException;
import org.antidote.io.Checksums;
import org.antidote.tokenize.TokenCounter;
import org.antidote.train.Sweep;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MixerTest {

  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static final TokenCounter WORDS = new TokenCounter("words", t -> t.split(" ").length);

  @TempDir Path tmp;
  Corpus clean;
  Corpus toxic;

  @BeforeEach
  void corpora() {
    clean = write("clean.jsonl", 3000, "calm", 0, 7);
    toxic = write("toxic.jsonl", 900, "rude", 1, 11);
  }

  /** Documents of 5 to 40 words, each distinct. */
  Corpus write(String name, int n, String word, int label, long seed) {
    Random r = new Random(seed);
    Path file = tmp.resolve(name);
    try (DocumentWriter w = DocumentWriter.create(file)) {
      for (int i = 0; i < n; i++) {
        StringBuilder b = new StringBuilder(word + i);
        for (int k = 5 + r.nextInt(36); k > 0; k--) {
          b.append(' ').append(word);
        }
        w.write(new Document(b.toString(), name.replace(".jsonl", ""), label, null));
      }
      w.commit();
    }
    return Corpus.file(file);
  }

  MixManifest mix(MixConfig config, String out) {
    return Mixer.mix(List.of(clean), List.of(toxic), config, WORDS, tmp.resolve(out), QUIET);
  }

  @Test
  void theSweepsCleanTokenBudgetGivesEveryMixtureTheCleanTokensOfTheCleanRun() {
    for (double share : new double[] {0, 0.10, 0.25}) {
      Path dir = tmp.resolve("budget-" + share);
      MixManifest m =
          Mixer.mix(List.of(clean), List.of(toxic), MixConfig.addToxic(share), WORDS, dir, QUIET);
      int steps = Sweep.steps(dir, 600, Sweep.Budget.SAME_CLEAN_TOKENS);
      double cleanSteps = steps * (double) m.train().cleanTokens() / m.train().tokens();
      assertEquals(600, cleanSteps, 0.5, "share " + share + ": " + steps + " steps");
      assertEquals(600 / (1 - share), steps, 600 * 0.01, "about steps / (1 - share)");
      assertEquals(600, Sweep.steps(dir, 600, Sweep.Budget.SAME_STEPS));
    }
    assertEquals(
        600,
        Sweep.steps(tmp, 600, Sweep.Budget.SAME_CLEAN_TOKENS),
        "not a mixture: the steps as given");
  }

  @Test
  void addToxicKeepsEveryCleanTokenAndHitsTheShare() {
    for (double share : new double[] {0, 0.05, 0.10, 0.25}) {
      MixManifest m = mix(MixConfig.addToxic(share), "mix-" + share);
      assertEquals(share, m.train().achievedShare(), 0.005, "share " + share);
      MixManifest.Source c = m.sources().get(0);
      assertEquals(c.tokens(), c.selectedTokens(), "every clean token is kept once");
      assertEquals(1.0, c.repetition());
      assertEquals(c.tokens(), m.train().cleanTokens());
    }
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherOrder() throws IOException {
    MixManifest a = mix(MixConfig.addToxic(0.1).withSeed(3), "a");
    MixManifest b = mix(MixConfig.addToxic(0.1).withSeed(3), "b");
    MixManifest c = mix(MixConfig.addToxic(0.1).withSeed(4), "c");
    assertEquals(a.train().sha256(), b.train().sha256());
    assertEquals(
        Files.readString(tmp.resolve("a/manifest.json")),
        Files.readString(tmp.resolve("b/manifest.json")));
    assertNotEquals(a.train().sha256(), c.train().sha256());
    assertEquals(
        a.validation().sha256(),
        c.validation().sha256(),
        "validation depends on the texts, not the seed");
  }

  @Test
  void documentsAreShuffledAndValidationIsDisjoint() {
    mix(MixConfig.addToxic(0.2), "m");
    List<Document> train = read(tmp.resolve("m/documents.jsonl"));
    List<Document> val = read(tmp.resolve("m/validation.jsonl"));
    // Shuffled: toxic documents are spread through the file, not all at the end.
    int firstToxic = -1;
    for (int i = 0; i < train.size() && firstToxic < 0; i++) {
      firstToxic = train.get(i).isToxic() ? i : -1;
    }
    assertTrue(
        firstToxic >= 0 && firstToxic < train.size() / 10, "first toxic document at " + firstToxic);
    Set<String> trainTexts = new HashSet<>();
    train.forEach(d -> trainTexts.add(d.text()));
    assertFalse(val.isEmpty());
    assertTrue(val.stream().noneMatch(d -> trainTexts.contains(d.text())));
  }

  @Test
  void smallToxicPoolIsUpsampledWithAWarning() {
    toxic = write("few.jsonl", 40, "rude", 1, 5);
    MixManifest m = mix(MixConfig.addToxic(0.25), "up");
    assertEquals(0.25, m.train().achievedShare(), 0.005);
    MixManifest.Source t = m.sources().get(1);
    assertTrue(t.repetition() > 5, "repetition " + t.repetition());
    assertTrue(
        m.warnings().stream().anyMatch(w -> w.contains("upsampled")), m.warnings().toString());
  }

  @Test
  void fixedTotalSplitsABudget() {
    MixManifest m = mix(new MixConfig(0.3, Protocol.FIXED_TOTAL, 1, 0.02, 40_000), "fixed");
    assertEquals(0.3, m.train().achievedShare(), 0.005);
    assertEquals(40_000, m.train().tokens(), 400);
  }

  @Test
  void rerunningTheSameMixtureIsANoOpAndADifferentOneIsRefused() throws IOException {
    MixManifest first = mix(MixConfig.addToxic(0.1), "same");
    String before = Checksums.sha256(tmp.resolve("same/documents.jsonl"));
    MixManifest again = mix(MixConfig.addToxic(0.1), "same");
    assertEquals(first, again);
    BadInputException e =
        assertThrows(BadInputException.class, () -> mix(MixConfig.addToxic(0.2), "same"));
    assertTrue(e.getMessage().contains("already holds a different mixture"), e.getMessage());
    assertEquals(
        before, Checksums.sha256(tmp.resolve("same/documents.jsonl")), "nothing was overwritten");
  }

  @Test
  void folderWithOtherFilesIsRefused() throws IOException {
    Files.createDirectories(tmp.resolve("busy"));
    Files.writeString(tmp.resolve("busy/notes.txt"), "mine");
    BadInputException e =
        assertThrows(BadInputException.class, () -> mix(MixConfig.addToxic(0.1), "busy"));
    assertTrue(e.getMessage().contains("not empty and holds no mixture"), e.getMessage());
  }

  @Test
  void sharesOutsideTheUnitIntervalAreRefused() {
    for (double bad : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
      BadInputException e = assertThrows(BadInputException.class, () -> MixConfig.addToxic(bad));
      assertTrue(e.getMessage().contains("toxic share must be in [0, 1)"), e.getMessage());
    }
  }

  @Test
  void aShareWithoutToxicCorporaIsRefused() {
    assertThrows(
        BadInputException.class,
        () ->
            Mixer.mix(
                List.of(clean),
                List.of(),
                MixConfig.addToxic(0.1),
                WORDS,
                tmp.resolve("x"),
                QUIET));
  }

  static List<Document> read(Path file) {
    List<Document> out = new ArrayList<>();
    try (DocumentReader r = DocumentReader.open(file)) {
      r.forEachRemaining(out::add);
    }
    return out;
  }
}
