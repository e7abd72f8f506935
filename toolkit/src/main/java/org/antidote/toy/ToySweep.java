package org.antidote.toy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.antidote.io.AtomicFiles;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.io.Checksums;
import org.antidote.io.Json;
import org.antidote.math.Stats;
import org.antidote.plot.Chart;
import org.antidote.plot.Displayable;
import org.antidote.train.TrainListener;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.components.Line;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

/**
 * The toy experiment over rare shares x seeds. Resumable: every cell's training lives in its own
 * run folder, every cell's measurement in one small JSON file, and the summary table is rewritten
 * (atomically) after each cell, so a killed sweep restarted with the same arguments redoes only the
 * unfinished cell.
 *
 * <pre>
 * out/share-0.100-seed-1/{data,run}          one trained model per (share, seed)
 * out/probe-L3-1a2b3c4d/share-0.100-seed-1.json  one measurement per cell and probe config
 * out/probe-L3-1a2b3c4d/summary.csv          the table so far
 * </pre>
 *
 * Changing only the probe settings reuses the trained models; changing training or data in the same
 * folder is refused by the Trainer (use another folder).
 */
public final class ToySweep {

  private ToySweep() {}

  /** Group names in the table. */
  public static final String RARE = "rare";

  /** Group names in the table. */
  public static final String OTHERS = "others";

  /**
   * All cells of a sweep.
   *
   * @param cells one result per (share, seed), in sweep order
   * @param welchBound the Welch bound of the cells' shape
   */
  public record Summary(List<MarkovResult> cells, double welchBound) implements Displayable {

    /** Columns share, group (rare / others), mean, std (sample, over seeds), n (seeds). */
    @Override
    public Table table() {
      return ToySweep.table(cells);
    }

    /** Mean entanglement against share with mean +- std bands and the Welch bound. */
    @Override
    public Chart chart() {
      return ToySweep.chart(table(), welchBound, cells.get(0).randomBaseline());
    }

    @Override
    public String toString() {
      return table().printAll()
          + "\nWelch bound: "
          + String.format(Locale.ROOT, "%.4f", welchBound)
          + "; random unit vectors: "
          + String.format(Locale.ROOT, "%.4f", cells.get(0).randomBaseline());
    }
  }

  /**
   * The default grid: shares 0.05, 0.10, ..., 0.45 (9 shares). Above 1/3 the varied chain is the
   * most frequent of the three, so the grid runs from rare to common.
   */
  public static List<Double> defaultShares() {
    List<Double> s = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      s.add(i / 20.0); // not i * 0.05, which gives 0.15000000000000002
    }
    return s;
  }

  /** Seeds 1..n. */
  public static List<Long> seeds(int n) {
    return seeds(1, n);
  }

  /** Seeds first..first+n-1. */
  public static List<Long> seeds(long first, int n) {
    List<Long> s = new ArrayList<>();
    for (long i = first; i < first + n; i++) {
      s.add(i);
    }
    return s;
  }

  /** Runs every (share, seed) of {@code base}'s settings, silently. */
  public static Summary run(ToyConfig base, List<Double> shares, List<Long> seeds, Path out) {
    return run(base, shares, seeds, out, TrainListener.silent(), r -> {});
  }

  /** Runs every (share, seed), reporting each finished cell to {@code onCell}. */
  public static Summary run(
      ToyConfig base,
      List<Double> shares,
      List<Long> seeds,
      Path out,
      TrainListener listener,
      Consumer<MarkovResult> onCell) {
    Check.input(
        !shares.isEmpty() && !seeds.isEmpty(),
        "toy sweep: need at least one share and one seed, got "
            + shares.size()
            + " shares and "
            + seeds.size()
            + " seeds");
    for (double s : shares) {
      base.data().withShare(s); // a bad share fails before any training
    }
    Path probeDir = out.resolve(probeTag(base.probe()));
    List<MarkovResult> cells = new ArrayList<>();
    for (double share : shares) {
      for (long seed : seeds) {
        ToyConfig cfg = base.at(share, seed);
        String name = String.format(Locale.ROOT, "share-%.3f-seed-%d", share, seed);
        Path cellFile = probeDir.resolve(name + ".json");
        MarkovResult r = null;
        if (Files.isRegularFile(cellFile)) {
          try {
            MarkovResult stored = Json.read(cellFile, MarkovResult.class);
            if (stored.config().equals(cfg)) {
              r = stored;
            }
          } catch (BadInputException e) {
            System.err.println(
                "note: "
                    + e.getMessage()
                    + "; running that cell again"); // a damaged cache is recomputed
          }
        }
        if (r == null) {
          r = MarkovToy.run(cfg, out.resolve(name), listener);
          Json.write(cellFile, r);
        }
        cells.add(r);
        AtomicFiles.writeString(probeDir.resolve("summary.csv"), csv(table(cells)));
        onCell.accept(r);
      }
    }
    Summary summary = new Summary(List.copyOf(cells), cells.get(0).welchBound());
    summary.chart().saveHtml(probeDir.resolve("entanglement.html"));
    return summary;
  }

  /** The folder name of a probe config: its layer, readable, and a hash of the rest. */
  static String probeTag(ToyProbeConfig p) {
    return "probe-L" + p.layer() + "-" + Checksums.sha256(Json.line(p)).substring(0, 8);
  }

  /**
   * Mean, sample std and 95 % t-interval over seeds of each group's mean entanglement, per share.
   */
  public static Table table(List<MarkovResult> cells) {
    DoubleColumn share = DoubleColumn.create("share");
    StringColumn group = StringColumn.create("group");
    DoubleColumn mean = DoubleColumn.create("mean");
    DoubleColumn std = DoubleColumn.create("std");
    DoubleColumn low = DoubleColumn.create("95% low");
    DoubleColumn high = DoubleColumn.create("95% high");
    IntColumn n = IntColumn.create("n");
    TreeSet<Double> shares = new TreeSet<>();
    cells.forEach(c -> shares.add(c.config().data().rareShare()));
    for (double s : shares) {
      for (String g : List.of(RARE, OTHERS)) {
        double[] v =
            cells.stream()
                .filter(c -> c.config().data().rareShare() == s)
                .mapToDouble(c -> g.equals(RARE) ? c.rareMean() : c.othersMean())
                .toArray();
        share.append(s);
        group.append(g);
        mean.append(Stats.mean(v));
        std.append(Stats.std(v));
        Stats.Interval ci = Stats.meanInterval(v);
        low.append(ci.low());
        high.append(ci.high());
        n.append(v.length);
      }
    }
    return Table.create("toy entanglement", share, group, mean, std, low, high, n);
  }

  /**
   * The chart of a {@link #table}: mean lines with their dashed 95 % intervals, the Welch bound and
   * chance dotted.
   */
  public static Chart chart(Table table, double welchBound, double randomBaseline) {
    List<Trace> traces = new ArrayList<>();
    String[][] groups = {
      {RARE, "#d62728", "rare chain's features"}, {OTHERS, "#1f77b4", "other chains' features"}
    };
    double[] allShares = table.doubleColumn("share").unique().asDoubleArray();
    Arrays.sort(allShares);
    for (String[] g : groups) {
      Table t = table.where(table.stringColumn("group").isEqualTo(g[0])).sortAscendingOn("share");
      double[] x = t.doubleColumn("share").asDoubleArray();
      double[] m = t.doubleColumn("mean").asDoubleArray();
      double[] lo = t.doubleColumn("95% low").asDoubleArray();
      double[] hi = t.doubleColumn("95% high").asDoubleArray();
      traces.add(
          ScatterTrace.builder(x, m)
              .mode(ScatterTrace.Mode.LINE_AND_MARKERS)
              .name(g[2])
              .line(Line.builder().color(g[1]).build())
              .build());
      Line dashed = Line.builder().color(g[1]).dash(Line.Dash.DASH).width(1).build();
      traces.add(
          ScatterTrace.builder(x, hi)
              .mode(ScatterTrace.Mode.LINE)
              .name(g[2] + " 95% high")
              .line(dashed)
              .showLegend(false)
              .build());
      traces.add(
          ScatterTrace.builder(x, lo)
              .mode(ScatterTrace.Mode.LINE)
              .name(g[2] + " 95% low")
              .line(dashed)
              .showLegend(false)
              .build());
    }
    double[] bx = {allShares[0], allShares[allShares.length - 1]};
    traces.add(
        ScatterTrace.builder(bx, new double[] {welchBound, welchBound})
            .mode(ScatterTrace.Mode.LINE)
            .name(String.format(Locale.ROOT, "Welch bound %.3f", welchBound))
            .line(Line.builder().color("#555555").dash(Line.Dash.DOT).build())
            .build());
    traces.add(
        ScatterTrace.builder(bx, new double[] {randomBaseline, randomBaseline})
            .mode(ScatterTrace.Mode.LINE)
            .name(String.format(Locale.ROOT, "random unit vectors %.3f", randomBaseline))
            .line(Line.builder().color("#2ca02c").dash(Line.Dash.DOT).build())
            .build());
    Layout layout =
        Layout.builder()
            .title(
                "Entanglement vs. share of the rare chain (mean, dashed: 95 % t-interval over"
                    + " seeds)")
            .width(720)
            .height(420)
            .xAxis(Axis.builder().title("share of the rare chain").build())
            .yAxis(Axis.builder().title("entanglement E = max |cos|").build())
            .build();
    return Chart.of(new Figure(layout, traces.toArray(new Trace[0])), "toy entanglement");
  }

  static String csv(Table t) {
    StringWriter w = new StringWriter();
    t.write().csv(w);
    return w.toString();
  }
}
