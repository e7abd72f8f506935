package org.antidote.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.antidote.corpus.Document;
import org.antidote.eval.ScorerSpec;
import org.antidote.model.Preset;
import org.antidote.model.Transformer;
import org.antidote.probe.Activations;
import org.antidote.probe.CaptureConfig;
import org.antidote.study.RunsEvaluation;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.BpeTrainerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged cache is never reused: activations and evaluation results that were truncated,
 * corrupted or edited (their checksum no longer matches) are computed again, with a note saying so,
 * and the recomputed values are the ones an undamaged run gives.
 */
class CorruptCacheTest {

  @TempDir Path tmp;

  @Test
  void damagedActivationsAreCapturedAgainWithANote() throws Exception {
    List<Document> texts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      texts.add(
          new Document(
              (i % 2 == 0 ? "rude rude words " : "the calm sea ") + i, "test", i % 2, null));
    }
    BpeTokenizer tok =
        BpeTokenizer.train(texts.stream().map(Document::text).iterator(), BpeTrainerConfig.of(300));
    CaptureConfig capture =
        new CaptureConfig(CaptureConfig.Position.LAST, 8, 32, 16); // 16 texts a chunk: 3 chunks
    Path dir = tmp.resolve("activations");
    try (Transformer model =
        Transformer.create(Preset.parse("tiny").config(tok.vocabSize()), 1, Device.cpu())) {
      Function<String, float[]> captureSaying =
          expected -> {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            Activations a =
                Activations.capture(
                    model,
                    "tiny",
                    tok,
                    texts,
                    capture,
                    dir,
                    new PrintStream(log, true, StandardCharsets.UTF_8));
            String said = log.toString(StandardCharsets.UTF_8);
            assertTrue(said.contains(expected), "expected '" + expected + "' in:\n" + said);
            float[] all = new float[a.count() * a.dHead()];
            for (int i = 0; i < a.count(); i++) {
              System.arraycopy(a.head(i, 1, 2), 0, all, i * a.dHead(), a.dHead());
            }
            return all;
          };
      float[] fresh = captureSaying.apply("capturing activations");
      assertArrayEquals(fresh, captureSaying.apply("reusing activations"));

      Path chunk = dir.resolve("chunk-0001.safetensors");
      byte[] bytes = Files.readAllBytes(chunk);
      Files.write(chunk, Arrays.copyOf(bytes, bytes.length / 2));
      assertArrayEquals(
          fresh,
          captureSaying.apply("note: the activation cache in " + dir + " is damaged"),
          "a truncated chunk");

      bytes = Files.readAllBytes(chunk);
      bytes[bytes.length - 5] ^=
          0x40; // the same length, one value changed: only the checksum notices
      Files.write(chunk, bytes);
      assertArrayEquals(fresh, captureSaying.apply("checksum does not match"), "a changed chunk");

      Path manifest = dir.resolve("manifest.json");
      Files.writeString(manifest, Files.readString(manifest).substring(0, 80));
      assertArrayEquals(
          fresh,
          captureSaying.apply("manifest.json: not a valid Manifest"),
          "a truncated manifest");
      assertArrayEquals(fresh, captureSaying.apply("reusing activations"), "repaired");
    }
  }

  @Test
  void damagedEvaluationResultsAreEvaluatedAgainWithANote() throws Exception {
    StringBuilder clean = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      clean
          .append("{\"text\": \"the ship sailed north and the crew sang of home, line ")
          .append(i)
          .append("\"}\n");
    }
    Files.writeString(tmp.resolve("clean.jsonl"), clean);
    Path mix = tmp.resolve("mix");
    Path run = tmp.resolve("run");
    for (String[] step :
        List.of(
            new String[] {
              "data",
              "mix",
              "--clean",
              tmp + "/clean.jsonl",
              "--toxic-share",
              "0",
              "--out",
              mix.toString()
            },
            new String[] {"data", "tokenize", "--mix", mix.toString(), "--vocab-size", "300"},
            new String[] {
              "train",
              "--data",
              mix.toString(),
              "--out",
              run.toString(),
              "--preset",
              "tiny",
              "--steps",
              "2",
              "--batch-size",
              "2",
              "--context",
              "64",
              "--eval-batches",
              "1"
            })) {
      BadInputTest.Outcome o = BadInputTest.run(step);
      assertEquals(0, o.exit(), o.err());
    }
    Path out = tmp.resolve("eval");
    RunsEvaluation.Plan plan =
        RunsEvaluation.Plan.builder()
            .promptsPerSet(2)
            .samplesPerPrompt(1)
            .cleanTexts(5)
            .minimalPairs(0)
            .probeTextsPerClass(30)
            .headFraction(0.5)
            .alphas(List.of())
            .sftSteps(0)
            .build();
    Function<String, List<?>> evaluateSaying =
        expected -> {
          ByteArrayOutputStream log = new ByteArrayOutputStream();
          List<RunsEvaluation.RunResult> r =
              RunsEvaluation.run(
                  List.of(run),
                  out,
                  ScorerSpec.parse("lexicon"),
                  plan,
                  1,
                  Device.cpu(),
                  new PrintStream(log, true, StandardCharsets.UTF_8));
          String said = log.toString(StandardCharsets.UTF_8);
          assertTrue(said.contains(expected), "expected '" + expected + "' in:\n" + said);
          return RunsEvaluation.rows(r);
        };
    List<?> fresh = evaluateSaying.apply("");
    Path cache = out.resolve("run.json");
    assertEquals(fresh, evaluateSaying.apply("evaluated before, reusing"));

    String json = Files.readString(cache);
    Files.writeString(cache, json.substring(0, json.length() / 2));
    assertEquals(
        fresh,
        evaluateSaying.apply("note: the evaluation cache is damaged (" + cache + ": not a valid"),
        "a truncated cache");

    json = Files.readString(cache);
    String edited = json.replaceFirst("\"crossEntropy\" : [0-9.]+", "\"crossEntropy\" : 0.125");
    assertFalse(edited.equals(json), "the test edits a number it finds");
    Files.writeString(cache, edited);
    assertEquals(
        fresh, evaluateSaying.apply("its rows do not match their checksum"), "an edited cache");
    assertEquals(fresh, evaluateSaying.apply("evaluated before, reusing"), "repaired");
  }
}
