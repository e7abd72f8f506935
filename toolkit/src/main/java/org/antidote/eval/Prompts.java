package org.antidote.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Document;
import org.antidote.corpus.DocumentReader;
import org.antidote.corpus.DocumentStream;
import org.antidote.corpus.GroupSplit;
import org.antidote.corpus.HeldOut;
import org.antidote.corpus.ReadOptions;
import org.antidote.io.BadInputException;

/**
 * Prompts to continue: bundled sets (ToxiGen's evaluation prompts and held-out Davidson tweets,
 * never pre-trained on; the fortunes as an option), and loaders for the formats of
 * RealToxicityPrompts and ToxiGen.
 */
public final class Prompts {

  private Prompts() {}

  /**
   * A prompt.
   *
   * @param text the text to continue
   * @param set which set it belongs to ("toxic-leaning", "neutral", "addresses", a file name)
   * @param label 1 when it comes from a toxic text, 0 from a clean one, null when unknown
   */
  public record Prompt(String text, String set, Integer label) {}

  /** ToxiGen prompts are cut from the left to at most this many characters (whole statements). */
  public static final int TOXIGEN_MAX_CHARS = 240;

  /**
   * The bundled prompts, four sets of {@code perSet}: ToxiGen's evaluation prompts ({@code
   * toxigen-hate}, {@code toxigen-neutral}: a seeded sample spread evenly over the target groups,
   * each cut from the left by {@link #cutFromLeft} to {@value #TOXIGEN_MAX_CHARS} characters so
   * that prompt, safety instruction and continuation fit a small model's context), and the first
   * half (by words) of held-out Davidson tweets of its prompt partition ({@code davidson-toxic}:
   * hate and offensive, stratified; {@code davidson-neither}). ToxiGen's are drawn from every
   * target group: the evaluation draws them from the score side of its group split instead ({@link
   * #bundled(Corpora.Bundled, int, GroupSplit)}).
   */
  public static List<Prompt> bundled(Corpora.Bundled data, int perSet) {
    return bundled(data, perSet, data.toxigenPrompts());
  }

  /**
   * The same with ToxiGen's prompts drawn only from those that hold no statement of the fit side of
   * {@code groups} ({@link GroupSplit#scorable}): what the evaluation scores, so no method is
   * scored on a statement it was fitted on. Davidson's prompts are unaffected (their partition is
   * disjoint from the fitted ones by hash).
   */
  public static List<Prompt> bundled(Corpora.Bundled data, int perSet, GroupSplit groups) {
    return bundled(data, perSet, scorable(data.toxigenPrompts(), groups));
  }

  /**
   * The ToxiGen prompts among {@code prompts} that hold no fit-side statement of {@code groups}.
   */
  public static List<Document> scorable(List<Document> prompts, GroupSplit groups) {
    return prompts.stream().filter(d -> groups.scorable(statementsOf(d.text()))).toList();
  }

  /**
   * The hateful ToxiGen prompts of the fit side of {@code groups} (every statement of a fit group's
   * prompt is a fit statement), by group, cut from the left like the scored ones: DPO's prompts.
   */
  public static Map<String, List<String>> fitSideHate(Corpora.Bundled data, GroupSplit groups) {
    Map<String, List<String>> out = new TreeMap<>();
    for (Document d : data.toxigenPrompts()) {
      String group = String.valueOf(d.category());
      if (d.isToxic() && groups.fitGroups().contains(group)) {
        out.computeIfAbsent(group, g -> new ArrayList<>())
            .add(cutFromLeft(d.text(), TOXIGEN_MAX_CHARS));
      }
    }
    return out;
  }

  /**
   * One line on what the split keeps: its groups and statements per side, how many ToxiGen prompts
   * the score side keeps and how many are dropped from scoring (they hold fit-side statements).
   */
  public static String describeSplit(Corpora.Bundled data, GroupSplit groups) {
    List<Document> all = data.toxigenPrompts();
    int kept = scorable(all, groups).size();
    return String.format(
        Locale.ROOT,
        "ToxiGen group split, %s; ToxiGen prompts: %,d of %,d scorable, %,d dropped (they hold"
            + " fit-side statements)",
        groups.describe(),
        kept,
        all.size(),
        all.size() - kept);
  }

  private static List<Prompt> bundled(Corpora.Bundled data, int perSet, List<Document> toxigen) {
    List<Prompt> out = new ArrayList<>();
    for (int label : new int[] {Document.TOXIC, Document.CLEAN}) {
      List<Document> ofLabel = toxigen.stream().filter(d -> d.label() == label).toList();
      for (Document d : evenlyOverCategories(ofLabel, perSet, 1)) {
        out.add(
            new Prompt(
                cutFromLeft(d.text(), TOXIGEN_MAX_CHARS),
                label == Document.TOXIC ? "toxigen-hate" : "toxigen-neutral",
                label));
      }
    }
    List<Document> tweets = new ArrayList<>();
    try (DocumentStream s = data.davidson(HeldOut.Use.PROMPTS).open()) {
      s.forEachRemaining(tweets::add);
    }
    for (int label : new int[] {Document.TOXIC, Document.CLEAN}) {
      List<Document> ofLabel = tweets.stream().filter(d -> d.label() == label).toList();
      for (Document d : evenlyOverCategories(ofLabel, perSet, 1)) {
        out.add(
            new Prompt(
                firstWords(d.text(), Math.max(2, words(d.text()) / 2)),
                label == Document.TOXIC ? "davidson-toxic" : "davidson-neither",
                label));
      }
    }
    return out;
  }

  /**
   * The fortune prompts (the earlier default, now an option): the first half (by words) of {@code
   * perSet} held-out test texts of each class (toxic-leaning: offensive fortunes and insults;
   * neutral: clean fortunes and compliments), and the openings (first 24 words) of held-out State
   * of the Union addresses.
   */
  public static List<Prompt> fortunes(Corpora.Bundled data, int perSet) {
    List<Prompt> out = new ArrayList<>();
    for (Document d : data.balanced(HeldOut.Split.TEST, perSet)) {
      String half = firstWords(d.text(), Math.max(2, words(d.text()) / 2));
      out.add(new Prompt(half, d.isToxic() ? "toxic-leaning" : "neutral", d.label()));
    }
    try (DocumentStream s = Corpora.concat(List.of(data.sourceHeldOut("sotu")))) {
      for (int i = 0; i < perSet && s.hasNext(); i++) {
        out.add(new Prompt(firstWords(s.next().text(), 24), "addresses", 0));
      }
    }
    return out;
  }

  /**
   * {@code n} documents spread as evenly as they allow over their categories (ToxiGen's groups,
   * Davidson's classes), each category's share drawn by a shuffle seeded with {@code seed}.
   */
  static List<Document> evenlyOverCategories(List<Document> docs, int n, long seed) {
    TreeMap<String, List<Document>> byCategory = new TreeMap<>();
    for (Document d : docs) {
      byCategory.computeIfAbsent(String.valueOf(d.category()), k -> new ArrayList<>()).add(d);
    }
    Random rng = new Random(seed);
    List<Iterator<Document>> its = new ArrayList<>();
    for (List<Document> c : byCategory.values()) {
      List<Document> shuffled = new ArrayList<>(c);
      Collections.shuffle(shuffled, rng);
      its.add(shuffled.iterator());
    }
    List<Document> out = new ArrayList<>();
    boolean any = true;
    while (out.size() < n && any) {
      any = false;
      for (Iterator<Document> it : its) {
        if (out.size() < n && it.hasNext()) {
          out.add(it.next());
          any = true;
        }
      }
    }
    return out;
  }

  /**
   * The statements a ToxiGen prompt is made of ({@link Corpora#toxigenStatements}, which the group
   * split reads them with).
   */
  public static List<String> statementsOf(String toxigenPrompt) {
    return Corpora.toxigenStatements(toxigenPrompt);
  }

  /**
   * A ToxiGen prompt ("- s1\n- s2\n...\n-") cut from the left to at most {@code maxChars}: its
   * first statements are dropped, whole, until the rest fits; the last statement and the closing
   * "-" the model continues are always kept.
   */
  public static String cutFromLeft(String prompt, int maxChars) {
    List<String> lines = new ArrayList<>(List.of(prompt.split("\n")));
    while (lines.size() > 2 && String.join("\n", lines).length() > maxChars) {
      lines.remove(0);
    }
    return String.join("\n", lines);
  }

  /**
   * RealToxicityPrompts JSONL: {@code {"prompt": {"text": ..., "toxicity": ...}, ...}} per line.
   */
  public static List<Prompt> realToxicityPrompts(Path jsonl) {
    List<Prompt> out = new ArrayList<>();
    ReadOptions options =
        ReadOptions.defaults()
            .withFormat(ReadOptions.Format.JSONL)
            .withTextField("prompt.text")
            .withLabelField("prompt.toxicity");
    try (DocumentReader r = DocumentReader.open(jsonl, options)) {
      r.forEachRemaining(
          d -> out.add(new Prompt(d.text(), jsonl.getFileName().toString(), d.label())));
    }
    return nonEmpty(out, jsonl);
  }

  /**
   * ToxiGen prompt files: plain text, one prompt per line or per blank-line block; or CSV/JSONL
   * with a "text" column.
   */
  public static List<Prompt> toxiGen(Path file) {
    List<Prompt> out = new ArrayList<>();
    ReadOptions options = ReadOptions.defaults();
    if (DocumentReader.detect(file) == ReadOptions.Format.TEXT) {
      try (DocumentReader r = DocumentReader.open(file, options)) {
        r.forEachRemaining(
            d -> {
              for (String l : d.text().split("\n")) {
                String t = l.strip().replaceFirst("^-\\s*", "");
                if (!t.isEmpty()) {
                  out.add(new Prompt(t, file.getFileName().toString(), null));
                }
              }
            });
      }
    } else {
      try (DocumentReader r = DocumentReader.open(file, options)) {
        r.forEachRemaining(
            d -> out.add(new Prompt(d.text(), file.getFileName().toString(), d.label())));
      }
    }
    return nonEmpty(out, file);
  }

  private static List<Prompt> nonEmpty(List<Prompt> prompts, Path file) {
    if (prompts.isEmpty()) {
      throw BadInputException.in(file, "holds no prompts");
    }
    return prompts;
  }

  private static int words(String s) {
    return s.strip().split("\\s+").length;
  }

  static String firstWords(String s, int n) {
    String[] w = s.strip().split("\\s+");
    return String.join(" ", Arrays.copyOf(w, Math.min(n, w.length)));
  }
}
