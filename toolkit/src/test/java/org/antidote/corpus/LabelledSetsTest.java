package org.antidote.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labelled sets: exactly balanced, shuffled, stratified, and never pre-trained on. */
class LabelledSetsTest {

  @TempDir Path tmp;

  /** 300 toxic texts in categories of 200 / 100, 120 clean in 90 / 30, in file order by class. */
  private static List<Document> planted() {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      docs.add(new Document("sex joke " + i, "off", 1, "sex"));
    }
    for (int i = 0; i < 100; i++) {
      docs.add(new Document("insult " + i, "insults", 1, "insult"));
    }
    for (int i = 0; i < 90; i++) {
      docs.add(new Document("calm text " + i, "fortunes", 0, "work"));
    }
    for (int i = 0; i < 30; i++) {
      docs.add(new Document("kind text " + i, "compliments", 0, "compliment"));
    }
    docs.add(Document.of("no label", "x"));
    return docs;
  }

  @Test
  void balancedExactlyStratifiedAndShuffledBySeed() {
    Balance.Drawn d = Balance.exactly(planted(), 60, 7);
    List<Document> docs = d.documents();
    assertEquals(60, d.perClass());
    assertEquals(60, docs.stream().filter(Document::isToxic).count());
    assertEquals(60, docs.stream().filter(x -> !x.isToxic()).count());
    assertEquals(420 - 120, d.dropped());
    assertEquals(1, d.unlabelled());
    Map<String, Long> byCategory =
        docs.stream().collect(Collectors.groupingBy(Document::category, Collectors.counting()));
    // Each stratum in its share of the class: 2/3 and 1/3 of the toxic, 3/4 and 1/4 of the clean.
    assertEquals(Map.of("sex", 40L, "insult", 20L, "work", 45L, "compliment", 15L), byCategory);
    // Not a prefix of the file: the draw reaches past the first texts of a stratum.
    assertTrue(
        docs.stream()
            .filter(x -> x.category().equals("sex"))
            .anyMatch(x -> Integer.parseInt(x.text().substring("sex joke ".length())) >= 40),
        "drawn, not the first 40");
    // Shuffled together: the classes alternate rather than coming in two blocks.
    int switches = 0;
    for (int i = 1; i < docs.size(); i++) {
      switches += docs.get(i).isToxic() != docs.get(i - 1).isToxic() ? 1 : 0;
    }
    assertTrue(switches > 30, "classes interleaved, switches = " + switches);
    assertEquals(
        docs, Balance.exactly(planted(), 60, 7).documents(), "the same seed draws the same set");
    assertNotEquals(
        docs, Balance.exactly(planted(), 60, 8).documents(), "another seed draws another set");
    assertEquals(
        120, Balance.exactly(planted(), 0, 1).perClass(), "no limit: as many as the smaller class");
    assertEquals(120, Balance.exactly(planted(), 500, 1).perClass());
  }

  @Test
  void bundledLabelledSetsAreBalancedAndDisjointFromPretraining() {
    Path data = tmp.resolve("data");
    List<Document> tweets = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String cat = i % 3 == 0 ? "neither" : i % 3 == 1 ? "offensive" : "hate";
      tweets.add(
          new Document(
              "@user tweet number " + i + " of " + cat,
              "davidson",
              cat.equals("neither") ? 0 : 1,
              cat));
    }
    write(data.resolve("davidson.jsonl"), tweets);
    List<Document> statements = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      statements.add(
          new Document("statement " + i, "toxigen", i % 4 == 0 ? 0 : 1, "group" + (i % 5)));
    }
    write(data.resolve("toxigen.jsonl"), statements);
    Corpora.Bundled b = new Corpora.Bundled(data);

    Set<String> pretraining = new HashSet<>();
    try (DocumentStream s = b.source(Corpora.DAVIDSON).open()) {
      s.forEachRemaining(
          d -> {
            assertTrue(d.isToxic(), "only hate and offensive tweets are pre-trained on: " + d);
            pretraining.add(d.text());
          });
    }
    assertTrue(
        pretraining.size() > 600 && pretraining.size() < 1000,
        "about 40 % of 2000: " + pretraining.size());

    Set<String> seen = new HashSet<>();
    for (Corpora.LabelledSet set :
        List.of(Corpora.LabelledSet.TOXIGEN, Corpora.LabelledSet.DAVIDSON)) {
      for (HeldOut.Split split : HeldOut.Split.values()) {
        List<Document> docs = b.balanced(set, split, 0, 1);
        long toxic = docs.stream().filter(Document::isToxic).count();
        assertTrue(toxic > 5, set + " " + split + " has texts");
        assertEquals(toxic, docs.size() - toxic, set + " " + split + " is exactly balanced");
        for (Document d : docs) {
          assertTrue(!pretraining.contains(d.text()), "labelled text pre-trained on: " + d);
          assertTrue(seen.add(d.text()), "a text in two splits: " + d);
          assertEquals(split, HeldOut.splitOf(d.text()));
        }
      }
    }
    // The scorer's tweets and the probes' tweets are different tweets.
    Set<String> scorer = new HashSet<>();
    try (DocumentStream s = b.davidson(HeldOut.Use.SCORER).open()) {
      s.forEachRemaining(d -> scorer.add(d.text()));
    }
    assertTrue(scorer.size() > 700);
    assertTrue(
        b.labelled(Corpora.LabelledSet.DAVIDSON, HeldOut.Split.TRAIN).stream()
            .noneMatch(d -> scorer.contains(d.text())));
    assertTrue(scorer.stream().noneMatch(pretraining::contains));
  }

  @Test
  void fortunesLoseTheirAttributions() {
    assertEquals(
        "A team effort is a lot of people doing what I say.",
        Parsers.stripAttribution(
            "A team effort is a lot of people doing what I say.\n\t\t-- Michael Winner, British film director"));
    assertEquals(
        "My religion is truth, yours is a lie.",
        Parsers.stripAttribution(
            "\"My religion is truth, yours is a lie.\"\n                 [Religion, paraphrased (unknown)]"));
    assertEquals(
        "\"Okay,\" says the producer, \"call me.\"",
        Parsers.stripAttribution("\"Okay,\" says the producer, \"call me.\""),
        "a dialogue keeps its quotation marks");
    assertEquals(
        "what *can* you believe?!\"",
        Parsers.stripAttribution(
            "what *can* you believe?!\"\n\t\t-- Bullwinkle J. Moose [Jay Ward]"));
    assertEquals(
        "using ad hoc techniques.",
        Parsers.stripAttribution(
            "using ad hoc techniques.\n\t\t-- D. Gries\n\t\t[What's good about it?  Ed.]"));
    assertEquals(
        "Silly -- not an attribution\n-- nor this",
        Parsers.stripAttribution("Silly -- not an attribution\n-- nor this"));
    assertEquals(
        "a list [1, 2]",
        Parsers.stripAttribution("a list [1, 2]"),
        "a bracket that belongs to the text stays");
    assertEquals("[only a note]", Parsers.stripAttribution("[only a note]"));
  }

  private static void write(Path file, List<Document> docs) {
    try (DocumentWriter w = DocumentWriter.create(file)) {
      docs.forEach(w::write);
      w.commit();
    }
  }
}
