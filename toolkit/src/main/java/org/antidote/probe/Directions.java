package org.antidote.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.math.Numerics;
import org.antidote.math.Vectors;
import org.antidote.plot.Chart;
import org.antidote.plot.Displayable;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.HeatmapTrace;

/**
 * Each head's toxicity direction, unit length and pointing AWAY from toxic (adding it makes an
 * activation look cleaner), with sigma: the spread of activations along it, measured on a separate
 * tuning set.
 */
public final class Directions {

  private Directions() {}

  /** How a direction is chosen. */
  public enum Kind {
    /** Mean of the clean texts minus mean of the toxic ones (ITI's mass-mean shift). */
    MASS_MEAN,
    /** The probe's weight vector, negated (it points towards toxic). */
    PROBE,
    /** A seeded random unit vector: the control. */
    RANDOM;

    /** Parses "mass-mean", "probe", "random". */
    public static Kind parse(String s) {
      return switch (s.strip().toLowerCase(Locale.ROOT).replace('_', '-')) {
        case "mass-mean", "massmean" -> MASS_MEAN;
        case "probe" -> PROBE;
        case "random" -> RANDOM;
        default ->
            throw new BadInputException("direction '" + s + "' is not mass-mean, probe or random");
      };
    }
  }

  /**
   * One head's direction.
   *
   * @param layer layer
   * @param head head
   * @param direction unit vector in the head's output space, pointing away from toxic
   * @param sigma standard deviation of tuning activations projected on it
   */
  public record HeadDirection(int layer, int head, float[] direction, double sigma) {}

  /**
   * Directions for every head: fitted on {@code fit} (its probe's training rows), sigma on {@code
   * tuning}.
   */
  public static List<HeadDirection> compute(
      Activations fit, ProbeResult probes, Kind kind, Activations tuning, long seed) {
    Check.input(
        tuning.layers() == fit.layers()
            && tuning.heads() == fit.heads()
            && tuning.dHead() == fit.dHead(),
        "the tuning activations come from a model of another shape");
    int[] labels = fit.labels();
    List<HeadDirection> out = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(seed);
    for (int l = 0; l < fit.layers(); l++) {
      for (int h = 0; h < fit.heads(); h++) {
        float[] d =
            switch (kind) {
              case MASS_MEAN -> {
                double[] clean = new double[fit.dHead()];
                double[] toxic = new double[fit.dHead()];
                int nc = 0;
                int nt = 0;
                for (int row : probes.trainRows()) {
                  float[] v = fit.head(row, l, h);
                  double[] acc = labels[row] == 1 ? toxic : clean;
                  for (int k = 0; k < v.length; k++) {
                    acc[k] += v[k];
                  }
                  if (labels[row] == 1) {
                    nt++;
                  } else {
                    nc++;
                  }
                }
                float[] diff = new float[fit.dHead()];
                for (int k = 0; k < diff.length; k++) {
                  diff[k] = (float) (clean[k] / nc - toxic[k] / nt);
                }
                yield diff;
              }
              case PROBE -> {
                float[] w = probes.weights()[l * fit.heads() + h].clone();
                for (int k = 0; k < w.length; k++) {
                  w[k] = -w[k];
                }
                yield w;
              }
              case RANDOM -> {
                float[] r = new float[fit.dHead()];
                for (int k = 0; k < r.length; k++) {
                  r[k] = (float) (rng.nextDouble() * 2 - 1);
                }
                yield r;
              }
            };
        normalise(d);
        out.add(new HeadDirection(l, h, d, sigma(tuning, l, h, d)));
      }
    }
    return out;
  }

  /** Standard deviation of the tuning activations projected on {@code d}. */
  static double sigma(Activations tuning, int layer, int head, float[] d) {
    double s = 0;
    double s2 = 0;
    int n = tuning.count();
    for (int i = 0; i < n; i++) {
      double p = Vectors.dot(tuning.head(i, layer, head), d);
      s += p;
      s2 += p * p;
    }
    double mean = s / n;
    return Math.sqrt(Math.max(0, s2 / n - mean * mean));
  }

  /**
   * The real-model analogue of the toy experiment's entanglement: for the {@code k} best heads, the
   * cosine between the toxicity direction (toxic mean minus clean mean) and each category's
   * direction (that category's mean minus the clean mean), for categories with at least {@code
   * minTexts} toxic texts. A table (category, texts, mean and max |cos| over the heads) and a
   * heatmap (category x head).
   */
  public static Entanglement entanglement(
      Activations acts, ProbeResult probes, int k, int minTexts) {
    int[] labels = acts.labels();
    String[] cats = acts.categories();
    Map<String, List<Integer>> byCategory = new TreeMap<>();
    List<Integer> clean = new ArrayList<>();
    List<Integer> toxic = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == 0) {
        clean.add(i);
      } else {
        toxic.add(i);
        if (cats[i] != null) {
          byCategory.computeIfAbsent(cats[i], c -> new ArrayList<>()).add(i);
        }
      }
    }
    byCategory.values().removeIf(l -> l.size() < minTexts);
    List<ProbeResult.HeadScore> heads =
        probes.ranked().subList(0, Math.min(k, probes.ranked().size()));
    List<String> names = new ArrayList<>(byCategory.keySet());
    double[][] cos = new double[names.size()][heads.size()];
    for (int j = 0; j < heads.size(); j++) {
      int l = heads.get(j).layer();
      int h = heads.get(j).head();
      float[] base = mean(acts, clean, l, h);
      float[] tox = Vectors.minus(mean(acts, toxic, l, h), base);
      for (int c = 0; c < names.size(); c++) {
        cos[c][j] =
            Math.abs(
                Vectors.cosine(
                    tox, Vectors.minus(mean(acts, byCategory.get(names.get(c)), l, h), base)));
      }
    }
    Table t =
        Table.create(
            "toxicity direction vs category directions (best " + heads.size() + " heads)",
            StringColumn.create("category"),
            IntColumn.create("texts"),
            DoubleColumn.create("mean |cos|"),
            DoubleColumn.create("max |cos|"));
    for (int c = 0; c < names.size(); c++) {
      double[] row = cos[c];
      t.stringColumn(0).append(names.get(c));
      t.intColumn(1).append(byCategory.get(names.get(c)).size());
      t.doubleColumn(2).append(Numerics.round(Arrays.stream(row).average().orElse(0), 3));
      t.doubleColumn(3).append(Numerics.round(Arrays.stream(row).max().orElse(0), 3));
    }
    t = t.sortDescendingOn("mean |cos|");
    Object[] x = heads.stream().map(s -> "L" + s.layer() + "H" + s.head()).toArray();
    int height = Math.max(260, 60 + 28 * names.size());
    Layout layout =
        Layout.builder()
            .title("|cos(toxicity, category)| per head")
            .width(720)
            .height(height)
            .build();
    Chart heatmap =
        new Chart(
            new Figure(layout, HeatmapTrace.builder(x, names.toArray(), cos).build()),
            "entanglement",
            720,
            height);
    return new Entanglement(t, heatmap);
  }

  /** The entanglement table and heatmap. */
  public record Entanglement(Table table, Chart heatmap) implements Displayable {
    @Override
    public Chart chart() {
      return heatmap;
    }
  }

  /**
   * Refuses a number of heads K outside 1..{@code total} (checked before any work by the commands).
   */
  public static void checkK(int k, int total) {
    Check.input(
        k >= 1 && k <= total,
        "K = " + k + " heads: the model has " + total + " heads; choose 1.." + total);
  }

  /** Directions of the {@code k} best heads by validation accuracy. */
  public static List<HeadDirection> topK(List<HeadDirection> all, ProbeResult probes, int k) {
    checkK(k, probes.layers() * probes.heads());
    Map<String, HeadDirection> byHead = new LinkedHashMap<>();
    all.forEach(d -> byHead.put(d.layer() + ":" + d.head(), d));
    return probes.ranked().stream()
        .limit(k)
        .map(s -> byHead.get(s.layer() + ":" + s.head()))
        .sorted(Comparator.comparingInt(HeadDirection::layer).thenComparingInt(HeadDirection::head))
        .toList();
  }

  private static float[] mean(Activations acts, List<Integer> rows, int l, int h) {
    float[] m = new float[acts.dHead()];
    for (int r : rows) {
      float[] v = acts.head(r, l, h);
      for (int i = 0; i < m.length; i++) {
        m[i] += v[i] / rows.size();
      }
    }
    return m;
  }

  static void normalise(float[] v) {
    if (Vectors.norm(v) == 0) {
      throw new IllegalStateException(
          "a zero direction cannot be normalised (identical class means?)");
    }
    Vectors.normalise(v);
  }
}
