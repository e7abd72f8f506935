package org.antidote.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.antidote.corpus.Corpora;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;

/**
 * The transparent baseline anyone can audit: a text's score is that of the surest profanity it
 * contains. Words come from npm {@code cuss} (rated 0 maybe, 1 likely, 2 surely profane; scored
 * 0.25, 0.6, 1.0) and {@code naughty-words} (scored 1.0); multi-word entries match as phrases.
 */
public final class LexiconScorer implements ToxicityScorer {

  private static final double[] RATING_SCORE = {0.25, 0.6, 1.0};
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");

  private final Map<String, Double> words = new HashMap<>();
  private final Map<String, Double> phrases = new HashMap<>();

  /** A scorer over word scores in [0, 1] (lower-case keys; keys with spaces are phrases). */
  public LexiconScorer(Map<String, Double> scores) {
    scores.forEach(
        (w, s) -> {
          if (!(s >= 0 && s <= 1)) { // an if, not Check: no message is built per word
            throw new BadInputException("lexicon score of '" + w + "' must be in [0, 1], got " + s);
          }
          String k = w.toLowerCase(Locale.ROOT).strip();
          (k.contains(" ") ? phrases : words).merge(k, s, Math::max);
        });
    Check.input(!words.isEmpty() || !phrases.isEmpty(), "an empty lexicon scores nothing");
  }

  /** The bundled lexicons (fetched with the data). */
  public static LexiconScorer bundled() {
    Corpora.Bundled data = Corpora.bundled();
    Map<String, Double> scores = new HashMap<>();
    data.cussLexicon()
        .forEach((w, r) -> scores.merge(w, RATING_SCORE[Math.max(0, Math.min(2, r))], Math::max));
    data.naughtyWords().forEach(w -> scores.merge(w, 1.0, Math::max));
    return new LexiconScorer(scores);
  }

  @Override
  public String id() {
    return "lexicon(cuss+naughty-words, " + (words.size() + phrases.size()) + " entries)";
  }

  @Override
  public double[] score(List<String> texts) {
    double[] out = new double[texts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = score(texts.get(i));
    }
    return out;
  }

  /** The score of one text: the highest score of any entry it contains (0 if none). */
  public double score(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    double best = 0;
    Matcher m = WORD.matcher(lower);
    while (m.find()) {
      best = Math.max(best, words.getOrDefault(m.group(), 0.0));
    }
    if (best < 1 && !phrases.isEmpty()) {
      String spaced =
          " " + String.join(" ", WORD.matcher(lower).results().map(r -> r.group()).toList()) + " ";
      for (Map.Entry<String, Double> p : phrases.entrySet()) {
        if (p.getValue() > best && spaced.contains(" " + p.getKey() + " ")) {
          best = p.getValue();
        }
      }
    }
    return best;
  }

  /** The entries that matched in {@code text}, for auditing a score. */
  public List<String> matches(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return WORD.matcher(lower)
        .results()
        .map(r -> r.group())
        .filter(words::containsKey)
        .distinct()
        .toList();
  }
}
