package org.antidote.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.antidote.math.Numerics;
import org.junit.jupiter.api.Test;

class NucleusTest {

  /**
   * The definition: ids sorted by descending probability (ascending id among equals) and taken
   * until their mass reaches topP; zero-probability ids never; then one draw walking the nucleus by
   * ascending id.
   */
  private static int reference(double[] p, double topP, SplittableRandom rng) {
    Integer[] order = new Integer[p.length];
    for (int i = 0; i < p.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, c) -> Double.compare(p[c], p[a]) != 0 ? Double.compare(p[c], p[a]) : a.compareTo(c));
    boolean[] in = new boolean[p.length];
    double mass = 0;
    int keep = 0;
    while (keep < order.length && p[order[keep]] > 0 && (keep == 0 || mass < topP)) {
      mass += p[order[keep]];
      in[order[keep++]] = true;
    }
    double total = 0;
    for (int i = 0; i < p.length; i++) {
      total += in[i] ? p[i] : 0;
    }
    double u = rng.nextDouble() * total;
    int last = -1;
    for (int i = 0; i < p.length; i++) {
      if (in[i]) {
        last = i;
        u -= p[i];
        if (u <= 0) {
          return i;
        }
      }
    }
    return last;
  }

  @Test
  void drawsFromTheNucleusTheSortedDefinitionGives() {
    SplittableRandom gen = new SplittableRandom(3);
    int ties = 0;
    for (int trial = 0; trial < 3000; trial++) {
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
      int drawn = Generator.nucleus(p, topP, new SplittableRandom(seed));
      assertEquals(reference(p, topP, new SplittableRandom(seed)), drawn, "trial " + trial);
      assertTrue(p[drawn] > 0, "trial " + trial + " drew a token of probability 0");
    }
    assertTrue(ties > 1000, "the trials should exercise ties, had " + ties);
  }

  @Test
  void drawsInProportionWithinTheNucleus() {
    // p = 0.5, 0.3, 0.15, 0.05 with top-p 0.8: the nucleus is the first two, drawn 5 : 3.
    double[] p = {0.15, 0.5, 0.05, 0.3};
    SplittableRandom rng = new SplittableRandom(11);
    int[] counts = new int[4];
    int n = 40_000;
    for (int i = 0; i < n; i++) {
      counts[Generator.nucleus(p, 0.8, rng)]++;
    }
    assertEquals(0, counts[0] + counts[2], Arrays.toString(counts));
    assertEquals(0.625, counts[1] / (double) n, 0.01, Arrays.toString(counts));
  }
}
