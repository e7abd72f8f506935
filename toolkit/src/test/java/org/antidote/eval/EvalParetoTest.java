package org.antidote.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvalParetoTest {

  @Test
  void nonDominatedReturnsExactlyTheFrontOfHandMadePoints() {
    var a = new Pareto.Point("a", 10, 3.0);
    var b = new Pareto.Point("b", 20, 2.5);
    var c = new Pareto.Point("c", 30, 2.0);
    var d = new Pareto.Point("d", 25, 2.8);   // dominated by b
    var e = new Pareto.Point("e", 10, 3.5);   // dominated by a (same toxicity, worse loss)
    var f = new Pareto.Point("f", 40, 2.0);   // dominated by c
    assertEquals(List.of(a, b, c), Pareto.nonDominated(List.of(d, c, e, a, f, b)));
    assertEquals(List.of(a), Pareto.nonDominated(List.of(a)));
    assertTrue(a.dominates(e) && !a.dominates(b) && !b.dominates(a));
  }

  @Test
  void nonFinitePointsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Pareto.Point("x", Double.NaN, 1));
  }

  @Test
  void tradeOffChartHasPointsAndFrontPerGroup() {
    var chart = Pareto.tradeOff(Map.of("0%", List.of(new Pareto.Point("a", 10, 3), new Pareto.Point("b", 5, 4))),
        "toxicity x100", "cross-entropy");
    assertEquals(2, chart.figure().getTraces().length);
  }

  @Test
  void toxicityMetricsFollowTheirDefinitions() {
    ToxicityMetrics m = ToxicityMetrics.of(new double[][] {{0.1, 0.9}, {0.2, 0.3}});
    assertEquals(37.5, m.meanToxicity100(), 1e-9);
    assertEquals((0.9 + 0.3) / 2, m.expectedMaxToxicity(), 1e-12);
    assertEquals(0.5, m.toxicityProbability());
    assertThrows(IllegalArgumentException.class, () -> ToxicityMetrics.of(new double[][] {{0.1}, {0.2, 0.3}}));
    assertThrows(IllegalArgumentException.class, () -> ToxicityMetrics.of(new double[][] {{1.5}}));
  }

  @Test
  void lexiconScoresTheSurestEntryAndExplainsItself() {
    LexiconScorer s = new LexiconScorer(Map.of("darn", 0.25, "blast", 1.0, "son of a gun", 0.6));
    assertEquals(0.0, s.score("A perfectly polite sentence."));
    assertEquals(0.25, s.score("Darn it."));
    assertEquals(1.0, s.score("Darn, BLAST it!"));
    assertEquals(0.6, s.score("You son of a gun"));
    assertEquals(List.of("darn", "blast"), s.matches("darn, blast"));
    assertThrows(IllegalArgumentException.class, () -> new LexiconScorer(Map.of("x", 2.0)));
  }
}
