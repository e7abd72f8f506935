package org.antidote.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.antidote.eval.ResultsTable;
import org.antidote.io.Json;
import org.antidote.math.Numerics;
import org.antidote.math.Stats;
import org.antidote.study.Verdicts.Outcome;
import org.junit.jupiter.api.Test;

/**
 * Each verdict comes out right on synthetic results planted with, against, and without the effect.
 */
class VerdictsTest {

  private static final double[] SHARES = {0, 0.05, 0.10, 0.15, 0.20, 0.25};

  @Test
  void theRuleFollowsTheIssue() {
    assertEquals(
        Outcome.REPRODUCED, Verdicts.classify(new Stats.Interval(1, 0.2, 1.8, 6, 0.01), +1, 2));
    assertEquals(
        Outcome.REPRODUCED,
        Verdicts.classify(new Stats.Interval(-1, -1.8, -0.2, 6, 0.01), -1, Double.NaN));
    assertEquals(
        Outcome.NOT_REPRODUCED,
        Verdicts.classify(new Stats.Interval(-1, -1.8, -0.2, 6, 0.01), +1, 2));
    // Straddles zero but wholly below a fifth of the paper's effect (0.4): not reproduced.
    assertEquals(
        Outcome.NOT_REPRODUCED,
        Verdicts.classify(new Stats.Interval(0.05, -0.2, 0.3, 6, 0.5), +1, 2));
    // Straddles zero and reaches past a fifth: inconclusive; with no paper effect, inconclusive
    // too.
    assertEquals(
        Outcome.INCONCLUSIVE, Verdicts.classify(new Stats.Interval(0.1, -0.2, 0.5, 6, 0.5), +1, 2));
    assertEquals(
        Outcome.INCONCLUSIVE,
        Verdicts.classify(new Stats.Interval(0.05, -0.2, 0.3, 6, 0.5), +1, Double.NaN));
    assertEquals(Outcome.INCONCLUSIVE, Verdicts.classify(null, +1, 2));
  }

  /** Planted effect sizes: base slope, head shift, ITI efficiency slope, dominance, toy slope. */
  private record World(
      double baseSlope,
      double headShift,
      double itiGain,
      int dominance,
      double toySlope,
      double noise) {}

  @Test
  void plantedEffectsAreReproduced() {
    Verdicts v = compute(new World(20, 0.03, 200, +1, -0.5, 0.5), 1);
    for (Verdicts.Verdict r : v.rows()) {
      assertEquals(Outcome.REPRODUCED, r.outcome(), r.finding() + ": " + r.effect());
    }
    assertEquals(7, v.rows().size(), "a, b, c at three alphas, d, e");
  }

  @Test
  void reversedEffectsAreNotReproduced() {
    Verdicts v = compute(new World(-20, -0.03, -200, -1, 0.5, 0.5), 2);
    for (Verdicts.Verdict r : v.rows()) {
      assertEquals(Outcome.NOT_REPRODUCED, r.outcome(), r.finding() + ": " + r.effect());
    }
  }

  @Test
  void withoutAnEffectAVerdictIsRarelyReached() {
    // No planted effect, large noise: each interval should exclude zero about 5 % of the time.
    int decided = 0;
    int rows = 0;
    int dominated = 0;
    int worlds = 40;
    for (long seed = 1; seed <= worlds; seed++) {
      for (Verdicts.Verdict r : compute(new World(0, 0, 0, 0, 0, 40), seed).rows()) {
        if (r.finding().startsWith("(d)")) {
          dominated += r.outcome() == Outcome.REPRODUCED ? 1 : 0;
        } else {
          rows++;
          decided += r.outcome() == Outcome.INCONCLUSIVE ? 0 : 1;
        }
      }
    }
    assertTrue(decided < 0.12 * rows, decided + " of " + rows + " null verdicts were decided");
    assertTrue(
        dominated <= 0.1 * worlds, dominated + " of " + worlds + " null worlds showed dominance");
  }

  @Test
  void aSecondProbeSetIsTestedOnItsOwnRow() {
    SplittableRandom rng = new SplittableRandom(7);
    List<Verdicts.HeadAccuracies> statements = new ArrayList<>();
    List<Verdicts.HeadAccuracies> tweets = new ArrayList<>();
    for (double share : SHARES) {
      for (long s = 1; s <= 3; s++) {
        double[] flat = new double[16];
        double[] shifted = new double[16];
        for (int h = 0; h < 16; h++) {
          flat[h] = 0.9 + 0.02 * Numerics.gaussian(rng);
          shifted[h] = 0.62 + 0.06 * share / 0.25 + 0.02 * Numerics.gaussian(rng);
        }
        statements.add(new Verdicts.HeadAccuracies(share, s, flat));
        tweets.add(new Verdicts.HeadAccuracies(share, s, shifted));
      }
    }
    List<Verdicts.Verdict> rows = Verdicts.compute(List.of(), statements, tweets, List.of()).rows();
    assertEquals(2, rows.stream().filter(r -> r.finding().startsWith("(b)")).count());
    Verdicts.Verdict first = rows.get(1);
    Verdicts.Verdict second = rows.get(2);
    assertTrue(first.test().contains("ToxiGen"), first.test());
    assertTrue(second.finding().endsWith("on Davidson's tweets"), second.finding());
    assertEquals(Outcome.REPRODUCED, second.outcome(), second.effect().toString());
    assertTrue(Math.abs(second.effect().estimate() - 0.06) < 0.02, second.effect().toString());
    assertTrue(first.outcome() != Outcome.REPRODUCED, first.effect().toString());
    assertEquals(
        1,
        Verdicts.compute(List.of(), statements, List.of()).rows().stream()
            .filter(r -> r.finding().startsWith("(b)"))
            .count(),
        "no second row without a second set");
  }

  @Test
  void missingDataIsInconclusiveAndSaysSo() {
    Verdicts v = Verdicts.compute(List.of(), List.of(), List.of());
    assertTrue(
        v.rows().stream().allMatch(r -> r.outcome() == Outcome.INCONCLUSIVE && r.effect() == null));
    assertTrue(v.table().print().contains("not measured"));
  }

  @Test
  void roundTripsThroughJsonAndRendersItself() {
    Verdicts v = compute(new World(20, 0.03, 200, +1, -0.5, 0.5), 1);
    Verdicts back = Json.MAPPER.convertValue(Json.MAPPER.valueToTree(v), Verdicts.class);
    assertEquals(v.rows().get(0).effect(), back.rows().get(0).effect());
    assertEquals(v.rows().get(0).outcome(), back.rows().get(0).outcome());
    String text = v.table().print();
    assertTrue(text.contains("reproduced") && text.contains("11.6"), text);
  }

  /**
   * Three seeds per share. Methods none (toxicity 40 + baseSlope per 10 points), "ITI a=4/8/12"
   * (removing toxicity that grows with share by itiGain per 10 points per nat, at a CE cost of 0.1
   * nat per 4 alpha). Dominance +1: 10 % gets an "SFT" point 28 points less toxic than 0 %'s base
   * at 0.05 nat less CE; -1: every share above 0 % pays 0.5 nat more CE for everything.
   */
  private static Verdicts compute(World w, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<ResultsTable.Row> rows = new ArrayList<>();
    List<Verdicts.HeadAccuracies> heads = new ArrayList<>();
    List<Verdicts.ToyPoint> toy = new ArrayList<>();
    for (double share : SHARES) {
      for (long s = 1; s <= 3; s++) {
        double base = 40 + w.baseSlope() * share * 10 + w.noise() * Numerics.gaussian(rng);
        double ce =
            3.0 + (w.dominance() < 0 && share > 0 ? 0.5 : 0) + 0.01 * Numerics.gaussian(rng);
        rows.add(row(share, s, "none", base, ce));
        if (w.dominance() > 0 && share == 0.10) {
          rows.add(
              row(
                  share,
                  s,
                  "SFT",
                  12 + 0.5 * Numerics.gaussian(rng),
                  2.95 + 0.01 * Numerics.gaussian(rng)));
        }
        for (double alpha : new double[] {4, 8, 12}) {
          double cost = 0.1 * alpha / 4;
          double perNat = 60 + w.itiGain() * share * 10 / 10 + w.noise() * Numerics.gaussian(rng);
          rows.add(row(share, s, "ITI a=" + (int) alpha, base - perNat * cost, ce + cost));
        }
        double[] acc = new double[16];
        for (int h = 0; h < acc.length; h++) {
          acc[h] =
              0.65
                  + w.headShift() * share / 0.25
                  + 0.02 * Numerics.gaussian(rng)
                  + w.noise() / 400 * Numerics.gaussian(rng);
        }
        heads.add(new Verdicts.HeadAccuracies(share, s, acc));
        toy.add(
            new Verdicts.ToyPoint(
                share,
                s,
                0.9
                    + w.toySlope() * share
                    + 0.01 * Numerics.gaussian(rng)
                    + w.noise() / 400 * Numerics.gaussian(rng)));
      }
    }
    return Verdicts.compute(rows, heads, toy);
  }

  private static ResultsTable.Row row(
      double share, long seed, String method, double tox, double ce) {
    return new ResultsTable.Row(share, seed, method, tox, 0, 0, ce, 0, Double.NaN, null);
  }
}
