package org.antidote.probe;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.antidote.io.Check;

/**
 * How stable a model's choice of its top-K heads is: the probe set is resampled with replacement (a
 * bootstrap of texts, each class resampled on its own so the classes stay balanced), the probes
 * refitted on each resample, and the top-K sets compared by their Jaccard overlap |A and B| / |A or
 * B|, every pair of resamples. 1 means the same heads every time; for K of H heads drawn at random
 * the expected overlap is about K / (2H - K).
 *
 * @param k heads in each set
 * @param resamples bootstrap resamples
 * @param meanJaccard mean overlap over every pair of resamples
 * @param minJaccard the smallest pairwise overlap
 * @param chance the overlap of two random K-sets of the model's heads, K / (2H - K)
 * @param sets each resample's top-K heads, as "L{layer}H{head}"
 */
public record HeadStability(
    int k,
    int resamples,
    double meanJaccard,
    double minJaccard,
    double chance,
    List<List<String>> sets) {

  /**
   * Bootstraps {@code acts} {@code resamples} times with {@code seed} and compares the top-{@code
   * k} sets.
   */
  public static HeadStability of(
      Activations acts, ProbeConfig config, int k, int resamples, long seed) {
    int total = acts.layers() * acts.heads();
    Check.input(
        k >= 1 && k <= total && resamples >= 2,
        "head stability needs 1 <= K <= "
            + total
            + " heads and at least 2 resamples,"
            + " got K = "
            + k
            + ", "
            + resamples
            + " resamples");
    int[] labels = acts.labels();
    List<Integer> toxic = new ArrayList<>();
    List<Integer> clean = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      (labels[i] == 1 ? toxic : clean).add(i);
    }
    int width = total * acts.dHead();
    float[] raw = acts.raw();
    SplittableRandom rng = new SplittableRandom(seed);
    List<Set<String>> sets = new ArrayList<>();
    for (int b = 0; b < resamples; b++) {
      int n = labels.length;
      float[] z = new float[n * width];
      int[] y = new int[n];
      int at = 0;
      for (List<Integer> cls : List.of(toxic, clean)) {
        for (int i = 0; i < cls.size(); i++) {
          int row = cls.get(rng.nextInt(cls.size()));
          System.arraycopy(raw, row * width, z, at * width, width);
          y[at++] = labels[row];
        }
      }
      ProbeResult p =
          Probes.fit(
              Activations.of(acts.layers(), acts.heads(), acts.dHead(), z, y, null),
              config.withSeed(config.seed() + b));
      Set<String> top = new HashSet<>();
      p.ranked().stream().limit(k).forEach(h -> top.add("L" + h.layer() + "H" + h.head()));
      sets.add(top);
    }
    double sum = 0;
    double min = 1;
    int pairs = 0;
    for (int i = 0; i < sets.size(); i++) {
      for (int j = i + 1; j < sets.size(); j++) {
        double jac = jaccard(sets.get(i), sets.get(j));
        sum += jac;
        min = Math.min(min, jac);
        pairs++;
      }
    }
    return new HeadStability(
        k,
        resamples,
        sum / pairs,
        min,
        k / (2.0 * total - k),
        sets.stream().map(s -> s.stream().sorted().toList()).toList());
  }

  /** |a and b| / |a or b| (1 for two empty sets). */
  public static double jaccard(Set<String> a, Set<String> b) {
    Set<String> union = new HashSet<>(a);
    union.addAll(b);
    if (union.isEmpty()) {
      return 1;
    }
    Set<String> both = new HashSet<>(a);
    both.retainAll(b);
    return (double) both.size() / union.size();
  }
}
