package org.antidote.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.antidote.math.Numerics;
import org.junit.jupiter.api.Test;

class NucleusTest {

  /** The definition: ids sorted by descending probability, ascending id among equals. */
  private static int reference(double[] p, double topP, SplittableRandom rng) {
    Integer[] order = new Integer[p.length];
    for (int i = 0; i < p.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, c) -> Double.compare(p[c], p[a]) != 0 ? Double.compare(p[c], p[a]) : a.compareTo(c));
    double mass = 0;
    int keep = 0;
    while (keep < order.length && (keep == 0 || mass < topP)) {
      mass += p[order[keep++]];
    }
    double u = rng.nextDouble() * mass;
    for (int k = 0; k < keep; k++) {
      u -= p[order[k]];
      if (u <= 0) {
        return order[k];
      }
    }
    return order[keep - 1];
  }

  @Test
  void drawsWhatSortingTheIdsDraws() {
    SplittableRandom gen = new SplittableRandom(3);
    int ties = 0;
    for (int trial = 0; trial < 2000; trial++) {
      int vocab = 1 + gen.nextInt(300);
      float[] logits = new float[vocab];
      // Logits on a coarse grid, so many tokens share a probability; some never sampled.
      for (int i = 0; i < vocab; i++) {
        logits[i] = gen.nextInt(10) == 0 ? Float.NEGATIVE_INFINITY : (float) gen.nextInt(6) * 0.5f;
      }
      logits[gen.nextInt(vocab)] = 1f;
      double[] p = Numerics.softmax(logits, 0.5 + gen.nextDouble());
      ties += Arrays.stream(p).distinct().count() < vocab ? 1 : 0;
      double topP = trial % 7 == 0 ? 1.0 : gen.nextDouble();
      long seed = gen.nextLong();
      assertEquals(
          reference(p, topP, new SplittableRandom(seed)),
          Generator.nucleus(p, topP, new SplittableRandom(seed)),
          "trial " + trial);
    }
    assertEquals(true, ties > 1000, "the trials should exercise ties, had " + ties);
  }
}
