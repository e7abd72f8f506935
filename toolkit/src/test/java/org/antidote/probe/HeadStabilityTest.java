package org.antidote.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.antidote.math.Numerics;
import org.junit.jupiter.api.Test;

class HeadStabilityTest {

  /**
   * 3 layers x 4 heads x 8 dims of noise; the first {@code signal} heads carry a strong label
   * signal.
   */
  private static Activations acts(int n, int signal, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int w = 12 * 8;
    float[] z = new float[n * w];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
      for (int k = 0; k < w; k++) {
        z[i * w + k] = (float) Numerics.gaussian(r);
      }
      for (int h = 0; h < signal; h++) {
        z[i * w + h * 8] += labels[i] == 1 ? 2f : -2f;
      }
    }
    return Activations.of(3, 4, 8, z, labels, null);
  }

  @Test
  void strongHeadsAreChosenEveryTimeAndNoiseIsNearChance() {
    HeadStability planted = HeadStability.of(acts(400, 4, 1), ProbeConfig.defaults(), 4, 5, 1);
    assertEquals(1.0, planted.meanJaccard(), 1e-12, "sets " + planted.sets());
    assertEquals(List.of("L0H0", "L0H1", "L0H2", "L0H3"), planted.sets().get(0));
    HeadStability noise = HeadStability.of(acts(400, 0, 2), ProbeConfig.defaults(), 4, 5, 1);
    assertEquals(4 / 20.0, noise.chance(), 1e-12);
    assertTrue(noise.meanJaccard() < 0.5, "noise heads overlap " + noise.meanJaccard());
    assertTrue(noise.minJaccard() <= noise.meanJaccard());
  }

  @Test
  void jaccardCountsSharedOverAll() {
    assertEquals(
        2.0 / 4, HeadStability.jaccard(Set.of("a", "b", "c"), Set.of("b", "c", "d")), 1e-12);
    assertEquals(1.0, HeadStability.jaccard(Set.of(), Set.of()));
  }
}
