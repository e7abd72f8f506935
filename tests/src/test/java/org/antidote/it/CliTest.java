package org.antidote.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.antidote.io.Json;
import org.antidote.tokenize.PackedTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as users and scripts call it: a separate JVM, exit codes, messages, files. */
class CliTest {

  @TempDir Path tmp;
  Path clean;
  Path toxic;

  record Result(int exit, String out, String err) {}

  static Result antidote(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                "org.antidote.cli.Main"));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("cli-out", ".txt");
    Path err = Files.createTempFile("cli-err", ".txt");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the command did not finish: " + cmd);
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @BeforeEach
  void corpora() throws IOException {
    Random r = new Random(1);
    String[] words = {
      "the", "ship", "sailed", "north", "and", "crew", "sang", "of", "home", "sea", "wind", "stars"
    };
    StringBuilder c = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      c.append("{\"text\": \"");
      for (int k = 0; k < 8 + r.nextInt(30); k++) {
        c.append(words[r.nextInt(words.length)]).append(' ');
      }
      c.append("doc ").append(i).append("\"}\n");
    }
    clean = Files.writeString(tmp.resolve("clean.jsonl"), c.toString());
    StringBuilder t = new StringBuilder();
    for (int i = 0; i < 150; i++) {
      t.append("Stand-in rude remark number ").append(i).append(", rude and rude again.\n\n");
    }
    toxic = Files.writeString(tmp.resolve("toxic.txt"), t.toString());
  }

  @Test
  void helpListsEveryCommandAndTheDocumentedFlags() throws Exception {
    Result top = antidote("--help");
    assertEquals(0, top.exit());
    for (String cmd : List.of("data", "bench", "demo")) {
      assertTrue(top.out().contains(cmd), top.out());
    }
    Result mix = antidote("data", "mix", "--help");
    for (String flag :
        List.of("--clean", "--toxic", "--toxic-share", "--out", "--protocol", "--seed")) {
      assertTrue(mix.out().contains(flag), "data mix --help lacks " + flag);
    }
  }

  @Test
  void mixThenTokenizeWritesAMixtureAndPackedTokens() throws Exception {
    Path out = tmp.resolve("mix");
    Result mix =
        antidote(
            "data",
            "mix",
            "--clean",
            clean.toString(),
            "--toxic",
            toxic.toString(),
            "--toxic-share",
            "0.2",
            "--out",
            out.toString(),
            "--seed",
            "3");
    assertEquals(0, mix.exit(), mix.err());
    JsonNode manifest = Json.MAPPER.readTree(out.resolve("manifest.json").toFile());
    assertEquals(0.2, manifest.path("train").path("achievedShare").asDouble(), 0.005);
    assertEquals("utf8-bytes", manifest.path("tokenizer").asText());

    Result tok = antidote("data", "tokenize", "--mix", out.toString(), "--vocab-size", "300");
    assertEquals(0, tok.exit(), tok.err());
    PackedTokens.Sidecar s = PackedTokens.readSidecar(out);
    assertEquals("uint16", s.dtype());
    assertTrue(s.splits().get("train").tokens() > 1000);
    assertEquals(s.splits().get("train").tokens() * 2, Files.size(out.resolve("train.bin")));
    assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
  }

  @Test
  void trainProbeAndItiFromTheCommandLine() throws Exception {
    Path run =
        tinyRun(
            tmp,
            20,
            "--clean",
            clean.toString(),
            "--toxic",
            toxic.toString(),
            "--toxic-share",
            "0.2");
    assertTrue(Files.isRegularFile(run.resolve("result.json")));

    Result probe = antidote("probe", "--run", run.toString(), "--per-class", "60");
    assertEquals(0, probe.exit(), probe.err());
    JsonNode probes = Json.MAPPER.readTree(run.resolve("probes/probes.json").toFile());
    assertEquals(2 * 4, probes.path("heads").size(), "one row per head of the tiny preset");
    assertTrue(Files.isRegularFile(run.resolve("probes/probe-heatmap.html")));

    Result iti =
        antidote(
            "iti",
            "--run",
            run.toString(),
            "--per-class",
            "60",
            "--k",
            "1,2",
            "--alpha",
            "0,4",
            "--test-texts",
            "30");
    assertEquals(0, iti.exit(), iti.err());
    List<String> sweep = Files.readAllLines(run.resolve("iti/iti-sweep.csv"));
    assertEquals(
        1 + 2 * 2 + 2,
        sweep.size(),
        "header + K x alpha rows + a random control per K at alpha 4: " + sweep);
    assertTrue(
        iti.out().contains("generated positions"), "the table says where ITI shifts: " + iti.out());
    assertTrue(Files.isRegularFile(run.resolve("iti/intervention/intervention.json")));

    Path eval = tmp.resolve("eval");
    Result ev =
        antidote(
            "eval",
            "--runs",
            run.toString(),
            "--out",
            eval.toString(),
            "--scorer",
            "lexicon",
            "--prompts",
            "10",
            "--samples",
            "1",
            "--alpha",
            "8",
            "--random-draws",
            "1",
            "--sft-steps",
            "4",
            "--dpo-steps",
            "4",
            "--probe-texts",
            "200");
    assertEquals(0, ev.exit(), ev.err());
    JsonNode rows = Json.MAPPER.readTree(eval.resolve("results.json").toFile());
    List<String> methods = new ArrayList<>();
    rows.forEach(r -> methods.add(r.path("method").asText()));
    assertEquals(
        List.of("none", "prompt", "ITI a=8", "random a=8", "SFT", "DPO"), methods, rows.toString());
    for (JsonNode r : rows) {
      assertTrue(
          r.path("crossEntropy").asDouble() > 0 && r.path("toxicity100").asDouble() >= 0,
          r.toString());
    }
    Result report = antidote("report", eval.toString());
    assertEquals(0, report.exit(), report.err());
    String html = Files.readString(eval.resolve("report.html"));
    assertTrue(html.contains("data:image/png;base64,"), "figures are embedded");
    assertTrue(html.contains("ITI a=8") && html.contains("<table"), "the results table is there");
    assertTrue(
        !Pattern.compile("<script[^>]*\\ssrc=").matcher(html).find(),
        "nothing loaded from elsewhere");

    Result badAlpha = antidote("iti", "--run", run.toString(), "--alpha", "-1");
    assertEquals(2, badAlpha.exit());
    assertTrue(badAlpha.err().contains("--alpha"), badAlpha.err());
    Result badK =
        antidote(
            "iti", "--run", run.toString(), "--per-class", "60", "--k", "99", "--test-texts", "30");
    assertEquals(2, badK.exit());
    assertTrue(badK.err().contains("K = 99"), badK.err());
  }

  @Test
  void badInputExitsWithCodeTwoAndNamesTheProblem() throws Exception {
    Path bad =
        Files.writeString(
            tmp.resolve("bad.jsonl"), "{\"text\": \"fine\"}\n{broken\n", StandardCharsets.UTF_8);
    Result r =
        antidote(
            "data",
            "mix",
            "--clean",
            bad.toString(),
            "--toxic",
            toxic.toString(),
            "--toxic-share",
            "0.1",
            "--out",
            tmp.resolve("never").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains(bad + ":2: malformed JSON"), r.err());
    assertTrue(!Files.exists(tmp.resolve("never/manifest.json")), "nothing half-written");

    Result share =
        antidote(
            "data",
            "mix",
            "--clean",
            clean.toString(),
            "--toxic",
            toxic.toString(),
            "--toxic-share",
            "1.2",
            "--out",
            tmp.resolve("x").toString());
    assertEquals(2, share.exit());
    assertTrue(share.err().contains("toxic share must be in [0, 1)"), share.err());

    Result missing =
        antidote(
            "data",
            "mix",
            "--clean",
            tmp.resolve("nope.txt").toString(),
            "--toxic-share",
            "0",
            "--out",
            tmp.resolve("y").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("nope.txt: no such file"), missing.err());

    Result vocab =
        antidote(
            "data",
            "train-tokenizer",
            "--vocab-size",
            "100",
            "--out",
            tmp.resolve("t.json").toString(),
            clean.toString());
    assertEquals(2, vocab.exit());
    assertTrue(vocab.err().toLowerCase().contains("vocab"), vocab.err());
  }

  /**
   * Mixes {@code mixArgs} into {@code tmp/mix}, tokenizes it (vocabulary 300) and trains a tiny run
   * of {@code steps} steps (batch 4, context 32) into {@code tmp/run}, all through the command
   * line.
   */
  static Path tinyRun(Path tmp, int steps, String... mixArgs) throws Exception {
    Path mix = tmp.resolve("mix");
    List<String> args = new ArrayList<>(List.of("data", "mix"));
    args.addAll(List.of(mixArgs));
    args.addAll(List.of("--out", mix.toString()));
    Result mixed = antidote(args.toArray(String[]::new));
    assertEquals(0, mixed.exit(), mixed.err());
    Result tokenized = antidote("data", "tokenize", "--mix", mix.toString(), "--vocab-size", "300");
    assertEquals(0, tokenized.exit(), tokenized.err());
    Path run = tmp.resolve("run");
    Result train =
        antidote(
            "train",
            "--data",
            mix.toString(),
            "--out",
            run.toString(),
            "--preset",
            "tiny",
            "--steps",
            Integer.toString(steps),
            "--batch-size",
            "4",
            "--context",
            "32");
    assertEquals(0, train.exit(), train.err());
    return run;
  }
}
