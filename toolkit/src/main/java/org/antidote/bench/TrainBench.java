package org.antidote.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.antidote.io.Json;
import org.antidote.model.GenerationConfig;
import org.antidote.model.Generator;
import org.antidote.model.Hooks;
import org.antidote.model.ModelConfig;
import org.antidote.model.Preset;
import org.antidote.model.Transformer;
import org.antidote.tokenize.PackedTokens;
import org.antidote.train.Metrics;
import org.antidote.train.TrainConfig;
import org.antidote.train.TrainListener;
import org.antidote.train.Trainer;

/**
 * Training throughput of the presets on this CPU against PyTorch 2.x (eager and torch.compile, from
 * the launcher's Python environment) on the same model and batch, measured in one run: tokens/s,
 * step time, peak resident memory, model FLOPs utilisation against the sgemm peak measured just
 * before, and generation speed with and without the KV cache. Each side runs in its own process so
 * memory figures are its own.
 */
public final class TrainBench {

  private TrainBench() {}

  /** One side's measurement (the JSON line a child prints). */
  public record Side(
      double tokensPerSecond,
      double stepMs,
      double peakRssMb,
      double genCachedTps,
      double genPlainTps,
      Map<String, Double> phasesMs) {}

  /**
   * Runs the benchmark for {@code presets}; {@code root} is the repository (for the Python script).
   */
  public static String run(List<Preset> presets, int steps, int batch, Path root, PrintStream log)
      throws Exception {
    double peak = sgemmGflops(2);
    log.printf("sgemm peak (1024^3 float32, 2 threads, libtorch): %.1f GFLOP/s%n", peak);
    StringBuilder rows = new StringBuilder();
    StringBuilder phaseTable =
        new StringBuilder(
            "| preset | side | batch | forward | backward | optimizer |\n|---|---|---|---|---|---|\n");
    for (Preset p : presets) {
      ModelConfig m = p.config();
      log.println("antidote, " + p.id() + " ...");
      Side ours =
          child(
              List.of(
                  java(),
                  "-Xmx4g",
                  "-Dai.djl.offline=true",
                  "-Dai.djl.pytorch.num_threads=2",
                  "-Dai.djl.pytorch.num_interop_threads=1",
                  "-cp",
                  System.getProperty("java.class.path"),
                  TrainBench.class.getName(),
                  p.id(),
                  Integer.toString(steps),
                  Integer.toString(batch)),
              Map.of(),
              log);
      log.println("PyTorch eager, " + p.id() + " ...");
      Side eager = python(root, m, batch, steps, "eager", log);
      log.println("PyTorch torch.compile, " + p.id() + " ...");
      Side compiled = python(root, m, batch, steps, "compile", log);
      double flopsPerSecond = 3 * m.flopsPerToken() * ours.tokensPerSecond();
      phaseTable.append(phaseRow(p.id(), "antidote", ours.phasesMs()));
      if (eager != null) {
        phaseTable.append(phaseRow(p.id(), "PyTorch eager", eager.phasesMs()));
      }
      if (compiled != null) {
        phaseTable.append(phaseRow(p.id(), "PyTorch compile", compiled.phasesMs()));
      }
      double best =
          Math.max(
              eager == null ? 0 : eager.tokensPerSecond(),
              compiled == null ? 0 : compiled.tokensPerSecond());
      Side rssPeer = eager != null ? eager : compiled;
      rows.append(
          String.format(
              "| %s | %,d | %d x %d | %,.0f | %.1f | %.0f | %.0f%% | %s | %s | %s | %s | %s | %,.0f | %,.0f |%n",
              p.id(),
              m.parameters(),
              batch,
              m.context(),
              ours.tokensPerSecond(),
              ours.stepMs(),
              ours.peakRssMb(),
              100 * flopsPerSecond / (peak * 1e9),
              tps(eager),
              tps(compiled),
              rssPeer == null ? "n/a" : String.format("%.0f", rssPeer.peakRssMb()),
              best == 0 ? "n/a" : String.format("**%.2fx**", ours.tokensPerSecond() / best),
              rssPeer == null
                  ? "n/a"
                  : String.format("%.2fx", ours.peakRssMb() / rssPeer.peakRssMb()),
              ours.genCachedTps(),
              ours.genPlainTps()));
    }
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            "bench train  (%s; %d cores; antidote: DJL PyTorch CPU, 2 threads; peer: %s from %s, 2 threads,"
                + " fused QKV, scaled_dot_product_attention)%n",
            cpuModel(),
            Runtime.getRuntime().availableProcessors(),
            peerVersions,
            ProbeBench.python(root)));
    t.append(String.format("sgemm peak measured in this run: %.1f GFLOP/s%n", peak));
    t.append(
        "| preset | params | batch x ctx | antidote tok/s | step ms | peak RSS MB | MFU | PyTorch eager tok/s"
            + " | torch.compile tok/s | PyTorch peak RSS MB | ratio (best peer) | RSS ratio | gen tok/s cached | gen tok/s no cache |\n");
    t.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    t.append(rows);
    t.append(
        "MFU = 3 x forward FLOPs per token x tokens/s / sgemm peak; generation: batch 8, 16-token prompts, 48 new tokens, greedy\n");
    t.append(
        "goals: ratio >= 1.0x at tiny, >= 1.2x at small with MFU >= 50 %; RSS ratio <= 1.2x\n");
    t.append("where a step's time goes (ms per step, each phase synchronised):\n");
    t.append(phaseTable);
    return t.toString();
  }

  private static String tps(Side s) {
    return s == null ? "n/a" : String.format("%,.0f", s.tokensPerSecond());
  }

  private static String phaseRow(String preset, String side, Map<String, Double> ms) {
    if (ms == null) {
      return "| " + preset + " | " + side + " | n/a | n/a | n/a | n/a |\n";
    }
    return String.format(
        "| %s | %s | %.1f | %.1f | %.1f | %.1f |%n",
        preset,
        side,
        ms.getOrDefault("batch", Double.NaN),
        ms.getOrDefault("forward", Double.NaN),
        ms.getOrDefault("backward", Double.NaN),
        ms.getOrDefault("optimizer", Double.NaN));
  }

  /** Child process: trains {@code preset} on random tokens and prints a {@link Side} as JSON. */
  public static void main(String[] args) throws IOException {
    Preset preset = Preset.parse(args[0]);
    int steps = Integer.parseInt(args[1]);
    int batch = Integer.parseInt(args[2]);
    ModelConfig m = preset.config();
    int warmup = Math.max(5, steps / 5);
    Path dir = Files.createTempDirectory("antidote-trainbench-");
    SplittableRandom r = new SplittableRandom(1);
    int[] train = r.ints(2_000_000, 0, m.vocab()).toArray();
    int[] val = r.ints(20_000, 0, m.vocab()).toArray();
    PackedTokens.packIds(
        Map.of("train", train, "validation", val), m.vocab(), 0, "random", dir.resolve("data"));
    TrainConfig c =
        TrainConfig.defaults(m, warmup + steps)
            .withBatch(batch, 1)
            .withIntervals(warmup, warmup + steps, warmup + steps);
    List<Double> tps = new ArrayList<>();
    Trainer.train(
        c,
        dir.resolve("data"),
        dir.resolve("run"),
        new TrainListener() {
          @Override
          public void logged(Metrics metrics) {
            if (metrics.step() > warmup) {
              tps.add(metrics.tokensPerSecond());
            }
          }
        },
        Device.cpu());
    double tokensPerSecond =
        tps.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double[] gen = generation(m);
    Map<String, Double> phases =
        Trainer.profile(c, dir.resolve("data"), warmup, steps, Device.cpu());
    System.out.println(
        Json.line(
            new Side(
                tokensPerSecond,
                1000.0 * batch * m.context() / tokensPerSecond,
                peakRssMb(),
                gen[0],
                gen[1],
                phases)));
  }

  private static double[] generation(ModelConfig m) {
    try (Transformer model = Transformer.create(m, 1, Device.cpu())) {
      List<int[]> prompts = new ArrayList<>();
      SplittableRandom r = new SplittableRandom(2);
      for (int i = 0; i < 8; i++) {
        prompts.add(r.ints(16, 1, m.vocab()).toArray());
      }
      int n = Math.min(48, m.context() - 16);
      double[] out = new double[2];
      for (int pass = 0; pass < 2; pass++) {
        boolean cached = pass == 0;
        Generator.generate(
            model, prompts, GenerationConfig.greedy(4), Hooks.none(), cached); // warm-up
        long t0 = System.nanoTime();
        Generator.generate(model, prompts, GenerationConfig.greedy(n), Hooks.none(), cached);
        out[pass] = prompts.size() * n / ((System.nanoTime() - t0) / 1e9);
      }
      return out;
    }
  }

  /** sgemm throughput of libtorch on this machine, GFLOP/s. */
  static double sgemmGflops(int threads) {
    int n = 1024;
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray a = m.randomUniform(0, 1, new Shape(n, n));
      NDArray b = m.randomUniform(0, 1, new Shape(n, n));
      for (int i = 0; i < 3; i++) {
        try (NDArray c = a.matMul(b)) {
          c.getFloat(0, 0);
        }
      }
      int reps = 20;
      long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        try (NDArray c = a.matMul(b)) {
          c.getFloat(0, 0);
        }
      }
      return reps * 2.0 * n * n * n / ((System.nanoTime() - t0) / 1e9) / 1e9;
    }
  }

  /**
   * One PyTorch column: eager or compiled, each in its own process; null where it failed (said on
   * {@code log}).
   */
  private static Side python(
      Path root, ModelConfig m, int batch, int steps, String mode, PrintStream log)
      throws Exception {
    List<String> cmd =
        List.of(
            ProbeBench.python(root),
            root.resolve("bench/train_peer.py").toString(),
            "train",
            mode,
            Integer.toString(m.layers()),
            Integer.toString(m.heads()),
            Integer.toString(m.dModel()),
            Integer.toString(m.dMlp()),
            Integer.toString(m.context()),
            Integer.toString(m.vocab()),
            Integer.toString(batch),
            Integer.toString(steps),
            Integer.toString(Math.max(5, steps / 5)),
            "2");
    try {
      JsonSide s =
          Json.MAPPER.readValue(lastLine(cmd, Map.of("OMP_NUM_THREADS", "2"), log), JsonSide.class);
      peerVersions = "PyTorch " + s.torch() + ", " + s.optimizer();
      return new Side(
          s.tokens_per_second(),
          s.step_ms(),
          s.peak_rss_mb(),
          Double.NaN,
          Double.NaN,
          s.phases_ms());
    } catch (IllegalStateException e) {
      log.println(
          "the PyTorch peer ("
              + mode
              + ") failed (./antidote venv builds its environment): "
              + e.getMessage());
      return null;
    }
  }

  /** The peer's versions as the last peer run reported them. */
  private static String peerVersions = "PyTorch not run";

  /** The peer's JSON, in its own names. */
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
  record JsonSide(
      double tokens_per_second,
      double step_ms,
      double peak_rss_mb,
      String torch,
      String optimizer,
      Map<String, Double> phases_ms) {}

  private static Side child(List<String> cmd, Map<String, String> env, PrintStream log)
      throws Exception {
    return Json.MAPPER.readValue(lastLine(cmd, env, log), Side.class);
  }

  private static String lastLine(List<String> cmd, Map<String, String> env, PrintStream log)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd.subList(0, 2)) + " failed:\n" + out);
    }
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1];
  }

  private static double peakRssMb() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("\\D", "")) / 1024.0;
        }
      }
    } catch (IOException ignored) {
      // Not Linux: no figure.
    }
    return Double.NaN;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The CPU model, for benchmark headers. */
  public static String cpuModel() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          return l.substring(l.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException ignored) {
      // Unknown CPU.
    }
    return System.getProperty("os.arch");
  }
}
