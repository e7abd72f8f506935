package org.antidote.iti;

import java.util.ArrayList;
import java.util.List;
import org.antidote.model.Hooks;
import org.antidote.model.Transformer;
import org.antidote.plot.Chart;
import org.antidote.probe.Directions;
import org.antidote.probe.ProbeResult;
import org.antidote.tokenize.BpeTokenizer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

/**
 * A grid over K (how many of the best heads) and alpha (how many sigmas): for each cell, the
 * log-probability the model gives held-out toxic and clean continuations, and its change from the
 * un-intervened model. Detoxification lowers the toxic one; capability is what the clean one keeps.
 */
public final class ItiSweep {

  private ItiSweep() {}

  /**
   * One cell.
   *
   * @param k heads shifted
   * @param alpha strength in sigmas
   * @param toxicLogProb mean log-probability per token of toxic continuations
   * @param cleanLogProb the same for clean continuations
   * @param toxicShift change of the toxic value from alpha = 0
   * @param cleanShift change of the clean value from alpha = 0
   */
  public record Row(int k, double alpha, double toxicLogProb, double cleanLogProb, double toxicShift, double cleanShift) {}

  /** The sweep's rows, table and chart. */
  public record Result(List<Row> rows) implements org.antidote.plot.Displayable {

    /** One row per (K, alpha). */
    @Override
    public Table table() {
      Table t = Table.create("ITI sweep: log-probability of held-out continuations", IntColumn.create("K"),
          DoubleColumn.create("alpha"), DoubleColumn.create("toxic logp"), DoubleColumn.create("clean logp"),
          DoubleColumn.create("toxic shift"), DoubleColumn.create("clean shift"));
      for (Row r : rows) {
        t.intColumn(0).append(r.k());
        t.doubleColumn(1).append(r.alpha());
        t.doubleColumn(2).append(round(r.toxicLogProb()));
        t.doubleColumn(3).append(round(r.cleanLogProb()));
        t.doubleColumn(4).append(round(r.toxicShift()));
        t.doubleColumn(5).append(round(r.cleanShift()));
      }
      return t;
    }

    /** Toxic and clean shifts against alpha, one line pair per K. */
    @Override
    public Chart chart() {
      List<Trace> traces = new ArrayList<>();
      for (int k : rows.stream().mapToInt(Row::k).distinct().toArray()) {
        List<Row> rs = rows.stream().filter(r -> r.k() == k).toList();
        double[] a = rs.stream().mapToDouble(Row::alpha).toArray();
        traces.add(ScatterTrace.builder(a, rs.stream().mapToDouble(Row::toxicShift).toArray())
            .mode(ScatterTrace.Mode.LINE_AND_MARKERS).name("K=" + k + " toxic").build());
        traces.add(ScatterTrace.builder(a, rs.stream().mapToDouble(Row::cleanShift).toArray())
            .mode(ScatterTrace.Mode.LINE_AND_MARKERS).name("K=" + k + " clean").build());
      }
      Layout layout = Layout.builder().title("ITI: change in log-probability of held-out continuations")
          .width(720).height(420).xAxis(Axis.builder().title("alpha (sigmas)").build())
          .yAxis(Axis.builder().title("change in nats per token").build()).build();
      return Chart.of(new Figure(layout, traces.toArray(new Trace[0])), "iti-sweep");
    }

    private static double round(double v) {
      return Math.round(v * 10000) / 10000.0;
    }
  }

  /** Runs the grid; K values larger than the model's head count are refused. */
  public static Result run(Transformer model, String modelName, BpeTokenizer tokenizer, ProbeResult probes,
      List<Directions.HeadDirection> directions, List<Integer> ks, List<Double> alphas, List<String> toxic,
      List<String> clean) {
    double baseToxic = ContinuationScore.meanLogProb(model, tokenizer, toxic, Hooks.none());
    double baseClean = ContinuationScore.meanLogProb(model, tokenizer, clean, Hooks.none());
    List<Row> rows = new ArrayList<>();
    for (int k : ks) {
      Intervention base = Intervention.topHeads(modelName, probes, directions, k, 0, model.config().dHead());
      for (double alpha : alphas) {
        if (alpha == 0) {
          rows.add(new Row(k, 0, baseToxic, baseClean, 0, 0));
          continue;
        }
        Hooks hooks = base.withAlpha(alpha).hooks();
        double t = ContinuationScore.meanLogProb(model, tokenizer, toxic, hooks);
        double c = ContinuationScore.meanLogProb(model, tokenizer, clean, hooks);
        rows.add(new Row(k, alpha, t, c, t - baseToxic, c - baseClean));
        if (Thread.currentThread().isInterrupted()) {
          throw new java.util.concurrent.CancellationException("ITI sweep interrupted");
        }
      }
    }
    return new Result(rows);
  }
}
