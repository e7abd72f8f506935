package org.antidote.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void aucOfPerfectRandomAndReversedScores() {
    assertEquals(1.0, Stats.auc(new double[] {0.1, 0.2, 0.8, 0.9}, new int[] {0, 0, 1, 1}));
    assertEquals(0.0, Stats.auc(new double[] {0.9, 0.8, 0.2, 0.1}, new int[] {0, 0, 1, 1}));
    assertEquals(0.5, Stats.auc(new double[] {0.5, 0.5, 0.5, 0.5}, new int[] {0, 1, 0, 1}));
    assertEquals(0.75, Stats.auc(new double[] {0.1, 0.6, 0.4, 0.9}, new int[] {0, 0, 1, 1}));
  }

  @Test
  void mannWhitneyMatchesAHandComputedCase() {
    // a = {1, 2, 3}, b = {4, 5, 6}: U of a is 0; exact two-sided p = 0.1, the normal approximation
    // ~0.08.
    Stats.Test t = Stats.mannWhitney(new double[] {1, 2, 3}, new double[] {4, 5, 6});
    assertEquals(0.0, t.statistic());
    assertEquals(0.081, t.pValue(), 0.01);
  }

  @Test
  void testsSeparateShiftedSamplesAndNotIdenticalOnes() {
    SplittableRandom r = new SplittableRandom(1);
    double[] a = new double[200];
    double[] b = new double[200];
    double[] c = new double[200];
    for (int i = 0; i < 200; i++) {
      a[i] = r.nextDouble();
      b[i] = r.nextDouble() + 0.3;
      c[i] = r.nextDouble();
    }
    assertTrue(Stats.mannWhitney(a, b).pValue() < 1e-6);
    assertTrue(Stats.permutation(a, b, 2000, 1).pValue() < 0.01);
    assertTrue(Stats.mannWhitney(a, c).pValue() > 0.01);
    assertTrue(Stats.permutation(a, c, 2000, 1).pValue() > 0.01);
  }

  @Test
  void intervalsMatchScipy() {
    // Reference values from scipy 1.x in the project's venv (stats.t.ppf,
    // ttest_ind(equal_var=False), linregress).
    assertEquals(4.302653, Stats.studentQuantile(0.975, 2), 1e-5);
    assertEquals(2.244137, Stats.studentQuantile(0.975, 9.5), 1e-5);
    Stats.Interval w = Stats.welch(new double[] {1, 2, 4, 7}, new double[] {0.5, 0.4, 1.1});
    assertEquals(-1.312328, w.low(), 1e-5);
    assertEquals(6.978994, w.high(), 1e-5);
    assertEquals(0.120329, w.pValue(), 1e-5);
    Stats.Interval s =
        Stats.slope(new double[] {0, 0, .1, .1, .2, .2}, new double[] {1, 1.2, 1.9, 2.3, 3.1, 2.8});
    assertEquals(9.25, s.estimate(), 1e-9);
    assertEquals(9.25 - 0.976281 * Stats.studentQuantile(0.975, 4), s.low(), 1e-5);
    assertEquals(0.000692, s.pValue(), 1e-6);
    Stats.Interval m = Stats.meanInterval(new double[] {1, 2, 3});
    assertEquals(2 - 4.302653 / Math.sqrt(3), m.low(), 1e-5);
  }

  @Test
  void bootstrapCoversTheMeanAndNarrowsWithMoreValues() {
    SplittableRandom r = new SplittableRandom(3);
    double[] small = new double[30];
    double[] large = new double[3000];
    for (int i = 0; i < large.length; i++) {
      large[i] = r.nextDouble();
      if (i < small.length) {
        small[i] = large[i];
      }
    }
    Stats.Interval a = Stats.bootstrapMean(small, 2000, 1);
    Stats.Interval b = Stats.bootstrapMean(large, 2000, 1);
    assertTrue(a.low() < 0.5 && 0.5 < a.high(), a.format(3));
    assertTrue(b.low() < 0.5 && 0.5 < b.high(), b.format(3));
    // The half-width of a mean of uniforms is about 1.96 * 0.289 / sqrt(n).
    assertEquals(1.96 * 0.2887 / Math.sqrt(3000), (b.high() - b.low()) / 2, 0.002);
    assertTrue(b.high() - b.low() < (a.high() - a.low()) / 5);
    assertEquals(Stats.bootstrapMean(small, 2000, 1), a, "seeded");
  }
}
