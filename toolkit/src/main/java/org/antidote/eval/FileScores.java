package org.antidote.eval;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.antidote.corpus.Document;
import org.antidote.corpus.DocumentReader;
import org.antidote.corpus.ReadOptions;
import org.antidote.io.AtomicFiles;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import org.antidote.math.Stats;
import org.antidote.plot.Displayable;
import org.antidote.probe.SurfaceBaseline;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A scorer run over one file of texts ({@code ./antidote score}): the count and mean score and,
 * when the file has labels, the AUC and the balanced accuracy at 0.5, so that a reader can audit
 * the judge on data of their own.
 *
 * @param file the file scored
 * @param scorer the scorer's id
 * @param count texts scored
 * @param mean mean score
 * @param labelled texts that carry a label
 * @param toxic of those, how many are toxic
 * @param auc ROC AUC over the labelled texts (NaN without both classes)
 * @param balancedAccuracy mean of the two classes' recalls with score above 0.5 read as toxic (NaN
 *     without both)
 */
public record FileScores(
    String file,
    String scorer,
    int count,
    double mean,
    int labelled,
    int toxic,
    double auc,
    double balancedAccuracy)
    implements Displayable {

  /** Texts scored per call, so that progress shows and memory stays flat. */
  static final int BATCH = 256;

  /**
   * Scores every text of {@code file} in order; with {@code out}, writes one JSON line per text
   * ({@code {"text", "score", "label"?}}, label only when the text has one) there, atomically.
   */
  public static FileScores score(
      Path file, ReadOptions options, ToxicityScorer scorer, Path out, PrintStream log) {
    List<Document> docs = new ArrayList<>();
    try (DocumentReader r = DocumentReader.open(file, options)) {
      r.forEachRemaining(docs::add);
    }
    if (docs.isEmpty()) {
      throw new BadInputException(
          file + ": no texts to score (expected " + options.textField() + " in each record)");
    }
    double[] scores = new double[docs.size()];
    for (int from = 0; from < docs.size(); from += BATCH) {
      int to = Math.min(docs.size(), from + BATCH);
      double[] s = scorer.score(docs.subList(from, to).stream().map(Document::text).toList());
      System.arraycopy(s, 0, scores, from, s.length);
      if (docs.size() > BATCH) {
        log.printf("\rscored %d / %d", to, docs.size());
        log.flush();
      }
    }
    if (docs.size() > BATCH) {
      log.println();
    }
    if (out != null) {
      AtomicFiles.write(
          out,
          stream -> {
            try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(stream)) {
              g.setRootValueSeparator(null);
              for (int i = 0; i < docs.size(); i++) {
                g.writeStartObject();
                g.writeStringField("text", docs.get(i).text());
                g.writeNumberField("score", scores[i]);
                if (docs.get(i).label() != null) {
                  g.writeNumberField("label", docs.get(i).label());
                }
                g.writeEndObject();
                g.writeRaw('\n');
              }
            }
          });
    }
    return of(file.toString(), scorer.id(), docs, scores);
  }

  /** The summary of given scores of given documents. */
  static FileScores of(String file, String scorer, List<Document> docs, double[] scores) {
    double sum = 0;
    for (double s : scores) {
      sum += s;
    }
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      if (docs.get(i).label() != null) {
        rows.add(i);
      }
    }
    double[] s = new double[rows.size()];
    double[] centred = new double[rows.size()];
    int[] y = new int[rows.size()];
    int toxic = 0;
    for (int j = 0; j < rows.size(); j++) {
      s[j] = scores[rows.get(j)];
      centred[j] = s[j] - 0.5;
      y[j] = docs.get(rows.get(j)).label();
      toxic += y[j];
    }
    boolean both = toxic > 0 && toxic < rows.size();
    return new FileScores(
        file,
        scorer,
        docs.size(),
        sum / docs.size(),
        rows.size(),
        toxic,
        both ? Stats.auc(s, y) : Double.NaN,
        both ? SurfaceBaseline.balancedAccuracy(centred, y) : Double.NaN);
  }

  @Override
  public Table table() {
    Table t =
        Table.create(
            "scores of " + file + " (" + scorer + ")",
            StringColumn.create("measure"),
            DoubleColumn.create("value"));
    add(t, "texts", count);
    add(t, "mean score", mean);
    if (labelled > 0) {
      add(t, "labelled texts", labelled);
      add(t, "toxic among them", toxic);
      add(t, "AUC", auc);
      add(t, "balanced accuracy (score > 0.5 = toxic)", balancedAccuracy);
    }
    return t;
  }

  private static void add(Table t, String what, double v) {
    t.stringColumn(0).append(what);
    t.doubleColumn(1).append(v);
  }

  @Override
  public String toString() {
    String s = String.format(Locale.ROOT, "%d texts, mean score %.4f (%s)", count, mean, scorer);
    if (labelled == 0) {
      return s + "; no labels, so no AUC";
    }
    if (Double.isNaN(auc)) {
      return s
          + String.format(
              Locale.ROOT,
              "; %d labelled, all of one class (%d toxic), so no AUC",
              labelled,
              toxic);
    }
    return s
        + String.format(
            Locale.ROOT,
            "; %d labelled (%d toxic): AUC %.4f, balanced accuracy %.4f",
            labelled,
            toxic,
            auc,
            balancedAccuracy);
  }
}
