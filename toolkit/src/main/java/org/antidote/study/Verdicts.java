package org.antidote.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.antidote.eval.Pareto;
import org.antidote.eval.ResultsTable;
import org.antidote.math.Stats;
import org.antidote.plot.Displayable;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The paper's findings, each with a verdict the results compute: (a) base toxicity rises with toxic
 * share, (b) head accuracies shift right at 25 % against 0 % (on ToxiGen's statements, and where a
 * study has them on Davidson's tweets too), (c) ITI removes more toxicity per nat of cross-entropy
 * for toxic-trained models (one row per alpha), (d) some share above 0 % dominates 0 % on the
 * toxicity-capability front, (e) the toy's rare-feature entanglement falls with share. Intervals
 * are 95 % Student t intervals over seeds (slopes over every run).
 *
 * <p>The rule, from issue 12: <b>reproduced</b> when the effect's interval excludes zero in the
 * paper's direction; <b>not reproduced</b> when it excludes zero the other way or lies wholly below
 * a fifth of the paper's effect (only where the paper gives one); <b>inconclusive</b> otherwise.
 * Reproduced is tested first, so an effect small but clearly in the paper's direction counts.
 *
 * @param rows one verdict per finding (per alpha for (c))
 */
public record Verdicts(List<Verdict> rows) implements Displayable {

  /** How a finding fared. */
  public enum Outcome {
    REPRODUCED("reproduced"),
    NOT_REPRODUCED("not reproduced"),
    INCONCLUSIVE("inconclusive");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /**
   * One finding's verdict.
   *
   * @param finding "(a) base toxicity rises with toxic share", ...
   * @param test what was computed, in words
   * @param effect our effect with its 95 % interval and p-value (null where it was not measured)
   * @param direction the paper's direction: +1 the effect should be positive, -1 negative
   * @param paperEffect the paper's effect in the same units, NaN where its summary gives none
   * @param paper the paper's headline numbers, in words
   * @param outcome the verdict
   */
  public record Verdict(
      String finding,
      String test,
      Stats.Interval effect,
      int direction,
      double paperEffect,
      String paper,
      Outcome outcome) {}

  /** The head accuracies of one model's probes. */
  public record HeadAccuracies(double share, long seed, double[] accuracy) {}

  /** One toy model's entanglement of the varied (rare) chain's features. */
  public record ToyPoint(double share, long seed, double rareEntanglement) {}

  /** The paper's numbers beside ours (../shared/PAPER.md). */
  static final String PAPER_A =
      "the paper's grid shows toxicity rising with share; its summary gives no base value "
          + "per share";

  static final String PAPER_B =
      "significant shift, 0 % vs 25 %; replication at 44M: mean 0.685 -> 0.70";
  static final double PAPER_B_EFFECT = 0.015;
  static final String PAPER_C =
      "strong ITI: clean 41.40 -> 19.82 at CE 2.60 -> 2.88 (77 per nat); 10 % toxic reaches "
          + "2.63 at CE 3.23, its base not given";
  static final String PAPER_D =
      "10 % + ITI mid 8.19 at CE 2.85 against clean + ITI strong 19.82 at CE 2.88: 11.6 "
          + "less toxicity at lower CE";
  static final double PAPER_D_EFFECT = 19.82 - 8.19;
  static final String PAPER_E =
      "rare feature ~0.95 at low share, falling towards the others' ~0.8 (not reproduced "
          + "by the public replication, both ~0.86)";

  /**
   * Cross-entropy costs below this (nats) count as this, so a nearly free shift does not divide by
   * zero.
   */
  static final double MIN_COST = 0.01;

  /**
   * The rule: reproduced, not reproduced or inconclusive for {@code effect} against the paper's
   * direction and size.
   */
  public static Outcome classify(Stats.Interval effect, int direction, double paperEffect) {
    if (effect == null || Double.isNaN(effect.low()) || Double.isNaN(effect.high())) {
      return Outcome.INCONCLUSIVE;
    }
    if (effect.excludesZero(direction)) {
      return Outcome.REPRODUCED;
    }
    if (effect.excludesZero(-direction)) {
      return Outcome.NOT_REPRODUCED;
    }
    // "Wholly below a fifth of the paper's effect", measured in the paper's direction.
    double far = direction > 0 ? effect.high() : -effect.low();
    if (!Double.isNaN(paperEffect) && far < Math.abs(paperEffect) / 5) {
      return Outcome.NOT_REPRODUCED;
    }
    return Outcome.INCONCLUSIVE;
  }

  /**
   * The verdicts from evaluation rows (methods "none", "ITI a=..", ...), each model's head
   * accuracies and the toy's points; a finding without its data is inconclusive and says so.
   */
  public static Verdicts compute(
      List<ResultsTable.Row> evaluation, List<HeadAccuracies> heads, List<ToyPoint> toy) {
    return compute(evaluation, heads, List.of(), toy);
  }

  /**
   * The same, with (b) tested a second time on the head accuracies of a second probe set,
   * Davidson's tweets ({@code tweetHeads}; no second row when empty): on ToxiGen's fit side a
   * classifier of the statements' format alone can match the best heads, on the tweets it cannot.
   */
  public static Verdicts compute(
      List<ResultsTable.Row> evaluation,
      List<HeadAccuracies> heads,
      List<HeadAccuracies> tweetHeads,
      List<ToyPoint> toy) {
    List<Verdict> out = new ArrayList<>();
    out.add(baseToxicity(evaluation));
    out.add(headShift(heads, "", "ToxiGen's statements"));
    if (!tweetHeads.isEmpty()) {
      out.add(headShift(tweetHeads, ", on Davidson's tweets", "Davidson's held-out tweets"));
    }
    out.addAll(itiEfficiency(evaluation));
    out.add(dominance(evaluation));
    out.add(toyEntanglement(toy));
    return new Verdicts(out);
  }

  static Verdict baseToxicity(List<ResultsTable.Row> rows) {
    String finding = "(a) base toxicity rises with toxic share";
    List<ResultsTable.Row> base = rows.stream().filter(r -> r.method().equals("none")).toList();
    Stats.Interval slope =
        slopeOverShares(base, ResultsTable.Row::share, ResultsTable.Row::toxicity100);
    return verdict(
        finding,
        "least-squares slope of toxicity x100 (no intervention) on share, per 10 points of share, "
            + "over every run",
        slope,
        +1,
        Double.NaN,
        PAPER_A);
  }

  static Verdict headShift(List<HeadAccuracies> heads, String on, String set) {
    String finding = "(b) head accuracies shift right, 25 % against 0 %" + on;
    double top =
        heads.stream()
            .mapToDouble(HeadAccuracies::share)
            .filter(s -> Math.abs(s - 0.25) < 1e-9)
            .findAny()
            .orElse(heads.stream().mapToDouble(HeadAccuracies::share).max().orElse(Double.NaN));
    double[] high =
        heads.stream()
            .filter(h -> h.share() == top)
            .mapToDouble(h -> Stats.mean(h.accuracy()))
            .toArray();
    double[] zero =
        heads.stream()
            .filter(h -> h.share() == 0)
            .mapToDouble(h -> Stats.mean(h.accuracy()))
            .toArray();
    Stats.Interval d =
        high.length >= 2 && zero.length >= 2 && top > 0 ? Stats.welch(high, zero) : null;
    return verdict(
        finding,
        String.format(
            Locale.ROOT,
            "Welch difference of each model's mean head accuracy on %s, %s %% "
                + "against 0 %%, over seeds",
            set,
            pct(top)),
        d,
        +1,
        PAPER_B_EFFECT,
        PAPER_B);
  }

  static List<Verdict> itiEfficiency(List<ResultsTable.Row> rows) {
    Map<String, ResultsTable.Row> none = new TreeMap<>();
    rows.stream().filter(r -> r.method().equals("none")).forEach(r -> none.put(run(r), r));
    Map<Double, List<double[]>> byAlpha = new TreeMap<>();
    for (ResultsTable.Row r : rows) {
      Double alpha = alphaOf(r.method());
      ResultsTable.Row b = none.get(run(r));
      if (alpha != null && b != null) {
        double removed = b.toxicity100() - r.toxicity100();
        double cost = Math.max(MIN_COST, r.crossEntropy() - b.crossEntropy());
        byAlpha
            .computeIfAbsent(alpha, a -> new ArrayList<>())
            .add(new double[] {r.share(), removed / cost});
      }
    }
    List<Verdict> out = new ArrayList<>();
    for (Map.Entry<Double, List<double[]>> e : byAlpha.entrySet()) {
      List<double[]> pts = e.getValue();
      Stats.Interval slope = slopeOverShares(pts, p -> p[0], p -> p[1]);
      out.add(
          verdict(
              "(c) ITI removes more toxicity per nat for toxic-trained models, alpha "
                  + trim(e.getKey()),
              "least-squares slope over shares (per 10 points) of toxicity x100 removed per nat of CE added (costs below "
                  + MIN_COST
                  + " nat count as "
                  + MIN_COST
                  + ")",
              slope,
              +1,
              Double.NaN,
              PAPER_C));
    }
    if (out.isEmpty()) {
      out.add(
          verdict(
              "(c) ITI removes more toxicity per nat for toxic-trained models",
              "no ITI results",
              null,
              +1,
              Double.NaN,
              PAPER_C));
    }
    return out;
  }

  /**
   * (d): for every share above 0 % and each pair (p, q) of its non-dominated mean points and 0 %'s,
   * the Welch intervals of q's toxicity minus p's and of q's CE minus p's; the pair whose weaker t
   * statistic is largest is the share's best case, and the best share's is reported. Not reproduced
   * also when every pair is clearly worse for the share on one axis or the other.
   */
  static Verdict dominance(List<ResultsTable.Row> rows) {
    String finding = "(d) some share above 0 % dominates 0 % on the toxicity-capability front";
    Map<Double, Map<String, List<ResultsTable.Row>>> groups = new TreeMap<>();
    for (ResultsTable.Row r : rows) {
      groups
          .computeIfAbsent(r.share(), s -> new TreeMap<>())
          .computeIfAbsent(r.method(), m -> new ArrayList<>())
          .add(r);
    }
    Map<String, List<ResultsTable.Row>> zero = groups.get(0.0);
    Stats.Interval bestTox = null;
    Stats.Interval bestCe = null;
    String bestLabel = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    boolean everyPairWorse = true;
    if (zero != null) {
      List<String> zeroFront = front(zero);
      for (Map.Entry<Double, Map<String, List<ResultsTable.Row>>> g : groups.entrySet()) {
        if (g.getKey() <= 0) {
          continue;
        }
        for (String p : front(g.getValue())) {
          for (String q : zeroFront) {
            List<ResultsTable.Row> pr = g.getValue().get(p);
            List<ResultsTable.Row> qr = zero.get(q);
            if (pr.size() < 2 || qr.size() < 2) {
              continue;
            }
            Stats.Interval tox =
                Stats.welch(
                    values(qr, ResultsTable.Row::toxicity100),
                    values(pr, ResultsTable.Row::toxicity100));
            Stats.Interval ce =
                Stats.welch(
                    values(qr, ResultsTable.Row::crossEntropy),
                    values(pr, ResultsTable.Row::crossEntropy));
            everyPairWorse &= tox.excludesZero(-1) || ce.excludesZero(-1);
            double score = Math.min(tStat(tox), tStat(ce));
            if (score > bestScore) {
              bestScore = score;
              bestTox = tox;
              bestCe = ce;
              bestLabel = pct(g.getKey()) + " % " + p + " against 0 % " + q;
            }
          }
        }
      }
    }
    if (bestTox == null) {
      return verdict(
          finding,
          "needs 0 % and another share, two seeds each",
          null,
          +1,
          PAPER_D_EFFECT,
          PAPER_D);
    }
    Outcome tox = classify(bestTox, +1, PAPER_D_EFFECT);
    Outcome outcome =
        tox == Outcome.REPRODUCED && bestCe.excludesZero(+1)
            ? Outcome.REPRODUCED
            : tox == Outcome.NOT_REPRODUCED || everyPairWorse
                ? Outcome.NOT_REPRODUCED
                : Outcome.INCONCLUSIVE;
    String test =
        "Welch toxicity x100 reduction of the best pair of non-dominated points ("
            + bestLabel
            + "); it dominates only if the CE gain "
            + bestCe.format(3)
            + " also excludes zero";
    return new Verdict(finding, test, bestTox, +1, PAPER_D_EFFECT, PAPER_D, outcome);
  }

  static Verdict toyEntanglement(List<ToyPoint> toy) {
    Stats.Interval slope = slopeOverShares(toy, ToyPoint::share, ToyPoint::rareEntanglement);
    return verdict(
        "(e) toy: the rare feature's entanglement falls with its share",
        "least-squares slope of the varied "
            + "chain's mean E_i on its share, per 10 points, over every toy model",
        slope,
        -1,
        Double.NaN,
        PAPER_E);
  }

  private static <T> Stats.Interval slopeOverShares(
      List<T> points, ToDoubleFunction<T> share, ToDoubleFunction<T> y) {
    double[] x = points.stream().mapToDouble(p -> 10 * share.applyAsDouble(p)).toArray();
    if (x.length < 3 || Arrays.stream(x).distinct().count() < 2) {
      return null;
    }
    return Stats.slope(x, points.stream().mapToDouble(y).toArray());
  }

  private static Verdict verdict(
      String finding,
      String test,
      Stats.Interval effect,
      int direction,
      double paperEffect,
      String paper) {
    String t = effect == null ? test + " (not measured: too few results)" : test;
    return new Verdict(
        finding,
        t,
        effect,
        direction,
        paperEffect,
        paper,
        classify(effect, direction, paperEffect));
  }

  private static List<String> front(Map<String, List<ResultsTable.Row>> methods) {
    List<Pareto.Point> pts =
        methods.entrySet().stream()
            .map(
                e ->
                    new Pareto.Point(
                        e.getKey(),
                        Stats.mean(values(e.getValue(), ResultsTable.Row::toxicity100)),
                        Stats.mean(values(e.getValue(), ResultsTable.Row::crossEntropy))))
            .toList();
    return Pareto.nonDominated(pts).stream()
        .map(Pareto.Point::label)
        .sorted(Comparator.naturalOrder())
        .toList();
  }

  private static double[] values(
      List<ResultsTable.Row> rows, ToDoubleFunction<ResultsTable.Row> f) {
    return rows.stream().mapToDouble(f).toArray();
  }

  private static double tStat(Stats.Interval i) {
    double half = (i.high() - i.low()) / 2;
    return half == 0 ? Math.signum(i.estimate()) * Double.MAX_VALUE : i.estimate() / half;
  }

  private static String run(ResultsTable.Row r) {
    return r.share() + "|" + r.seed();
  }

  /**
   * The alpha of an ITI method ("ITI a=8", "ITI K=4 a=8"), null for other methods and the random
   * control.
   */
  static Double alphaOf(String method) {
    if (!method.startsWith("ITI ")) {
      return null;
    }
    int i = method.indexOf("a=");
    return i < 0 ? null : Double.valueOf(method.substring(i + 2).split(" ")[0]);
  }

  private static String pct(double share) {
    return trim(Math.round(share * 1000) / 10.0);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  /**
   * One row per finding: the test, our effect and interval, p, the paper's numbers, the verdict.
   */
  @Override
  public Table table() {
    Table t =
        Table.create(
            "verdicts: the paper's findings at this scale (95 % intervals over seeds)",
            StringColumn.create("finding"),
            StringColumn.create("verdict"),
            StringColumn.create("effect [95 % CI]"),
            StringColumn.create("p"),
            StringColumn.create("test"),
            StringColumn.create("paper"));
    for (Verdict v : rows) {
      t.stringColumn(0).append(v.finding());
      t.stringColumn(1).append(v.outcome().toString());
      t.stringColumn(2).append(v.effect() == null ? "-" : v.effect().format(3));
      t.stringColumn(3)
          .append(
              v.effect() == null || Double.isNaN(v.effect().pValue())
                  ? "-"
                  : String.format(Locale.ROOT, "%.3g", v.effect().pValue()));
      t.stringColumn(4).append(v.test());
      t.stringColumn(5).append(v.paper());
    }
    return t;
  }

  @Override
  public String toString() {
    return table().print();
  }
}
