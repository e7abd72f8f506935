package org.antidote.probe;

import ai.djl.Device;
import java.util.List;
import java.util.Locale;
import org.antidote.corpus.Document;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.io.Checksums;
import org.antidote.plot.Displayable;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What a probe could get from the surface of a text alone, fitted on the same split as the heads'
 * probes: a format-only classifier (the last character, length, punctuation, capitals) and one that
 * also sees the last word. Where a head scores no better than these, it may be reading how texts
 * end rather than what they say (a set whose toxic texts end in {@code ]} gave a last-character
 * lookup 0.685). Both are the probes' own logistic regression ({@link Probes}) on these features.
 *
 * @param formatOnly the format-only classifier's validation scores
 * @param withLastWord the format and last-word classifier's validation scores
 * @param majorityRate the share of the larger class among the validation texts: what always
 *     answering that class scores
 * @param trainTexts texts fitted on
 * @param validationTexts texts scored
 */
public record SurfaceBaseline(
    Score formatOnly, Score withLastWord, double majorityRate, int trainTexts, int validationTexts)
    implements Displayable {

  /** Characters whose presence as the last character is a feature of its own. */
  static final String LAST_CHARS = ".!?\"')]:;,-*";

  /** Hash buckets of the last word. */
  static final int WORD_BUCKETS = 64;

  /** Format features: last-character classes, then eight counts and rates. */
  static final int FORMAT_DIM = LAST_CHARS.length() + 4 + 8;

  /**
   * One classifier's validation scores.
   *
   * @param name what it sees
   * @param accuracy plain accuracy
   * @param balancedAccuracy the mean of the two classes' recalls (one half at chance, whatever the
   *     balance)
   * @param auc ROC AUC
   */
  public record Score(String name, double accuracy, double balancedAccuracy, double auc) {}

  /**
   * Both baselines on the labelled documents of {@code texts} (the unlabelled ones are left out, as
   * the probes leave them out), split as {@code config} splits the probes.
   */
  public static SurfaceBaseline fit(List<Document> texts, ProbeConfig config) {
    List<Document> labelled = texts.stream().filter(d -> d.label() != null).toList();
    return fit(
        labelled.stream().map(Document::text).toList(),
        labelled.stream().mapToInt(Document::label).toArray(),
        config);
  }

  /**
   * Both baselines on {@code texts} with labels 1 toxic / 0 clean, split as {@code config} splits
   * the probes.
   */
  public static SurfaceBaseline fit(List<String> texts, int[] labels, ProbeConfig config) {
    Check.input(
        texts.size() == labels.length, texts.size() + " texts but " + labels.length + " labels");
    Score format =
        score(
            "format only (last character, length, punctuation, capitals)",
            features(texts, false),
            FORMAT_DIM,
            labels,
            config);
    Score word =
        score(
            "format + last word", features(texts, true), FORMAT_DIM + WORD_BUCKETS, labels, config);
    int[][] split = Probes.split(labels, config);
    int toxic = 0;
    for (int i : split[1]) {
      toxic += labels[i];
    }
    double majority = Math.max(toxic, split[1].length - toxic) / (double) split[1].length;
    return new SurfaceBaseline(format, word, majority, split[0].length, split[1].length);
  }

  private static Score score(String name, float[] x, int dim, int[] labels, ProbeConfig config) {
    Activations acts = Activations.of(1, 1, dim, x, labels, new String[labels.length]);
    Probes.Fit fit = Probes.fitWithScores(acts, config, Device.cpu());
    int[] val = fit.result().validationRows();
    double[] s = fit.validationScores()[0];
    int[] y = new int[val.length];
    for (int i = 0; i < val.length; i++) {
      y[i] = labels[val[i]];
    }
    return new Score(
        name, fit.result().accuracy()[0], balancedAccuracy(s, y), fit.result().auc()[0]);
  }

  /** The mean of the recalls of both classes when {@code score > 0} means toxic. */
  public static double balancedAccuracy(double[] score, int[] labels) {
    int[] n = new int[2];
    int[] right = new int[2];
    for (int i = 0; i < score.length; i++) {
      n[labels[i]]++;
      right[labels[i]] += (score[i] > 0 ? 1 : 0) == labels[i] ? 1 : 0;
    }
    if (n[0] == 0 || n[1] == 0) {
      throw new BadInputException(
          "balanced accuracy needs texts of both classes; got "
              + n[1]
              + " toxic and "
              + n[0]
              + " clean");
    }
    return 0.5 * ((double) right[0] / n[0] + (double) right[1] / n[1]);
  }

  /** Row-major features, {@code [texts, dim]}. */
  static float[] features(List<String> texts, boolean lastWord) {
    int dim = FORMAT_DIM + (lastWord ? WORD_BUCKETS : 0);
    float[] out = new float[texts.size() * dim];
    for (int t = 0; t < texts.size(); t++) {
      float[] f = format(texts.get(t));
      System.arraycopy(f, 0, out, t * dim, f.length);
      if (lastWord) {
        String w = lastWord(texts.get(t));
        if (!w.isEmpty()) {
          out[t * dim + FORMAT_DIM + bucket(w)] = 1f;
        }
      }
    }
    return out;
  }

  /** The format features of one text. */
  static float[] format(String text) {
    float[] f = new float[FORMAT_DIM];
    String s = text.strip();
    if (!s.isEmpty()) {
      int last = s.codePointBefore(s.length());
      int at = LAST_CHARS.indexOf(last);
      if (at >= 0) {
        f[at] = 1f;
      } else if (Character.isLowerCase(last)) {
        f[LAST_CHARS.length()] = 1f;
      } else if (Character.isUpperCase(last)) {
        f[LAST_CHARS.length() + 1] = 1f;
      } else if (Character.isDigit(last)) {
        f[LAST_CHARS.length() + 2] = 1f;
      } else {
        f[LAST_CHARS.length() + 3] = 1f;
      }
    }
    int chars = Math.max(1, s.length());
    int upper = 0;
    int letters = 0;
    int punct = 0;
    int excl = 0;
    int quest = 0;
    int lines = 1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isLetter(c)) {
        letters++;
        upper += Character.isUpperCase(c) ? 1 : 0;
      } else if (c == '\n') {
        lines++;
      } else if (!Character.isWhitespace(c) && !Character.isDigit(c)) {
        punct++;
        excl += c == '!' ? 1 : 0;
        quest += c == '?' ? 1 : 0;
      }
    }
    int words = s.isEmpty() ? 0 : s.split("\\s+").length;
    int k = LAST_CHARS.length() + 4;
    f[k] = (float) Math.log1p(s.length());
    f[k + 1] = (float) Math.log1p(words);
    f[k + 2] = (float) punct / chars;
    f[k + 3] = letters == 0 ? 0f : (float) upper / letters;
    f[k + 4] = (float) Math.log1p(excl);
    f[k + 5] = (float) Math.log1p(quest);
    f[k + 6] = (float) Math.log1p(lines - 1);
    f[k + 7] = !s.isEmpty() && Character.isUpperCase(s.codePointAt(0)) ? 1f : 0f;
    return f;
  }

  /** The last word, lower-cased, without the punctuation around it. */
  static String lastWord(String text) {
    String[] words = text.strip().split("\\s+");
    for (int i = words.length - 1; i >= 0; i--) {
      String w =
          words[i].replaceAll("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$", "").toLowerCase(Locale.ROOT);
      if (!w.isEmpty()) {
        return w;
      }
    }
    return "";
  }

  private static int bucket(String word) {
    // A content hash, not String.hashCode: the same bucket on every JVM.
    return Integer.parseUnsignedInt(Checksums.sha256(word).substring(0, 7), 16) % WORD_BUCKETS;
  }

  /** The majority rate of a set of labels. */
  public static double majorityRate(int[] labels) {
    int toxic = 0;
    for (int y : labels) {
      toxic += y;
    }
    return labels.length == 0
        ? Double.NaN
        : Math.max(toxic, labels.length - toxic) / (double) labels.length;
  }

  @Override
  public Table table() {
    Table t =
        Table.create(
            "surface baselines (same split as the probes; chance 0.5 balanced, majority "
                + String.format(Locale.ROOT, "%.3f", majorityRate)
                + ")",
            StringColumn.create("classifier"),
            DoubleColumn.create("accuracy"),
            DoubleColumn.create("balanced accuracy"),
            DoubleColumn.create("auc"),
            IntColumn.create("validation texts"));
    for (Score s : List.of(formatOnly, withLastWord)) {
      t.stringColumn(0).append(s.name());
      t.doubleColumn(1).append(s.accuracy());
      t.doubleColumn(2).append(s.balancedAccuracy());
      t.doubleColumn(3).append(s.auc());
      t.intColumn(4).append(validationTexts);
    }
    return t;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "surface baselines on %d validation texts (majority rate %.3f): format only %.3f "
            + "balanced accuracy (AUC %.3f), with the last word %.3f (AUC %.3f)",
        validationTexts,
        majorityRate,
        formatOnly.balancedAccuracy(),
        formatOnly.auc(),
        withLastWord.balancedAccuracy(),
        withLastWord.auc());
  }
}
