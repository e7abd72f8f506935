package org.antidote.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.antidote.io.Check;
import org.antidote.plot.Chart;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.components.Line;
import tech.tablesaw.plotly.components.Marker;
import tech.tablesaw.plotly.components.Symbol;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

/**
 * The trade-off between toxicity and capability loss, both lower-is-better: the non-dominated set
 * (no other point is at least as good on both and better on one), and the paper's figures.
 */
public final class Pareto {

  private Pareto() {}

  /**
   * One evaluated configuration.
   *
   * @param label what it is ("10% + ITI K=30 alpha=8", say)
   * @param toxicity toxicity (e.g. mean x 100), lower is better
   * @param loss capability loss (e.g. cross-entropy), lower is better
   */
  public record Point(String label, double toxicity, double loss) {

    public Point {
      Check.input(
          Double.isFinite(toxicity) && Double.isFinite(loss),
          "point '" + label + "' needs finite toxicity and loss, got " + toxicity + ", " + loss);
    }

    /** True when this point is at least as good as {@code o} on both axes and better on one. */
    public boolean dominates(Point o) {
      return toxicity <= o.toxicity && loss <= o.loss && (toxicity < o.toxicity || loss < o.loss);
    }
  }

  /** The points no other point dominates, by increasing toxicity. */
  public static List<Point> nonDominated(List<Point> points) {
    List<Point> front = new ArrayList<>();
    for (Point p : points) {
      boolean dominated = false;
      for (Point q : points) {
        if (q.dominates(p)) {
          dominated = true;
          break;
        }
      }
      if (!dominated && !front.contains(p)) {
        front.add(p);
      }
    }
    front.sort(Comparator.comparingDouble(Point::toxicity).thenComparingDouble(Point::loss));
    return front;
  }

  /**
   * The paper's trade-off figure: every point of each group (a toxic share, say) in the group's
   * colour and in one shape per label (a method, say), and each group's non-dominated front as a
   * line. Shapes and colours name every point, so the figure reads without hovering, as a PNG too.
   */
  public static Chart tradeOff(
      Map<String, List<Point>> groups, String toxicityLabel, String lossLabel) {
    List<String> labels =
        groups.values().stream().flatMap(List::stream).map(Point::label).distinct().toList();
    List<Trace> traces = new ArrayList<>();
    int g = 0;
    for (Map.Entry<String, List<Point>> e : groups.entrySet()) {
      String colour = COLOURS[g++ % COLOURS.length];
      List<Point> front = nonDominated(e.getValue());
      traces.add(
          ScatterTrace.builder(
                  front.stream().mapToDouble(Point::loss).toArray(),
                  front.stream().mapToDouble(Point::toxicity).toArray())
              .mode(ScatterTrace.Mode.LINE)
              .name(e.getKey())
              .legendGroup(e.getKey())
              .line(Line.builder().color(colour).build())
              .build());
      for (String label : labels) {
        List<Point> pts = e.getValue().stream().filter(p -> p.label().equals(label)).toList();
        if (!pts.isEmpty()) {
          traces.add(
              ScatterTrace.builder(
                      pts.stream().mapToDouble(Point::loss).toArray(),
                      pts.stream().mapToDouble(Point::toxicity).toArray())
                  .mode(ScatterTrace.Mode.MARKERS)
                  .name(e.getKey() + ", " + label)
                  .legendGroup(e.getKey())
                  .showLegend(false)
                  .marker(
                      Marker.builder()
                          .color(colour)
                          .symbol(symbol(labels.indexOf(label)))
                          .size(9)
                          .build())
                  .build());
        }
      }
    }
    // One legend entry per shape, in grey: a trace with no drawable point shows only in the legend.
    for (int l = 0; l < labels.size(); l++) {
      traces.add(
          ScatterTrace.builder(new double[] {Double.NaN}, new double[] {Double.NaN})
              .mode(ScatterTrace.Mode.MARKERS)
              .name(labels.get(l))
              .marker(Marker.builder().color("#555555").symbol(symbol(l)).size(9).build())
              .build());
    }
    Layout layout =
        Layout.builder()
            .title("Toxicity vs capability (lines: each group's non-dominated front)")
            .width(720)
            .height(460)
            .xAxis(Axis.builder().title(lossLabel).type(Axis.Type.LINEAR).build())
            .yAxis(Axis.builder().title(toxicityLabel).type(Axis.Type.LINEAR).build())
            .build();
    return new Chart(new Figure(layout, traces.toArray(new Trace[0])), "pareto", 720, 460);
  }

  private static final Symbol[] SYMBOLS = {
    Symbol.CIRCLE,
    Symbol.SQUARE,
    Symbol.DIAMOND,
    Symbol.TRIANGLE_UP,
    Symbol.X,
    Symbol.STAR,
    Symbol.TRIANGLE_DOWN,
    Symbol.CROSS,
    Symbol.PENTAGON,
    Symbol.HEXAGON
  };

  /** The shape of the {@code i}-th label; shapes repeat beyond ten labels. */
  private static Symbol symbol(int i) {
    return SYMBOLS[i % SYMBOLS.length];
  }

  /**
   * Plotly's ten default colours: enough for the paper's six shares, repeated beyond ten groups.
   */
  private static final String[] COLOURS = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf"
  };

  /** Toxicity against toxic share, one line per setting (the paper's "smile" under each alpha). */
  public static Chart smile(Map<String, double[][]> lines, String toxicityLabel) {
    List<Trace> traces = new ArrayList<>();
    lines.forEach(
        (name, xy) ->
            traces.add(
                ScatterTrace.builder(xy[0], xy[1])
                    .mode(ScatterTrace.Mode.LINE_AND_MARKERS)
                    .name(name)
                    .build()));
    Layout layout =
        Layout.builder()
            .title("Toxicity vs toxic share")
            .width(720)
            .height(420)
            .xAxis(Axis.builder().title("toxic share of pre-training (%)").build())
            .yAxis(Axis.builder().title(toxicityLabel).build())
            .build();
    return Chart.of(new Figure(layout, traces.toArray(new Trace[0])), "smile");
  }
}
