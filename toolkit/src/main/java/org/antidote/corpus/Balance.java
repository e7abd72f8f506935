package org.antidote.corpus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Exactly balanced labelled sets: as many toxic as clean texts, drawn by a seeded shuffle and
 * stratified by source and category, so that chance accuracy is one half and neither class is a
 * skewed prefix of one file (the earlier file-order draw took 22 insults among 881 toxic texts).
 */
public final class Balance {

  private Balance() {}

  /**
   * A balanced draw.
   *
   * @param documents the drawn texts, both classes shuffled together
   * @param perClass how many of each class
   * @param dropped how many labelled input texts were left out
   * @param unlabelled how many input texts had no label (never drawn)
   */
  public record Drawn(List<Document> documents, int perClass, int dropped, int unlabelled) {

    public Drawn {
      documents = List.copyOf(documents);
    }

    /** "kept 200 of each class, dropped 94 of 494 labelled texts to balance them". */
    public String describe() {
      int labelled = documents.size() + dropped;
      return "kept "
          + perClass
          + " of each class, dropped "
          + dropped
          + " of "
          + labelled
          + " labelled texts to balance them"
          + (unlabelled > 0 ? " (" + unlabelled + " had no label)" : "");
    }
  }

  /**
   * {@code perClass} texts of each class (or as many as the smaller class has, when that is fewer;
   * {@code perClass <= 0} means as many as it has). Within a class each (source, category) stratum
   * gives its share of the class, rounded by largest remainder so the total is exact; which texts
   * of a stratum are taken, and the order of the result, come from {@code seed}.
   */
  public static Drawn exactly(List<Document> labelled, int perClass, long seed) {
    List<Document> toxic = new ArrayList<>();
    List<Document> clean = new ArrayList<>();
    int unlabelled = 0;
    for (Document d : labelled) {
      if (d.label() == null) {
        unlabelled++;
      } else {
        (d.isToxic() ? toxic : clean).add(d);
      }
    }
    int m = Math.min(toxic.size(), clean.size());
    if (perClass > 0) {
      m = Math.min(m, perClass);
    }
    Random rng = new Random(seed);
    List<Document> out = new ArrayList<>(stratified(toxic, m, rng));
    out.addAll(stratified(clean, m, rng));
    Collections.shuffle(out, rng);
    return new Drawn(out, m, labelled.size() - unlabelled - out.size(), unlabelled);
  }

  /** {@code n} documents of one class, each stratum in proportion to its size. */
  static List<Document> stratified(List<Document> docs, int n, Random rng) {
    Map<String, List<Document>> strata = new LinkedHashMap<>();
    for (Document d : docs) {
      strata.computeIfAbsent(d.source() + '\u0000' + d.category(), k -> new ArrayList<>()).add(d);
    }
    List<String> keys = new ArrayList<>(strata.keySet());
    Collections.sort(keys); // the draw must not depend on the input's order of strata
    int[] take = new int[keys.size()];
    double[] remainder = new double[keys.size()];
    int given = 0;
    for (int i = 0; i < keys.size(); i++) {
      double exact = (double) n * strata.get(keys.get(i)).size() / docs.size();
      take[i] = (int) Math.floor(exact);
      remainder[i] = exact - take[i];
      given += take[i];
    }
    List<Integer> byRemainder = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      byRemainder.add(i);
    }
    byRemainder.sort(
        Comparator.<Integer>comparingDouble(i -> -remainder[i]).thenComparing(i -> keys.get(i)));
    for (int j = 0; given < n; j++, given++) {
      take[byRemainder.get(j)]++;
    }
    List<Document> out = new ArrayList<>(n);
    for (int i = 0; i < keys.size(); i++) {
      List<Document> s = new ArrayList<>(strata.get(keys.get(i)));
      Collections.shuffle(s, rng);
      out.addAll(s.subList(0, take[i]));
    }
    return out;
  }
}
