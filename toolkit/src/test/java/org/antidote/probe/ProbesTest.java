package org.antidote.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.antidote.io.BadInputException;
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
        z[i * L * H * DH + k] = (float) gaussian(r);
      }
      int base = ((i * L + 2) * H + 1) * DH;
      for (int k = 0; k < DH; k++) {
        z[base + k] += (labels[i] == 1 ? 2.5f : -2.5f) * u[k];
      }
    }
    return Activations.of(L, H, DH, z, labels, cats);
  }

  static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
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
  void massMeanDirectionPointsAwayFromToxicAlongThePlantedAxis() {
    Activations a = planted(1500, 2);
    ProbeResult p = Probes.fit(a, ProbeConfig.defaults());
    var dirs = Directions.compute(a, p, Directions.Kind.MASS_MEAN, planted(500, 3), 1);
    var d = Directions.topK(dirs, p, 1).get(0);
    assertEquals(2, d.layer());
    assertTrue(d.direction()[0] < -0.4 && d.direction()[1] > 0.4, java.util.Arrays.toString(d.direction()));
    assertTrue(d.sigma() > 1, "sigma " + d.sigma());
    var probeDir = Directions.topK(Directions.compute(a, p, Directions.Kind.PROBE, a, 1), p, 1).get(0);
    assertTrue(Directions.cosine(probeDir.direction(), d.direction()) > 0.8, "probe and mass-mean disagree");
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
    java.util.Arrays.fill(ones, 1);
    BadInputException e = assertThrows(BadInputException.class,
        () -> Probes.fit(Activations.of(L, H, DH, z, ones, new String[40]), ProbeConfig.defaults()));
    assertTrue(e.getMessage().contains("class 0"), e.getMessage());
    int[] few = new int[40];
    few[0] = 1;
    few[1] = 1;
    assertThrows(BadInputException.class, () -> Probes.fit(Activations.of(L, H, DH, z, few, new String[40]),
        ProbeConfig.defaults()));
  }

  @Test
  void kLargerThanTheHeadsIsRefused() {
    Activations a = planted(300, 5);
    ProbeResult p = Probes.fit(a, ProbeConfig.defaults());
    var dirs = Directions.compute(a, p, Directions.Kind.RANDOM, a, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Directions.topK(dirs, p, 13));
    assertTrue(e.getMessage().contains("12 heads"), e.getMessage());
  }
}
