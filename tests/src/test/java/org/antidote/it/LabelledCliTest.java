package org.antidote.it;

import static org.antidote.it.CliTest.antidote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.antidote.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labelled files of the user's own from the command line: {@code score} and {@code probe
 * --labelled} with the shared {@code --text-field / --label-field / --toxic-label} flags, the
 * balanced draw and the surface baselines.
 */
class LabelledCliTest {

  @TempDir Path tmp;

  @Test
  void scoreComputesAucOnASmallLabelledFile() throws Exception {
    Path csv = tmp.resolve("mine.csv");
    Files.writeString(
        csv,
        "comment,verdict\n"
            + "\"you are a fucking idiot\",hateful\n\"shut up, you stupid bitch\",hateful\n\"what a shit show, asshole\",hateful\n"
            + "\"what a lovely morning\",fine\n\"thank you for the flowers\",fine\n\"the train leaves at nine\",fine\n");
    Path out = tmp.resolve("scores.jsonl");
    CliTest.Result r =
        antidote(
            "score",
            csv.toString(),
            "--text-field",
            "comment",
            "--label-field",
            "verdict",
            "--toxic-label",
            "hateful",
            "--scorer",
            "lexicon",
            "--out",
            out.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(
        r.out().contains("6 texts") && r.out().contains("6 labelled (3 toxic): AUC 1.0000"),
        r.out());
    List<String> lines = Files.readAllLines(out);
    assertEquals(6, lines.size());
    JsonNode first = Json.MAPPER.readTree(lines.get(0));
    assertEquals("you are a fucking idiot", first.path("text").asText());
    assertEquals(1, first.path("label").asInt());
    assertTrue(first.path("score").asDouble() > 0.5, lines.get(0));

    CliTest.Result bad = antidote("score", csv.toString(), "--text-field", "body");
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("no column named \"body\""), bad.err());
  }

  @Test
  void probeOnAnUnbalancedFileBalancesItAndShowsTheSurfaceBaselines() throws Exception {
    Random rng = new Random(1);
    String[] words = {
      "the", "ship", "sailed", "north", "and", "crew", "sang", "of", "home", "sea", "wind", "stars"
    };
    StringBuilder clean = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      clean.append("{\"text\": \"");
      for (int k = 0; k < 8 + rng.nextInt(20); k++) {
        clean.append(words[rng.nextInt(words.length)]).append(' ');
      }
      clean.append("doc ").append(i).append("\"}\n");
    }
    Path mixIn = Files.writeString(tmp.resolve("clean.jsonl"), clean.toString());
    Path run = CliTest.tinyRun(tmp, 5, "--clean", mixIn.toString(), "--toxic-share", "0");

    // 69 % of one class, labels given as names.
    StringBuilder labelled = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      boolean toxic = i % 100 < 69;
      labelled
          .append("{\"body\": \"")
          .append(toxic ? "rude remark" : "kind word")
          .append(' ')
          .append(i)
          .append(toxic ? " you fool!" : " my friend.")
          .append("\", \"kind\": \"")
          .append(toxic ? "hateful" : "benign")
          .append("\"}\n");
    }
    Path file = Files.writeString(tmp.resolve("labelled.jsonl"), labelled.toString());
    CliTest.Result probe =
        antidote(
            "probe",
            "--run",
            run.toString(),
            "--labelled",
            file.toString(),
            "--text-field",
            "body",
            "--label-field",
            "kind",
            "--toxic-label",
            "hateful");
    assertEquals(0, probe.exit(), probe.err());
    assertTrue(
        probe.out().contains("kept 62 of each class, dropped 76 of 200 labelled texts"),
        probe.out());
    assertTrue(probe.out().contains("majority rate of the validation texts: 0.500"), probe.out());
    JsonNode surface =
        Json.MAPPER.readTree(run.resolve("probes/probes.json").toFile()).path("surface");
    // The planted ending gives the class away: the format-only baseline finds it.
    assertEquals(
        1.0,
        surface.path("formatOnly").path("balancedAccuracy").asDouble(),
        1e-9,
        surface.toString());
    assertTrue(surface.has("withLastWord"), surface.toString());

    CliTest.Result all =
        antidote(
            "probe",
            "--run",
            run.toString(),
            "--out",
            tmp.resolve("all").toString(),
            "--labelled",
            file.toString(),
            "--text-field",
            "body",
            "--label-field",
            "kind",
            "--toxic-label",
            "hateful",
            "--no-balance");
    assertEquals(0, all.exit(), all.err());
    assertTrue(all.out().contains("all 200 texts, unbalanced"), all.out());
    assertTrue(all.out().contains("majority rate of the validation texts: 0.700"), all.out());
  }
}
