package org.antidote.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Document;
import org.antidote.corpus.GroupSplit;
import org.antidote.eval.Prompts;
import org.antidote.io.AntidoteHome;
import org.antidote.probe.ProbeConfig;
import org.antidote.probe.Probes;
import org.antidote.study.RunProbes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seeded split of ToxiGen's target groups on the bundled data: trans stays with lgbtq, no
 * scored prompt holds a fit-side statement, the probes' (so SFT's and DPO's) texts and DPO's
 * prompts are all fit-side, and the texts {@code iti} tests on are all score-side.
 */
class ToxigenSplitTest {

  static Corpora.Bundled data;

  @BeforeAll
  static void fetch() {
    data = Corpora.bundled(AntidoteHome.dir(), System.out);
  }

  /**
   * The fit side's statements worked out apart from the split: each fit group's demonstrations and
   * the statements of its prompts.
   */
  private static Set<String> fitStatements(GroupSplit split) {
    Set<String> fit = new HashSet<>();
    data.toxigenGroups()
        .forEach(
            (text, groups) -> {
              if (groups.stream().anyMatch(split.fitGroups()::contains)) {
                fit.add(GroupSplit.key(text));
              }
            });
    for (Document p : data.toxigenPrompts()) {
      if (split.fitGroups().contains(p.category())) {
        Prompts.statementsOf(p.text()).forEach(s -> fit.add(GroupSplit.key(s)));
      }
    }
    return fit;
  }

  @Test
  void transStaysWithLgbtqAndNoScoredPromptHoldsAFitStatement() {
    Set<Set<String>> splits = new HashSet<>();
    for (long seed = 1; seed <= 4; seed++) {
      GroupSplit split = data.toxigenSplit(seed);
      splits.add(split.fitGroups());
      assertEquals(
          split.fitGroups().contains("trans"), split.fitGroups().contains("lgbtq"), "seed " + seed);
      assertFalse(split.fitGroups().isEmpty(), "seed " + seed);
      assertFalse(split.scoreGroups().isEmpty(), "seed " + seed);
      assertEquals(16, split.fitGroups().size() + split.scoreGroups().size(), "16 target groups");
      Set<String> fit = fitStatements(split);
      assertEquals(fit, split.fitStatements(), "seed " + seed);
      List<Prompts.Prompt> prompts = Prompts.bundled(data, 100, split);
      int toxigen = 0;
      for (Prompts.Prompt p : prompts) {
        if (!p.set().startsWith("toxigen")) {
          continue;
        }
        toxigen++;
        for (String s : Prompts.statementsOf(p.text())) {
          assertFalse(fit.contains(GroupSplit.key(s)), "a scored prompt holds fit statement " + s);
        }
      }
      assertEquals(200, toxigen, "100 hate and 100 neutral ToxiGen prompts from the score side");
      // The prompts left out are exactly those of the fit groups, each of which holds a fit
      // statement.
      List<Document> all = data.toxigenPrompts();
      long ofFitGroups = all.stream().filter(d -> split.fitGroups().contains(d.category())).count();
      assertEquals(all.size() - ofFitGroups, Prompts.scorable(all, split).size(), "seed " + seed);
      System.out.println(Prompts.describeSplit(data, split));
    }
    assertTrue(splits.size() > 1, "the seed decides the split");
  }

  @Test
  void probeTextsAndDpoPromptsAreAllFitSide() {
    ProbeConfig probes = ProbeConfig.defaults();
    for (long seed = 1; seed <= 4; seed++) {
      GroupSplit split = data.toxigenSplit(seed);
      for (int perClass : new int[] {80, 1000}) {
        RunProbes.Texts texts =
            RunProbes.Texts.bundled(Corpora.LabelledSet.TOXIGEN, perClass, seed);
        for (List<Document> docs : List.of(texts.fit(), texts.tuning())) {
          assertFalse(docs.isEmpty());
          for (Document d : docs) {
            assertTrue(split.fitGroups().contains(d.category()), d + " is not fit-side");
            assertTrue(split.fits(d.text()), d + " is not a fit statement");
          }
        }
        long toxic = texts.fit().stream().filter(Document::isToxic).count();
        assertEquals(texts.fit().size() - toxic, toxic, "balanced");
        Probes.requireEnough(1, (int) toxic, probes); // throws when too few for the probes
        System.out.printf(
            "seed %d, perClass %d: %d fit texts per class, %d tuning texts%n",
            seed, perClass, toxic, texts.tuning().size());
      }
      // What iti tests its interventions on: balanced, and none of it ever fitted on.
      List<Document> test = data.testing(Corpora.LabelledSet.TOXIGEN, 1000, seed);
      long testToxic = test.stream().filter(Document::isToxic).count();
      assertTrue(testToxic >= 20, "seed " + seed + ": " + testToxic + " toxic test statements");
      assertEquals(test.size() - testToxic, testToxic, "balanced");
      for (Document d : test) {
        assertFalse(split.fits(d.text()), d + " is a fit statement");
      }
      Map<String, List<String>> dpo = Prompts.fitSideHate(data, split);
      assertFalse(dpo.isEmpty());
      for (Map.Entry<String, List<String>> e : dpo.entrySet()) {
        assertTrue(split.fitGroups().contains(e.getKey()), e.getKey());
        for (String p : e.getValue()) {
          assertFalse(split.scorable(Prompts.statementsOf(p)), "DPO prompt not fit-side: " + p);
        }
      }
    }
  }
}
