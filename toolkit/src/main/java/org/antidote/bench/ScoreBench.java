package org.antidote.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Document;
import org.antidote.corpus.HeldOut;
import org.antidote.eval.LexiconScorer;
import org.antidote.eval.MiniLmEncoder;
import org.antidote.eval.MiniLmScorer;
import org.antidote.eval.ToxicityScorer;
import org.antidote.io.Json;

/**
 * Texts per second of the toxicity scorers, and of the MiniLM encoder against the same quantized
 * model in Python ONNX Runtime, one text per call (the scorer's batch-independent default) and in
 * padded batches of 32, in one run.
 */
public final class ScoreBench {

  private ScoreBench() {}

  /** {@code ./antidote bench score}: {@code texts} bundled held-out texts, half toxic. */
  public static String run(Path root, int texts, PrintStream log) throws Exception {
    // Labelled held-out texts: the length of what the scorers see in evaluation (fortunes,
    // insults).
    List<String> sample =
        Corpora.bundled().balanced(HeldOut.Split.TRAIN, texts / 2).stream()
            .map(Document::text)
            .toList();
    StringBuilder rows = new StringBuilder();
    double[] ours = new double[2];
    for (int side = 0; side < 2; side++) {
      int batch = side == 0 ? 1 : 32;
      log.printf("antidote MiniLM encoder, %d a call ...%n", batch);
      try (MiniLmEncoder enc =
          MiniLmEncoder.open(
              new MiniLmEncoder.Options(batch, MiniLmEncoder.Options.defaults().threads()))) {
        enc.embed(sample.subList(0, Math.min(50, sample.size()))); // warm-up
        long t0 = System.nanoTime();
        enc.embed(sample);
        ours[side] = sample.size() / ((System.nanoTime() - t0) / 1e9);
      }
    }
    log.println("Python ONNX Runtime, the same model ...");
    Map<?, ?> peer = peer(root, sample, log);
    double[] theirs =
        peer == null
            ? new double[] {Double.NaN, Double.NaN}
            : new double[] {
              ((Number) peer.get("one_per_call")).doubleValue(),
              ((Number) peer.get("batch_32")).doubleValue()
            };
    rows.append(
        String.format(
            "| MiniLM encoder, one text a call | %,.0f | %,.0f | %s |%n",
            ours[0], theirs[0], ratio(ours[0], theirs[0])));
    rows.append(
        String.format(
            "| MiniLM encoder, 32 a call (scores depend on the batch) | %,.0f | %,.0f | %s |%n",
            ours[1], theirs[1], ratio(ours[1], theirs[1])));
    for (ToxicityScorer s : List.of(MiniLmScorer.bundled(), LexiconScorer.bundled())) {
      try (s) {
        s.score(sample.subList(0, Math.min(100, sample.size()))); // warm-up
        long t0 = System.nanoTime();
        s.score(sample);
        rows.append(
            String.format(
                "| scorer %s | %,.0f | n/a | n/a |%n",
                s.id(), sample.size() / ((System.nanoTime() - t0) / 1e9)));
      }
    }
    return String.format(
            "bench score  (%s, %d cores; %d held-out texts, mean %.0f chars; 2 threads a side;"
                + " peer: Python onnxruntime %s, tokenizers %s, the same quantized ONNX model)%n",
            TrainBench.cpuModel(),
            Runtime.getRuntime().availableProcessors(),
            sample.size(),
            sample.stream().mapToInt(String::length).average().orElse(0),
            peer == null ? "not run" : peer.get("onnxruntime"),
            peer == null ? "not run" : peer.get("tokenizers"))
        + "| what | antidote texts/s | peer texts/s | ratio |\n|---|---|---|---|\n"
        + rows
        + "goal: ratio >= 1.0x";
  }

  private static String ratio(double ours, double theirs) {
    return Double.isNaN(theirs) ? "n/a" : String.format("**%.2fx**", ours / theirs);
  }

  /**
   * Runs bench/score_peer.py on the encoder's own model and tokenizer; null where it failed (said
   * on {@code log}).
   */
  private static Map<?, ?> peer(Path root, List<String> sample, PrintStream log) throws Exception {
    Path dir = Files.createTempDirectory("antidote-scorebench-");
    try {
      copy("/all-minilm-l6-v2-q.onnx", dir.resolve("model.onnx"));
      copy("/all-minilm-l6-v2-q-tokenizer.json", dir.resolve("tokenizer.json"));
      Files.writeString(dir.resolve("texts.json"), Json.MAPPER.writeValueAsString(sample));
      Process p =
          new ProcessBuilder(
                  ProbeBench.python(root),
                  root.resolve("bench/score_peer.py").toString(),
                  dir.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        log.println(
            "the ONNX Runtime peer failed (its environment needs onnxruntime and tokenizers):\n"
                + out);
        return null;
      }
      String[] lines = out.strip().split("\n");
      return Json.MAPPER.readValue(lines[lines.length - 1], Map.class);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static void copy(String resource, Path to) throws IOException {
    try (InputStream in = MiniLmEncoder.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from " + MiniLmEncoder.ARTIFACT);
      }
      Files.copy(in, to);
    }
  }
}
