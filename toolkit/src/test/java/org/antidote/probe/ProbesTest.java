package org.antidote.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.antidote.io.BadInputException;
import org.antidote.math.Numerics;
import org.antidote.math.Vectors;
import org.junit.jupiter.api.Test;

class ProbesTest {

  static final int L = 3;
  static final int H = 4;
  static final int DH = 8;

  /** Gaussian noise everywhere, plus a linear signal along one direction in head (2, 1) only. */
  static Activations planted(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] z = new float[n * L * H * DH];
    int[] labels = new int[n];
    String[] cats = new String[n];
    float[] u = {0.5f, -0.5f, 0.5f, 0.5f, 0f, 0f, 0f, 0f};
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(2);
      cats[i] = labels[i] == 1 ? (r.nextBoolean() ? "sex" : "politics") : null;
      for (int k = 0; k < L * H * DH; k++) {
        z[i * L * H * DH + k] = (float) Numerics.gaussian(r);
      }
      int base = ((i * L + 2) * H + 1) * DH;
      for (int k = 0; k < DH; k++) {
        z[base + k] += (labels[i] == 1 ? 2.5f : -2.5f) * u[k];
      }
    }
    return Activations.of(L, H, DH, z, labels, cats);
  }

  @Test
  void thePlantedHeadRanksFirstAndTheOthersSitAtChance() {
    ProbeResult p = Probes.fit(planted(1500, 1), ProbeConfig.defaults());
    ProbeResult.HeadScore best = p.ranked().get(0);
    assertEquals(2, best.layer());
    assertEquals(1, best.head());
    assertTrue(best.accuracy() > 0.95, "best " + best);
    for (ProbeResult.HeadScore h : p.ranked().subList(1, L * H)) {
      assertTrue(h.accuracy() > 0.38 && h.accuracy() < 0.62, "a noise head at " + h);
    }
    assertEquals(L * H, p.table().rowCount());
    assertTrue(p.maxAccuracy() > p.meanAccuracy());
  }

  @Test
  void histogramsOfSeveralModelsShareTheirBins() {
    ProbeResult a = withAccuracies(0.51, 0.55, 0.56, 0.60);
    ProbeResult b = withAccuracies(0.58, 0.62, 0.69, 0.69);
    String js = ProbeResult.histograms(Map.of("0%", a, "25%", b)).plotHtml();
    // Range 0.51..0.69 gives bins of 0.02 from 0.50: ten centres, the same for both models.
    String bins =
        "x:[\"0.51\",\"0.53\",\"0.55\",\"0.57\",\"0.59\",\"0.61\",\"0.63\",\"0.65\",\"0.67\",\"0.69\"]";
    assertEquals(2, js.replace(" ", "").split(Pattern.quote(bins), -1).length - 1, js);
    assertTrue(
        js.replace(" ", "").contains("y:[0.0,0.0,0.0,0.0,1.0,0.0,1.0,0.0,0.0,2.0]"),
        "25%: 0.58, 0.62, 0.69 twice:\n" + js);
    assertTrue(
        js.replace(" ", "").contains("y:[1.0,0.0,1.0,1.0,0.0,1.0,0.0,0.0,0.0,0.0]"),
        "0%: 0.51, 0.55, 0.56, 0.60:\n" + js);
    assertTrue(js.contains("bins of 0.02"), js);
  }

  private static ProbeResult withAccuracies(double... acc) {
    return new ProbeResult(
        1,
        acc.length,
        acc,
        acc.clone(),
        new float[acc.length][1],
        new int[0],
        new int[0],
        ProbeConfig.defaults());
  }

  @Test
  void massMeanDirectionPointsAwayFromToxicAlongThePlantedAxis() {
    Activations a = planted(1500, 2);
    ProbeResult p = Probes.fit(a, ProbeConfig.defaults());
    var dirs = Directions.compute(a, p, Directions.Kind.MASS_MEAN, planted(500, 3), 1);
    var d = Directions.topK(dirs, p, 1).get(0);
    assertEquals(2, d.layer());
    assertTrue(d.direction()[0] < -0.4 && d.direction()[1] > 0.4, Arrays.toString(d.direction()));
    assertTrue(d.sigma() > 1, "sigma " + d.sigma());
    var probeDir =
        Directions.topK(Directions.compute(a, p, Directions.Kind.PROBE, a, 1), p, 1).get(0);
    assertTrue(
        Vectors.cosine(probeDir.direction(), d.direction()) > 0.8, "probe and mass-mean disagree");
  }

  @Test
  void entanglementTableCoversTheCategories() {
    Activations a = planted(1200, 4);
    var e = Directions.entanglement(a, Probes.fit(a, ProbeConfig.defaults()), 3, 20);
    assertEquals(2, e.table().rowCount());
    assertTrue(e.table().doubleColumn("mean |cos|").get(0) > 0.5, e.table().print());
  }

  @Test
  void oneClassOrTooFewTextsIsRefused() {
    float[] z = new float[40 * L * H * DH];
    int[] ones = new int[40];
    Arrays.fill(ones, 1);
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                Probes.fit(
                    Activations.of(L, H, DH, z, ones, new String[40]), ProbeConfig.defaults()));
    assertTrue(e.getMessage().contains("class 0"), e.getMessage());
    int[] few = new int[40];
    few[0] = 1;
    few[1] = 1;
    assertThrows(
        BadInputException.class,
        () -> Probes.fit(Activations.of(L, H, DH, z, few, new String[40]), ProbeConfig.defaults()));
  }

  @Test
  void kLargerThanTheHeadsIsRefused() {
    Activations a = planted(300, 5);
    ProbeResult p = Probes.fit(a, ProbeConfig.defaults());
    var dirs = Directions.compute(a, p, Directions.Kind.RANDOM, a, 1);
    BadInputException e = assertThrows(BadInputException.class, () -> Directions.topK(dirs, p, 13));
    assertTrue(e.getMessage().contains("12 heads"), e.getMessage());
  }
}
