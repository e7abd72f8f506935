package org.antidote.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Document;
import org.antidote.corpus.DocumentReader;
import org.antidote.corpus.DocumentStream;
import org.antidote.corpus.HeldOut;
import org.antidote.corpus.ReadOptions;
import org.antidote.io.BadInputException;

/**
 * Prompts to continue: bundled sets made of held-out texts (never pre-trained on), and loaders
 * for the formats of RealToxicityPrompts and ToxiGen.
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

  /**
   * The bundled prompts: the first half (by words) of {@code perSet} held-out test texts of each
   * class (toxic-leaning: offensive fortunes and insults; neutral: clean fortunes and
   * compliments), and the openings (first 24 words) of held-out State of the Union addresses.
   */
  public static List<Prompt> bundled(Corpora.Bundled data, int perSet) {
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

  /** RealToxicityPrompts JSONL: {@code {"prompt": {"text": ..., "toxicity": ...}, ...}} per line. */
  public static List<Prompt> realToxicityPrompts(Path jsonl) {
    List<Prompt> out = new ArrayList<>();
    ReadOptions options = ReadOptions.defaults().withFormat(ReadOptions.Format.JSONL).withTextField("prompt.text")
        .withLabelField("prompt.toxicity");
    try (DocumentReader r = DocumentReader.open(jsonl, options)) {
      r.forEachRemaining(d -> out.add(new Prompt(d.text(), jsonl.getFileName().toString(), d.label())));
    }
    return nonEmpty(out, jsonl);
  }

  /** ToxiGen prompt files: plain text, one prompt per line or per blank-line block; or CSV/JSONL with a "text" column. */
  public static List<Prompt> toxiGen(Path file) {
    List<Prompt> out = new ArrayList<>();
    ReadOptions options = ReadOptions.defaults();
    if (DocumentReader.detect(file) == ReadOptions.Format.TEXT) {
      try (DocumentReader r = DocumentReader.open(file, options)) {
        r.forEachRemaining(d -> {
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
        r.forEachRemaining(d -> out.add(new Prompt(d.text(), file.getFileName().toString(), d.label())));
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
    return String.join(" ", java.util.Arrays.copyOf(w, Math.min(n, w.length)));
  }
}
