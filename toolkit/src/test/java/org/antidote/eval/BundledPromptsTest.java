package org.antidote.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Document;
import org.antidote.corpus.DocumentWriter;
import org.antidote.corpus.HeldOut;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled prompt sets: ToxiGen's prompts per group, cut from the left, and Davidson's prompt
 * tweets.
 */
class BundledPromptsTest {

  @TempDir Path tmp;

  @Test
  void toxiGenPromptsAreCutFromTheLeftByWholeStatements() {
    String p = "- first statement here\n- second one\n- third and last\n-";
    assertEquals(p, Prompts.cutFromLeft(p, 1000));
    assertEquals("- second one\n- third and last\n-", Prompts.cutFromLeft(p, 35));
    assertEquals(
        "- third and last\n-",
        Prompts.cutFromLeft(p, 5),
        "the last statement and the closing - stay");
    assertEquals(
        List.of("first statement here", "second one", "third and last"), Prompts.statementsOf(p));
  }

  @Test
  void setsSpreadOverGroupsAndClassesAndComeFromThePromptPartition() {
    Path data = tmp.resolve("data");
    List<Document> prompts = new ArrayList<>();
    for (String group : List.of("asian", "jewish", "women")) {
      for (int i = 0; i < 20; i++) {
        prompts.add(
            new Document(
                "- a " + group + " statement " + i + "\n- another\n-",
                "toxigen-prompts",
                i % 2,
                group));
      }
    }
    write(data.resolve("toxigen-prompts.jsonl"), prompts);
    List<Document> tweets = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      String cat = i % 3 == 0 ? "neither" : i % 3 == 1 ? "offensive" : "hate";
      tweets.add(
          new Document(
              "tweet number " + i + " says " + cat + " things",
              "davidson",
              cat.equals("neither") ? 0 : 1,
              cat));
    }
    write(data.resolve("davidson.jsonl"), tweets);
    List<Prompts.Prompt> out = Prompts.bundled(new Corpora.Bundled(data), 9);
    Map<String, Long> bySet =
        out.stream().collect(Collectors.groupingBy(Prompts.Prompt::set, Collectors.counting()));
    assertEquals(
        Map.of(
            "toxigen-hate",
            9L,
            "toxigen-neutral",
            9L,
            "davidson-toxic",
            9L,
            "davidson-neither",
            9L),
        bySet);
    for (String group : List.of("asian", "jewish", "women")) {
      assertEquals(
          3,
          out.stream()
              .filter(p -> p.set().equals("toxigen-hate") && p.text().contains(group))
              .count(),
          "three prompts of each group: " + group);
    }
    for (Prompts.Prompt p : out.stream().filter(p -> p.set().startsWith("davidson")).toList()) {
      String tweet =
          tweets.stream()
              .filter(t -> t.text().startsWith(p.text()))
              .findFirst()
              .orElseThrow()
              .text();
      assertEquals(
          HeldOut.Use.PROMPTS, HeldOut.useOf(tweet), "prompt from the prompt partition: " + p);
      assertTrue(p.text().split(" ").length < tweet.split(" ").length, "the first half: " + p);
    }
  }

  private static void write(Path file, List<Document> docs) {
    try (DocumentWriter w = DocumentWriter.create(file)) {
      docs.forEach(w::write);
      w.commit();
    }
  }
}
