package org.antidote.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.antidote.math.Stats;
import org.antidote.plot.Chart;
import org.antidote.plot.Displayable;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.BoxTrace;
import tech.tablesaw.plotly.traces.HeatmapTrace;
import tech.tablesaw.plotly.traces.Trace;

/**
 * Every head's probe: validation accuracy and AUC, and the weights in raw activation units. Heads
 * are numbered {@code layer * heads + head}.
 *
 * @param layers layers
 * @param heads heads per layer
 * @param accuracy validation accuracy per head
 * @param auc validation ROC AUC per head
 * @param weights probe weights per head, in raw activation units (positive = toxic)
 * @param trainRows texts used to fit
 * @param validationRows texts used to score
 * @param config the fitting settings
 */
public record ProbeResult(
    int layers,
    int heads,
    double[] accuracy,
    double[] auc,
    float[][] weights,
    int[] trainRows,
    int[] validationRows,
    ProbeConfig config)
    implements Displayable {

  /** One head's scores. */
  public record HeadScore(int layer, int head, double accuracy, double auc) {}

  /** Heads by validation accuracy, best first (ties: higher AUC first). */
  public List<HeadScore> ranked() {
    List<HeadScore> out = new ArrayList<>();
    for (int i = 0; i < accuracy.length; i++) {
      out.add(new HeadScore(i / heads, i % heads, accuracy[i], auc[i]));
    }
    out.sort(
        Comparator.comparingDouble(HeadScore::accuracy)
            .reversed()
            .thenComparing(Comparator.comparingDouble(HeadScore::auc).reversed()));
    return out;
  }

  /** Mean validation accuracy over heads. */
  public double meanAccuracy() {
    return Arrays.stream(accuracy).average().orElse(Double.NaN);
  }

  /** Best validation accuracy. */
  public double maxAccuracy() {
    return Arrays.stream(accuracy).max().orElse(Double.NaN);
  }

  /** Mean accuracy of the best {@code k} heads. */
  public double topKMean(int k) {
    return ranked().stream().limit(k).mapToDouble(HeadScore::accuracy).average().orElse(Double.NaN);
  }

  /** Summary numbers: mean, max, top-K mean (K = 10% of heads, at least 1). */
  public Map<String, Double> summary() {
    Map<String, Double> s = new LinkedHashMap<>();
    s.put("mean accuracy", meanAccuracy());
    s.put("max accuracy", maxAccuracy());
    int k = Math.max(1, accuracy.length / 10);
    s.put("top-" + k + " mean accuracy", topKMean(k));
    s.put("mean AUC", Arrays.stream(auc).filter(Double::isFinite).average().orElse(Double.NaN));
    return s;
  }

  /** One row per head: layer, head, accuracy, auc; best first. */
  @Override
  public Table table() {
    Table t =
        Table.create(
            "probe accuracy per head",
            IntColumn.create("layer"),
            IntColumn.create("head"),
            DoubleColumn.create("accuracy"),
            DoubleColumn.create("auc"));
    for (HeadScore h : ranked()) {
      t.intColumn(0).append(h.layer());
      t.intColumn(1).append(h.head());
      t.doubleColumn(2).append(Math.round(h.accuracy() * 10000) / 10000.0);
      t.doubleColumn(3).append(Math.round(h.auc() * 10000) / 10000.0);
    }
    return t;
  }

  /** The heatmap of head accuracies, shown above the table. */
  @Override
  public Chart chart() {
    return heatmap();
  }

  /** Layer x head heatmap of validation accuracy. */
  public Chart heatmap() {
    double[][] z = new double[layers][heads];
    Object[] x = new Object[heads];
    Object[] y = new Object[layers];
    for (int l = 0; l < layers; l++) {
      y[l] = "layer " + l;
      for (int h = 0; h < heads; h++) {
        z[l][h] = accuracy[l * heads + h];
      }
    }
    for (int h = 0; h < heads; h++) {
      x[h] = "head " + h;
    }
    int height = Math.max(260, 60 + 40 * layers);
    Layout layout =
        Layout.builder().title("Probe accuracy per head").width(640).height(height).build();
    return new Chart(
        new Figure(layout, HeatmapTrace.builder(x, y, z).build()), "probe-heatmap", 720, height);
  }

  /** Histogram of head accuracies. */
  public Chart histogram() {
    return histograms(Map.of("heads", this));
  }

  /**
   * Histograms of head accuracies, one colour per named result (e.g. per toxic share), side by side
   * on one set of bins so that bar heights compare: bins of a round width (0.005 to 0.1), about ten
   * of them over the range of all results.
   */
  public static Chart histograms(Map<String, ProbeResult> results) {
    double lo =
        results.values().stream()
            .flatMapToDouble(r -> Arrays.stream(r.accuracy()))
            .min()
            .orElse(0.5);
    double hi =
        results.values().stream()
            .flatMapToDouble(r -> Arrays.stream(r.accuracy()))
            .max()
            .orElse(0.5);
    double width = binWidth(hi - lo);
    double start = Math.floor(lo / width + 1e-9) * width;
    int bins = (int) Math.floor((hi - start) / width + 1e-9) + 1;
    Object[] centres = new Object[bins];
    for (int b = 0; b < bins; b++) {
      centres[b] = Math.round((start + (b + 0.5) * width) * 1e4) / 1e4;
    }
    List<Trace> traces = new ArrayList<>();
    results.forEach(
        (name, r) -> {
          double[] counts = new double[bins];
          for (double a : r.accuracy()) {
            counts[Math.min(bins - 1, (int) Math.floor((a - start) / width + 1e-9))]++;
          }
          traces.add(BarTrace.builder(centres, counts).name(name).build());
        });
    Layout layout =
        Layout.builder()
            .title("Head accuracy distribution")
            .width(640)
            .height(380)
            .xAxis(
                Axis.builder()
                    .title("validation accuracy (bins of " + width + ")")
                    .type(Axis.Type.LINEAR)
                    .build())
            .yAxis(Axis.builder().title("heads").build())
            .barMode(Layout.BarMode.GROUP)
            .build();
    return Chart.of(new Figure(layout, traces.toArray(new Trace[0])), "head-accuracy");
  }

  /** The smallest round bin width that covers {@code range} in at most 12 bins. */
  private static double binWidth(double range) {
    for (double w : new double[] {0.005, 0.01, 0.02, 0.025, 0.05}) {
      if (range / w <= 12) {
        return w;
      }
    }
    return 0.1;
  }

  /**
   * Head accuracies as one box per named result (e.g. per toxic share), side by side: easier to
   * compare than overlaid histograms once there are more than two or three.
   */
  public static Chart boxes(Map<String, ProbeResult> results) {
    List<Trace> traces = new ArrayList<>();
    results.forEach(
        (name, r) -> {
          Object[] x = new Object[r.accuracy().length];
          Arrays.fill(x, name);
          traces.add(BoxTrace.builder(x, r.accuracy()).name(name).build());
        });
    Layout layout =
        Layout.builder()
            .title("Head accuracy per model")
            .width(640)
            .height(380)
            .showLegend(false)
            .xAxis(Axis.builder().title("model").type(Axis.Type.CATEGORY).build())
            .yAxis(Axis.builder().title("validation accuracy of each head's probe").build())
            .build();
    return Chart.of(new Figure(layout, traces.toArray(new Trace[0])), "head-accuracy");
  }

  /** Mann-Whitney U and permutation tests of this model's head accuracies against another's. */
  public List<Stats.Test> compareTo(ProbeResult other) {
    return List.of(
        Stats.mannWhitney(accuracy, other.accuracy),
        Stats.permutation(accuracy, other.accuracy, 10_000, config.seed()));
  }

  @Override
  public String toString() {
    StringBuilder b =
        new StringBuilder(String.format("probes on %d layers x %d heads:", layers, heads));
    summary().forEach((k, v) -> b.append(String.format(" %s %.3f;", k, v)));
    HeadScore best = ranked().get(0);
    return b.append(
            String.format(" best head L%dH%d (%.3f)", best.layer(), best.head(), best.accuracy()))
        .toString();
  }
}
