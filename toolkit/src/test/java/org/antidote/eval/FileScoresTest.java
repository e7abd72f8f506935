package org.antidote.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.antidote.corpus.ReadOptions;
import org.antidote.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./antidote score}'s computation on small labelled files. */
class FileScoresTest {

  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  /** A scorer that reads the score written in the text: "... s=0.8". */
  private static final ToxicityScorer WRITTEN =
      new ToxicityScorer() {
        @Override
        public String id() {
          return "written";
        }

        @Override
        public double[] score(List<String> texts) {
          return texts.stream()
              .mapToDouble(t -> Double.parseDouble(t.substring(t.indexOf("s=") + 2)))
              .toArray();
        }
      };

  @TempDir Path tmp;

  @Test
  void aucAndBalancedAccuracyOfALabelledCsvWithNamedLabels() throws Exception {
    Path csv = tmp.resolve("mine.csv");
    // Toxic scores 0.9, 0.6, 0.3; clean 0.7, 0.2, 0.1, 0.05. Of the 12 toxic-clean pairs the toxic
    // one scores higher in 10: AUC 10/12. Above 0.5: 2 of 3 toxic, 1 of 4 clean wrongly, so the
    // balanced accuracy is (2/3 + 3/4) / 2.
    Files.writeString(
        csv,
        "id,comment,verdict\n"
            + "1,first s=0.9,hateful\n2,\"second, with a comma s=0.7\",fine\n3,third s=0.6,Hateful\n4,fourth s=0.2,fine\n"
            + "5,fifth s=0.3,hateful\n6,sixth s=0.1,fine\n7,seventh s=0.05,fine\n");
    ReadOptions options =
        ReadOptions.defaults()
            .withTextField("comment")
            .withLabelField("verdict")
            .withToxicLabels(List.of("hateful"));
    Path out = tmp.resolve("scores.jsonl");
    FileScores r = FileScores.score(csv, options, WRITTEN, out, QUIET);
    assertEquals(7, r.count());
    assertEquals((0.9 + 0.7 + 0.6 + 0.2 + 0.3 + 0.1 + 0.05) / 7, r.mean(), 1e-12);
    assertEquals(7, r.labelled());
    assertEquals(3, r.toxic());
    assertEquals(10.0 / 12, r.auc(), 1e-12);
    assertEquals((2.0 / 3 + 3.0 / 4) / 2, r.balancedAccuracy(), 1e-12);

    List<String> lines = Files.readAllLines(out);
    assertEquals(7, lines.size());
    assertEquals(
        "{\"text\":\"first s=0.9\",\"score\":0.9,\"label\":1}",
        lines.get(0),
        "text, score, label, in input order");
    assertEquals(
        "{\"text\":\"second, with a comma s=0.7\",\"score\":0.7,\"label\":0}", lines.get(1));
    assertEquals(
        1,
        ((Number) Json.MAPPER.readValue(lines.get(2), Map.class).get("label")).intValue(),
        "names ignore case");
  }

  @Test
  void davidsonsClassesAsToxicLabelsAndAFileWithoutLabels() throws Exception {
    Path jsonl = tmp.resolve("tweets.jsonl");
    Files.writeString(
        jsonl,
        "{\"tweet\": \"a s=0.8\", \"class\": 0}\n{\"tweet\": \"b s=0.4\", \"class\": 1}\n"
            + "{\"tweet\": \"c s=0.3\", \"class\": 2}\n{\"tweet\": \"d s=0.6\", \"class\": 2}\n");
    FileScores r =
        FileScores.score(
            jsonl,
            ReadOptions.defaults()
                .withTextField("tweet")
                .withLabelField("class")
                .withToxicLabels(List.of("0", "1")),
            WRITTEN,
            null,
            QUIET);
    assertEquals(2, r.toxic());
    assertEquals(0.75, r.auc(), 1e-12); // pairs (0.8>0.3, 0.8>0.6, 0.4>0.3, 0.4<0.6)
    assertEquals(0.5, r.balancedAccuracy(), 1e-12);

    Path plain = tmp.resolve("plain.txt");
    Files.writeString(plain, "one s=0.2\n\ntwo s=0.4\n");
    Path out = tmp.resolve("plain.jsonl");
    FileScores u = FileScores.score(plain, ReadOptions.defaults(), WRITTEN, out, QUIET);
    assertEquals(2, u.count());
    assertEquals(0, u.labelled());
    assertTrue(Double.isNaN(u.auc()));
    assertTrue(u.toString().contains("no labels"), u.toString());
    assertEquals(
        "{\"text\":\"one s=0.2\",\"score\":0.2}",
        Files.readAllLines(out).get(0),
        "no label field without a label");
  }
}
