package org.antidote.probe;

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
    // a = {1, 2, 3}, b = {4, 5, 6}: U of a is 0; exact two-sided p = 0.1, the normal approximation ~0.08.
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
}
