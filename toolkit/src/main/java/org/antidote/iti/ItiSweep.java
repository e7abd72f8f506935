package org.antidote.iti;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.antidote.io.Check;
import org.antidote.math.Numerics;
import org.antidote.model.Hooks;
import org.antidote.model.Transformer;
import org.antidote.plot.Chart;
import org.antidote.plot.Displayable;
import org.antidote.probe.Directions;
import org.antidote.probe.ProbeResult;
import org.antidote.tokenize.BpeTokenizer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
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
 * Each cell has its random-direction control beside it (the same heads and sigmas, random unit
 * directions, averaged over draws), and the shift is applied at the {@link Intervention.Positions}
 * named: from each continuation's last prompt token on, or everywhere.
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
   * @param directions "fitted", or "random" for the control (values are means over its draws)
   */
  public record Row(
      int k,
      double alpha,
      double toxicLogProb,
      double cleanLogProb,
      double toxicShift,
      double cleanShift,
      String directions) {}

  /**
   * The sweep's rows, table and chart.
   *
   * @param rows fitted rows first, then the random control's
   * @param positions where the shifts were added
   * @param randomDraws random directions drawn per cell (0: no control)
   */
  public record Result(List<Row> rows, Intervention.Positions positions, int randomDraws)
      implements Displayable {

    /** One row per (K, alpha, directions). */
    @Override
    public Table table() {
      Table t =
          Table.create(
              "ITI sweep: log-probability of held-out continuations (shifted at "
                  + positions
                  + " positions"
                  + (randomDraws > 0 ? "; random: mean of " + randomDraws + " draws" : "")
                  + ")",
              StringColumn.create("directions"),
              IntColumn.create("K"),
              DoubleColumn.create("alpha"),
              DoubleColumn.create("toxic logp"),
              DoubleColumn.create("clean logp"),
              DoubleColumn.create("toxic shift"),
              DoubleColumn.create("clean shift"));
      for (Row r : rows) {
        t.stringColumn(0).append(r.directions());
        t.intColumn(1).append(r.k());
        t.doubleColumn(2).append(r.alpha());
        t.doubleColumn(3).append(Numerics.round(r.toxicLogProb(), 4));
        t.doubleColumn(4).append(Numerics.round(r.cleanLogProb(), 4));
        t.doubleColumn(5).append(Numerics.round(r.toxicShift(), 4));
        t.doubleColumn(6).append(Numerics.round(r.cleanShift(), 4));
      }
      return t;
    }

    /** Toxic and clean shifts against alpha, one line pair per K. */
    @Override
    public Chart chart() {
      List<Trace> traces = new ArrayList<>();
      for (String dirs : rows.stream().map(Row::directions).distinct().toList()) {
        for (int k : rows.stream().mapToInt(Row::k).distinct().toArray()) {
          List<Row> rs =
              rows.stream().filter(r -> r.k() == k && r.directions().equals(dirs)).toList();
          double[] a = rs.stream().mapToDouble(Row::alpha).toArray();
          String name = "K=" + k + (dirs.equals(FITTED) ? "" : " " + dirs);
          traces.add(
              ScatterTrace.builder(a, rs.stream().mapToDouble(Row::toxicShift).toArray())
                  .mode(ScatterTrace.Mode.LINE_AND_MARKERS)
                  .name(name + " toxic")
                  .build());
          traces.add(
              ScatterTrace.builder(a, rs.stream().mapToDouble(Row::cleanShift).toArray())
                  .mode(ScatterTrace.Mode.LINE_AND_MARKERS)
                  .name(name + " clean")
                  .build());
        }
      }
      Layout layout =
          Layout.builder()
              .title("ITI: change in log-probability of held-out continuations")
              .width(720)
              .height(420)
              .xAxis(Axis.builder().title("alpha (sigmas)").build())
              .yAxis(Axis.builder().title("change in nats per token").build())
              .build();
      return Chart.of(new Figure(layout, traces.toArray(new Trace[0])), "iti-sweep");
    }
  }

  /** Directions of the fitted rows. */
  public static final String FITTED = "fitted";

  /** Directions of the control rows. */
  public static final String RANDOM = "random";

  /** Runs the grid at the generated positions, without the random control (see the full form). */
  public static Result run(
      Transformer model,
      String modelName,
      BpeTokenizer tokenizer,
      ProbeResult probes,
      List<Directions.HeadDirection> directions,
      List<Integer> ks,
      List<Double> alphas,
      List<String> toxic,
      List<String> clean) {
    return run(
        model,
        modelName,
        tokenizer,
        probes,
        directions,
        ks,
        alphas,
        toxic,
        clean,
        Intervention.Positions.GENERATED,
        0,
        1);
  }

  /**
   * Runs the grid, shifting at {@code positions}, with {@code randomDraws} random-direction
   * controls per cell (seeds {@code seed}, {@code seed + 1}, ...); K values larger than the model's
   * head count are refused.
   */
  public static Result run(
      Transformer model,
      String modelName,
      BpeTokenizer tokenizer,
      ProbeResult probes,
      List<Directions.HeadDirection> directions,
      List<Integer> ks,
      List<Double> alphas,
      List<String> toxic,
      List<String> clean,
      Intervention.Positions positions,
      int randomDraws,
      long seed) {
    Check.atLeast("random draws", randomDraws, 0);
    double baseToxic = ContinuationScore.meanLogProb(model, tokenizer, toxic, Hooks.none());
    double baseClean = ContinuationScore.meanLogProb(model, tokenizer, clean, Hooks.none());
    List<Row> rows = new ArrayList<>();
    List<Row> control = new ArrayList<>();
    for (int k : ks) {
      Intervention base =
          Intervention.topHeads(modelName, probes, directions, k, 0, model.config().dHead());
      for (double alpha : alphas) {
        if (alpha == 0) {
          rows.add(new Row(k, 0, baseToxic, baseClean, 0, 0, FITTED));
          continue;
        }
        double[] tc = score(model, tokenizer, base.withAlpha(alpha), positions, toxic, clean);
        rows.add(new Row(k, alpha, tc[0], tc[1], tc[0] - baseToxic, tc[1] - baseClean, FITTED));
        if (randomDraws > 0) {
          double t = 0;
          double c = 0;
          for (int d = 0; d < randomDraws; d++) {
            double[] r =
                score(
                    model,
                    tokenizer,
                    base.withAlpha(alpha).withRandomDirections(seed + d),
                    positions,
                    toxic,
                    clean);
            t += r[0] / randomDraws;
            c += r[1] / randomDraws;
          }
          control.add(new Row(k, alpha, t, c, t - baseToxic, c - baseClean, RANDOM));
        }
      }
    }
    rows.addAll(control);
    return new Result(rows, positions, randomDraws);
  }

  private static double[] score(
      Transformer model,
      BpeTokenizer tokenizer,
      Intervention iti,
      Intervention.Positions positions,
      List<String> toxic,
      List<String> clean) {
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("ITI sweep interrupted");
    }
    if (positions == Intervention.Positions.ALL) {
      Hooks hooks = iti.hooks(positions);
      return new double[] {
        ContinuationScore.meanLogProb(model, tokenizer, toxic, hooks),
        ContinuationScore.meanLogProb(model, tokenizer, clean, hooks)
      };
    }
    return new double[] {
      ContinuationScore.meanLogProb(model, tokenizer, toxic, iti::hooksFrom),
      ContinuationScore.meanLogProb(model, tokenizer, clean, iti::hooksFrom)
    };
  }
}
