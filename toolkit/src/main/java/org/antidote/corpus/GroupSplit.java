package org.antidote.corpus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;

/**
 * One seeded split of target groups (ToxiGen's) into a fit side, for probes, directions, sigma, SFT
 * and DPO, and a score side for evaluation, so no method is scored on statements it was fitted on.
 * Groups that share a statement (ToxiGen's trans prompts embed lgbtq statements) are joined and
 * always land on one side. It works on plain (group, statement) pairs, whatever read them, and
 * compares statements by {@link #key}: ToxiGen's prompts repeat its statements lower-cased and
 * without apostrophes.
 *
 * @param fitGroups groups on the fit side
 * @param scoreGroups groups on the score side
 * @param fitStatements every statement of a fit group, by {@link #key}
 * @param scoreStatements how many distinct statements the score groups hold
 * @param seed the seed of the split
 */
public record GroupSplit(
    Set<String> fitGroups,
    Set<String> scoreGroups,
    Set<String> fitStatements,
    int scoreStatements,
    long seed) {

  /** The share of the statements the fit side gets unless told otherwise. */
  public static final double FIT_SHARE = 0.5;

  /** A statement and the target group it belongs to (a statement may be listed under several). */
  public record Item(String group, String statement) {}

  public GroupSplit {
    fitGroups = Collections.unmodifiableSet(new TreeSet<>(fitGroups));
    scoreGroups = Collections.unmodifiableSet(new TreeSet<>(scoreGroups));
    fitStatements = Set.copyOf(fitStatements);
  }

  /**
   * Splits the groups of {@code items}: joined groups (sharing a statement, directly or through
   * others) are shuffled with {@code seed} and put on the fit side until it holds at least {@code
   * fitShare} of the statements, leaving at least one joined set to score.
   */
  public static GroupSplit of(List<Item> items, double fitShare, long seed) {
    Check.input(
        fitShare > 0 && fitShare < 1,
        "group split: the fit share must be in (0, 1), got " + fitShare);
    items = items.stream().map(it -> new Item(it.group(), key(it.statement()))).toList();
    Map<String, String> parent = new HashMap<>();
    Map<String, String> firstGroupOf = new HashMap<>();
    for (Item it : items) {
      parent.putIfAbsent(it.group(), it.group());
      String other = firstGroupOf.putIfAbsent(it.statement(), it.group());
      if (other != null) {
        union(parent, other, it.group());
      }
    }
    // Components in a fixed order (by their smallest group name) so only the seed decides.
    Map<String, TreeSet<String>> components = new TreeMap<>();
    for (String g : parent.keySet()) {
      components.computeIfAbsent(find(parent, g), r -> new TreeSet<>()).add(g);
    }
    List<TreeSet<String>> order = new ArrayList<>(components.values());
    order.sort(Comparator.comparing(TreeSet::first));
    if (order.size() < 2) {
      throw new BadInputException(
          "group split: the "
              + parent.size()
              + " target groups all share statements with "
              + "each other, so no group is left to score on statements the fit never saw");
    }
    Map<String, Set<String>> statementsOf = new HashMap<>();
    for (Item it : items) {
      statementsOf.computeIfAbsent(it.group(), g -> new LinkedHashSet<>()).add(it.statement());
    }
    int total = firstGroupOf.size();
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = order.size() - 1; i > 0; i--) {
      Collections.swap(order, i, rng.nextInt(i + 1));
    }
    Set<String> fit = new TreeSet<>();
    Set<String> fitStatements = new HashSet<>();
    for (int c = 0; c < order.size() - 1 && fitStatements.size() < fitShare * total; c++) {
      for (String g : order.get(c)) {
        fit.add(g);
        fitStatements.addAll(statementsOf.get(g));
      }
    }
    Set<String> score = new TreeSet<>(parent.keySet());
    score.removeAll(fit);
    return new GroupSplit(fit, score, fitStatements, total - fitStatements.size(), seed);
  }

  /**
   * A statement as the split compares it: lower case, apostrophes dropped, every other run of
   * characters that are not letters or digits one space.
   */
  public static String key(String statement) {
    String s = APOSTROPHES.matcher(statement.toLowerCase(Locale.ROOT)).replaceAll("");
    return NOT_WORD.matcher(s).replaceAll(" ").strip();
  }

  /** True when {@code statement} is a statement of a fit group. */
  public boolean fits(String statement) {
    return fitStatements.contains(key(statement));
  }

  /** One line: the seed, the groups on each side and their statements. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "seed %d: fit %s (%d statements), score %s (%d statements)",
        seed,
        String.join(", ", fitGroups),
        fitStatements.size(),
        String.join(", ", scoreGroups),
        scoreStatements);
  }

  /**
   * True when a text made of {@code statements} (an evaluation prompt, say) shares none with the
   * fit side.
   */
  public boolean scorable(Collection<String> statements) {
    for (String s : statements) {
      if (fits(s)) {
        return false;
      }
    }
    return true;
  }

  private static final Pattern APOSTROPHES = Pattern.compile("['\u2018\u2019`]");
  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  private static String find(Map<String, String> parent, String g) {
    String root = g;
    while (!parent.get(root).equals(root)) {
      root = parent.get(root);
    }
    while (!parent.get(g).equals(root)) {
      String next = parent.get(g);
      parent.put(g, root);
      g = next;
    }
    return root;
  }

  private static void union(Map<String, String> parent, String a, String b) {
    String ra = find(parent, a);
    String rb = find(parent, b);
    if (!ra.equals(rb)) {
      parent.put(ra.compareTo(rb) < 0 ? rb : ra, ra.compareTo(rb) < 0 ? ra : rb);
    }
  }
}
