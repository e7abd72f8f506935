package org.antidote.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.antidote.math.Numerics;
import org.antidote.math.Stats;
import org.antidote.plot.Chart;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The results table of an evaluation of many runs: one row per (model, method), where a model is a
 * toxic share and a seed and a method is none, the safety prompt, ITI at some K and alpha, or SFT.
 * Summaries average over seeds (with standard deviations, a t-interval over seeds and a bootstrap
 * over prompts of the toxicity) and mark the non-dominated configurations.
 */
public final class ResultsTable {

  private ResultsTable() {}

  /**
   * One evaluated configuration.
   *
   * @param share toxic share of the pre-training mixture
   * @param seed training seed
   * @param method "none", "prompt", "ITI K=.. a=..", "SFT"
   * @param toxicity100 mean toxicity x 100
   * @param expectedMaxToxicity expected maximum toxicity over the samples of a prompt
   * @param toxicityProbability share of prompts with a toxic sample
   * @param crossEntropy cross-entropy on held-out clean text
   * @param kl KL divergence to the un-intervened model
   * @param minimalPairs minimal-pair accuracy
   * @param promptToxicity100 each prompt's mean toxicity x 100, in prompt order (null in rows
   *     stored before it was kept): the bootstrap over prompts
   */
  public record Row(
      double share,
      long seed,
      String method,
      double toxicity100,
      double expectedMaxToxicity,
      double toxicityProbability,
      double crossEntropy,
      double kl,
      double minimalPairs,
      @JsonInclude(JsonInclude.Include.NON_NULL) double[] promptToxicity100) {

    /**
     * Equal when every field is, the per-prompt toxicities by value (a record compares arrays by
     * identity).
     */
    @Override
    public boolean equals(Object o) {
      return o instanceof Row r
          && Double.compare(share, r.share) == 0
          && seed == r.seed
          && method.equals(r.method)
          && Double.compare(toxicity100, r.toxicity100) == 0
          && Double.compare(expectedMaxToxicity, r.expectedMaxToxicity) == 0
          && Double.compare(toxicityProbability, r.toxicityProbability) == 0
          && Double.compare(crossEntropy, r.crossEntropy) == 0
          && Double.compare(kl, r.kl) == 0
          && Double.compare(minimalPairs, r.minimalPairs) == 0
          && Arrays.equals(promptToxicity100, r.promptToxicity100);
    }

    @Override
    public int hashCode() {
      return 31
              * Objects.hash(
                  share,
                  seed,
                  method,
                  toxicity100,
                  expectedMaxToxicity,
                  toxicityProbability,
                  crossEntropy,
                  kl,
                  minimalPairs)
          + Arrays.hashCode(promptToxicity100);
    }

    /** A row from an evaluation's scores. */
    public static Row of(double share, long seed, String method, ModelEvaluation.Scores s) {
      return new Row(
          share,
          seed,
          method,
          s.toxicity().meanToxicity100(),
          s.toxicity().expectedMaxToxicity(),
          s.toxicity().toxicityProbability(),
          s.crossEntropy(),
          s.kl(),
          s.minimalPairAccuracy(),
          s.toxicity().perPrompt100());
    }
  }

  /**
   * Mean and standard deviation over seeds of one (share, method), and the 95 % percentile
   * bootstrap over prompts of its toxicity (each prompt's toxicity averaged over seeds, the prompts
   * resampled; NaN where rows do not keep per-prompt toxicities).
   */
  public record Summary(
      double share,
      String method,
      int seeds,
      double toxicity100,
      double toxicityStd,
      double crossEntropy,
      double crossEntropyStd,
      double minimalPairs,
      boolean nonDominated,
      double toxicityPromptLow,
      double toxicityPromptHigh) {}

  /** Resamples of the bootstrap over prompts. */
  static final int PROMPT_RESAMPLES = 1000;

  /** The bootstrap over prompts of the seeds' mean toxicity, or null without per-prompt values. */
  static Stats.Interval promptBootstrap(List<Row> seeds) {
    double[] first = seeds.get(0).promptToxicity100();
    if (first == null || first.length == 0) {
      return null;
    }
    double[] mean = new double[first.length];
    for (Row r : seeds) {
      double[] v = r.promptToxicity100();
      if (v == null || v.length != first.length) {
        return null;
      }
      for (int i = 0; i < v.length; i++) {
        mean[i] += v[i] / seeds.size();
      }
    }
    return Stats.bootstrapMean(mean, PROMPT_RESAMPLES, 1);
  }

  /**
   * Averages over seeds and marks the configurations no other one beats on both toxicity and CE.
   */
  public static List<Summary> summarise(List<Row> rows) {
    Map<String, List<Row>> groups = new LinkedHashMap<>();
    for (Row r : rows) {
      groups.computeIfAbsent(r.share() + "|" + r.method(), k -> new ArrayList<>()).add(r);
    }
    List<Summary> out = new ArrayList<>();
    List<Pareto.Point> points = new ArrayList<>();
    for (List<Row> g : groups.values()) {
      double[] tox = g.stream().mapToDouble(Row::toxicity100).toArray();
      double[] ce = g.stream().mapToDouble(Row::crossEntropy).toArray();
      Row first = g.get(0);
      Stats.Interval boot = promptBootstrap(g);
      out.add(
          new Summary(
              first.share(),
              first.method(),
              g.size(),
              Stats.mean(tox),
              Stats.std(tox),
              Stats.mean(ce),
              Stats.std(ce),
              Stats.mean(g.stream().mapToDouble(Row::minimalPairs).toArray()),
              false,
              boot == null ? Double.NaN : boot.low(),
              boot == null ? Double.NaN : boot.high()));
      points.add(
          new Pareto.Point(label(first.share(), first.method()), Stats.mean(tox), Stats.mean(ce)));
    }
    List<Pareto.Point> front = Pareto.nonDominated(points);
    List<Summary> marked = new ArrayList<>();
    for (Summary s : out) {
      boolean nd = front.stream().anyMatch(p -> p.label().equals(label(s.share(), s.method())));
      marked.add(
          new Summary(
              s.share(),
              s.method(),
              s.seeds(),
              s.toxicity100(),
              s.toxicityStd(),
              s.crossEntropy(),
              s.crossEntropyStd(),
              s.minimalPairs(),
              nd,
              s.toxicityPromptLow(),
              s.toxicityPromptHigh()));
    }
    return marked;
  }

  /** The summary as a table. */
  public static Table table(List<Row> rows) {
    Table t =
        Table.create(
            "results (mean over seeds; lower toxicity and CE are better)",
            DoubleColumn.create("toxic share %"),
            StringColumn.create("method"),
            IntColumn.create("seeds"),
            DoubleColumn.create("toxicity x100"),
            DoubleColumn.create("± std"),
            DoubleColumn.create("CE"),
            DoubleColumn.create("CE ± std"),
            DoubleColumn.create("minimal pairs"),
            BooleanColumn.create("Pareto"),
            StringColumn.create("toxicity 95% CI"),
            StringColumn.create("toxicity 95% CI (prompts)"),
            StringColumn.create("CE 95% CI"));
    for (Summary s : summarise(rows)) {
      t.doubleColumn(0).append(Math.round(s.share() * 1000) / 10.0);
      t.stringColumn(1).append(s.method());
      t.intColumn(2).append(s.seeds());
      t.doubleColumn(3).append(Numerics.round(s.toxicity100(), 2));
      t.doubleColumn(4).append(Numerics.round(s.toxicityStd(), 2));
      t.doubleColumn(5).append(Math.round(s.crossEntropy() * 1000) / 1000.0);
      t.doubleColumn(6).append(Math.round(s.crossEntropyStd() * 1000) / 1000.0);
      t.doubleColumn(7).append(Math.round(s.minimalPairs() * 1000) / 1000.0);
      t.booleanColumn(8).append(s.nonDominated());
      t.stringColumn(9).append(interval(s.toxicity100(), s.toxicityStd(), s.seeds(), 2));
      t.stringColumn(10)
          .append(
              Double.isNaN(s.toxicityPromptLow())
                  ? "-"
                  : String.format(
                      Locale.ROOT, "[%.2f, %.2f]", s.toxicityPromptLow(), s.toxicityPromptHigh()));
      t.stringColumn(11).append(interval(s.crossEntropy(), s.crossEntropyStd(), s.seeds(), 3));
    }
    return t;
  }

  /** The 95 % Student t interval over seeds of a mean, from its sample std ("-" for one seed). */
  static String interval(double mean, double std, int n, int digits) {
    if (n < 2) {
      return "-";
    }
    double half = Stats.studentQuantile(0.975, n - 1) * std / Math.sqrt(n);
    return String.format(
        Locale.ROOT, "[%." + digits + "f, %." + digits + "f]", mean - half, mean + half);
  }

  /** The report sections for evaluation rows: the table, the trade-off, the smile. */
  public static List<Report.Section> reportSections(List<Row> rows) {
    return List.of(
        new Report.Section(
            "Results",
            "Toxicity of sampled continuations (x100) and cross-entropy on held-out clean"
                + " text, averaged over seeds; Pareto marks configurations no other beats on both.",
            table(rows),
            null),
        new Report.Section(
            "Toxicity vs capability",
            "Each share's configurations and its non-dominated front.",
            null,
            tradeOff(rows)),
        new Report.Section(
            "Toxicity vs toxic share",
            "One line per method: under ITI, the paper finds a smile with" + " its minimum at 10%.",
            null,
            smile(rows)));
  }

  /** Toxicity against CE, one group (with its front) per toxic share. */
  public static Chart tradeOff(List<Row> rows) {
    Map<String, List<Pareto.Point>> groups = new TreeMap<>();
    for (Summary s : summarise(rows)) {
      groups
          .computeIfAbsent(String.format("%02.0f%% toxic", 100 * s.share()), k -> new ArrayList<>())
          .add(new Pareto.Point(s.method(), s.toxicity100(), s.crossEntropy()));
    }
    return Pareto.tradeOff(groups, "toxicity x100", "cross-entropy on held-out clean text");
  }

  /** Toxicity against toxic share, one line per method (the paper's "smile" under ITI). */
  public static Chart smile(List<Row> rows) {
    Map<String, List<Summary>> byMethod = new LinkedHashMap<>();
    for (Summary s : summarise(rows)) {
      byMethod.computeIfAbsent(s.method(), k -> new ArrayList<>()).add(s);
    }
    Map<String, double[][]> lines = new LinkedHashMap<>();
    byMethod.forEach(
        (m, ss) ->
            lines.put(
                m,
                new double[][] {
                  ss.stream().mapToDouble(s -> 100 * s.share()).toArray(),
                  ss.stream().mapToDouble(Summary::toxicity100).toArray()
                }));
    return Pareto.smile(lines, "toxicity x100");
  }

  private static String label(double share, String method) {
    return share + "|" + method;
  }
}
