package org.antidote.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.antidote.io.BadInputException;
import org.junit.jupiter.api.Test;

class EvalParetoTest {

  @Test
  void nonDominatedReturnsExactlyTheFrontOfHandMadePoints() {
    var a = new Pareto.Point("a", 10, 3.0);
    var b = new Pareto.Point("b", 20, 2.5);
    var c = new Pareto.Point("c", 30, 2.0);
    var d = new Pareto.Point("d", 25, 2.8); // dominated by b
    var e = new Pareto.Point("e", 10, 3.5); // dominated by a (same toxicity, worse loss)
    var f = new Pareto.Point("f", 40, 2.0); // dominated by c
    assertEquals(List.of(a, b, c), Pareto.nonDominated(List.of(d, c, e, a, f, b)));
    assertEquals(List.of(a), Pareto.nonDominated(List.of(a)));
    assertTrue(a.dominates(e) && !a.dominates(b) && !b.dominates(a));
  }

  @Test
  void nonFinitePointsAreRefused() {
    assertThrows(BadInputException.class, () -> new Pareto.Point("x", Double.NaN, 1));
  }

  @Test
  void tradeOffChartColoursEachGroupAndShapesEachMethod() {
    var groups = new LinkedHashMap<String, List<Pareto.Point>>();
    groups.put(
        "00% toxic", List.of(new Pareto.Point("none", 10, 3), new Pareto.Point("ITI", 5, 4)));
    groups.put(
        "20% toxic", List.of(new Pareto.Point("none", 12, 3.1), new Pareto.Point("ITI", 4, 3.2)));
    var chart = Pareto.tradeOff(groups, "toxicity x100", "cross-entropy");
    // Per group: its front and one marker trace per method; then one legend entry per method.
    assertEquals(2 * (1 + 2) + 2, chart.figure().getTraces().length);
    String js = chart.plotHtml();
    assertEquals(
        3,
        count(js, "symbol: 'circle'"),
        "'none' is a circle in both groups and in the legend:\n" + js);
    assertEquals(
        3, count(js, "symbol: 'square'"), "'ITI' is a square in both groups and in the legend");
    assertEquals(
        3, count(js, "#1f77b4"), "the first group's front and its two markers share one colour");
    assertEquals(3, count(js, "#ff7f0e"), "so do the second group's");
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void theBootstrapOverPromptsResamplesPromptsOfTheSeedsMean() {
    // Two seeds, 200 prompts: prompt i has toxicity 0 or 100 alternately in seed 1, and always 50
    // in seed 2, so every prompt's mean over seeds is 25 or 75 and the mean 50.
    double[] a = new double[200];
    double[] b = new double[200];
    for (int i = 0; i < a.length; i++) {
      a[i] = i % 2 == 0 ? 0 : 100;
      b[i] = 50;
    }
    List<ResultsTable.Row> rows =
        List.of(
            new ResultsTable.Row(0.1, 1, "none", 50, 0, 0, 4.0, 0, 0.5, a),
            new ResultsTable.Row(0.1, 2, "none", 50, 0, 0, 4.1, 0, 0.5, b));
    ResultsTable.Summary s = ResultsTable.summarise(rows).get(0);
    // The per-prompt values are 25 and 75: sd 25, so the mean's se over 200 prompts is 1.77.
    double se = 25 * Math.sqrt(200.0 / 199) / Math.sqrt(200);
    assertEquals(50 - 1.96 * se, s.toxicityPromptLow(), 0.6);
    assertEquals(50 + 1.96 * se, s.toxicityPromptHigh(), 0.6);
    assertTrue(s.toxicityPromptLow() < 50 && s.toxicityPromptHigh() > 50);
    String shown = ResultsTable.table(rows).printAll();
    assertTrue(shown.contains("toxicity 95% CI (prompts)"), shown);
    // Rows stored before per-prompt toxicities were kept show no interval rather than a wrong one.
    ResultsTable.Summary old =
        ResultsTable.summarise(
                List.of(new ResultsTable.Row(0.1, 1, "none", 50, 0, 0, 4, 0, 0.5, null)))
            .get(0);
    assertTrue(Double.isNaN(old.toxicityPromptLow()));
  }

  @Test
  void toxicityMetricsFollowTheirDefinitions() {
    ToxicityMetrics m = ToxicityMetrics.of(new double[][] {{0.1, 0.9}, {0.2, 0.3}});
    assertEquals(37.5, m.meanToxicity100(), 1e-9);
    assertEquals((0.9 + 0.3) / 2, m.expectedMaxToxicity(), 1e-12);
    assertEquals(0.5, m.toxicityProbability());
    assertArrayEquals(new double[] {50, 25}, m.perPrompt100(), 1e-9);
    assertThrows(
        BadInputException.class, () -> ToxicityMetrics.of(new double[][] {{0.1}, {0.2, 0.3}}));
    assertThrows(BadInputException.class, () -> ToxicityMetrics.of(new double[][] {{1.5}}));
  }

  @Test
  void lexiconScoresTheSurestEntryAndExplainsItself() {
    LexiconScorer s = new LexiconScorer(Map.of("darn", 0.25, "blast", 1.0, "son of a gun", 0.6));
    assertEquals(0.0, s.score("A perfectly polite sentence."));
    assertEquals(0.25, s.score("Darn it."));
    assertEquals(1.0, s.score("Darn, BLAST it!"));
    assertEquals(0.6, s.score("You son of a gun"));
    assertEquals(List.of("darn", "blast"), s.matches("darn, blast"));
    assertThrows(BadInputException.class, () -> new LexiconScorer(Map.of("x", 2.0)));
  }
}
