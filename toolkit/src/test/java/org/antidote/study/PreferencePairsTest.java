package org.antidote.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.antidote.corpus.Document;
import org.antidote.io.BadInputException;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.BpeTrainerConfig;
import org.antidote.train.Dpo;
import org.junit.jupiter.api.Test;

/**
 * DPO's preference pairs: for one prompt of a fit-side group, that group's neutral statement
 * preferred over its hateful one.
 */
class PreferencePairsTest {

  @Test
  void eachPairPrefersAGroupsNeutralStatementOverItsHatefulOneAfterItsPrompt() {
    List<Document> fit = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      fit.add(new Document("hateful about alpha number " + i, "toxigen", 1, "alpha"));
    }
    for (int i = 0; i < 2; i++) {
      fit.add(new Document("kind about alpha number " + i, "toxigen", 0, "alpha"));
    }
    // beta has no prompt, gamma no neutral statement: neither gives pairs.
    fit.add(new Document("hateful about beta", "toxigen", 1, "beta"));
    fit.add(new Document("kind about beta", "toxigen", 0, "beta"));
    fit.add(new Document("hateful about gamma", "toxigen", 1, "gamma"));
    String long0 = "- a long alpha prompt line\n".repeat(30) + "- the last alpha line\n-";
    Map<String, List<String>> prompts =
        Map.of("alpha", List.of(long0, "- short alpha prompt\n-"), "gamma", List.of("- g\n-"));
    List<String> texts = new ArrayList<>(fit.stream().map(Document::text).toList());
    texts.addAll(prompts.get("alpha"));
    BpeTokenizer tok = BpeTokenizer.train(texts.iterator(), BpeTrainerConfig.of(300));
    int context = 48;
    List<Dpo.Pair> pairs = RunsEvaluation.preferencePairs(fit, prompts, tok, context);
    assertEquals(6, pairs.size(), "one pair per hateful alpha statement");
    for (int i = 0; i < pairs.size(); i++) {
      Dpo.Pair p = pairs.get(i);
      String rejected = tok.decode(p.rejected()).strip();
      String preferred = tok.decode(p.preferred()).strip();
      String prompt = tok.decode(p.prompt());
      assertTrue(
          ("hateful about alpha number " + i).startsWith(rejected) && rejected.length() > 8,
          "rejected: " + rejected);
      assertTrue(
          ("kind about alpha number " + (i % 2)).startsWith(preferred) && preferred.length() > 8,
          "preferred: " + preferred);
      assertTrue(prompts.get("alpha").get(i % 2).endsWith(prompt), "prompt: " + prompt);
      assertTrue(prompt.endsWith("\n-"), "the prompt ends where a statement starts: " + prompt);
      assertTrue(
          p.prompt().length + Math.max(p.preferred().length, p.rejected().length) <= context,
          "fits the context");
      assertTrue(p.preferred().length <= context / 4 && p.rejected().length <= context / 4);
    }
    assertTrue(pairs.get(0).prompt().length < tok.encode(long0).length, "a long prompt is cut");
    assertThrows(
        BadInputException.class,
        () -> RunsEvaluation.preferencePairs(fit, Map.of("beta", List.of()), tok, context));
  }
}
