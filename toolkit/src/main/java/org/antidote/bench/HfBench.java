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
import org.antidote.model.Models;

/**
 * Loading a Hugging Face checkpoint: a GPT-2-small-shaped model (124M parameters, random weights,
 * made by {@code transformers}) loaded by {@link Models#load} in a fresh JVM (load time, resident
 * memory growth over the idle JVM with libtorch loaded) and its forward tokens/s, against {@code
 * transformers} on torch 2.13 with the same model, batch and threads, measured in the same run.
 */
public final class HfBench {

  private HfBench() {}

  /** One side's measurement (the JSON line the child prints). */
  public record Side(
      double loadSeconds,
      double idleRssMb,
      double loadedRssMb,
      double weightsMb,
      double tokensPerSecond) {}

  /** The peer's JSON, in its own names. */
  record Peer(
      double load_seconds,
      double tokens_per_second,
      double peak_rss_mb,
      String torch,
      int threads) {}

  /**
   * Runs the benchmark; {@code root} is the repository (for bench/hf_peer.py and the model's
   * cache).
   */
  public static String run(Path root, int batch, int seq, int reps, int threads, PrintStream log)
      throws Exception {
    String py = System.getenv("ANTIDOTE_PYTHON");
    Path python =
        py != null && !py.isBlank() ? Path.of(py) : root.resolve(".antidote-build/venv/bin/python");
    Path script = root.resolve("bench/hf_peer.py");
    if (!Files.isExecutable(python)) {
      throw new IllegalStateException(
          "no Python with transformers at " + python + " (./antidote venv builds it)");
    }
    Path model = root.resolve("runs/bench-hf/gpt2-124m");
    if (!Files.isRegularFile(model.resolve("config.json"))) {
      log.println(
          "making a GPT-2-small-shaped random model with transformers in " + model + " ...");
      lastLine(
          List.of(python.toString(), script.toString(), "make", model.toString()), Map.of(), log);
    }
    log.println("antidote: load and forward in a fresh JVM ...");
    Side ours =
        Json.MAPPER.readValue(
            lastLine(
                List.of(
                    TrainBench.java(),
                    "-Xmx3g",
                    "-Dai.djl.offline=true",
                    "-Dai.djl.pytorch.num_threads=" + threads,
                    "-Dai.djl.pytorch.num_interop_threads=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    HfBench.class.getName(),
                    model.toString(),
                    Integer.toString(batch),
                    Integer.toString(seq),
                    Integer.toString(reps)),
                Map.of(),
                log),
            Side.class);
    log.println("transformers: load and forward ...");
    Peer peer =
        Json.MAPPER.readValue(
            lastLine(
                List.of(
                    python.toString(),
                    script.toString(),
                    "forward",
                    model.toString(),
                    Integer.toString(batch),
                    Integer.toString(seq),
                    Integer.toString(reps),
                    Integer.toString(threads)),
                Map.of("OMP_NUM_THREADS", Integer.toString(threads)),
                log),
            Peer.class);
    double growth = ours.loadedRssMb() - ours.idleRssMb();
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            "bench hf  (%s; %d cores; GPT-2-small shape, 124M parameters, float32; %d threads each;"
                + " batch %d x %d tokens, %d timed passes)%n",
            TrainBench.cpuModel(),
            Runtime.getRuntime().availableProcessors(),
            threads,
            batch,
            seq,
            reps));
    t.append("| | load s | RSS growth MB (weights MB) | forward tok/s |\n|---|---|---|---|\n");
    t.append(
        String.format(
            "| antidote (Models.load, DJL libtorch 2.5.1) | %.2f | %.0f (%.0f) = %.2fx weights | %,.0f |%n",
            ours.loadSeconds(),
            growth,
            ours.weightsMb(),
            growth / ours.weightsMb(),
            ours.tokensPerSecond()));
    t.append(
        String.format(
            "| transformers (torch %s, %d threads) | %.2f | peak RSS %.0f | %,.0f |%n",
            peer.torch(),
            peer.threads(),
            peer.load_seconds(),
            peer.peak_rss_mb(),
            peer.tokens_per_second()));
    t.append(
        String.format(
            "forward ratio antidote / transformers: %.2fx; load ratio: %.2fx%n",
            ours.tokensPerSecond() / peer.tokens_per_second(),
            ours.loadSeconds() / peer.load_seconds()));
    t.append(
        "goals: load <= 3 s; RSS growth <= 1.5x the weights over the idle JVM with libtorch loaded;"
            + " forward tok/s >= transformers'\n");
    return t.toString();
  }

  /** The child: {@code DIR BATCH SEQ REPS}; prints one JSON line. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int batch = Integer.parseInt(args[1]);
    int seq = Integer.parseInt(args[2]);
    int reps = Integer.parseInt(args[3]);
    try (NDManager idle = NDManager.newBaseManager(Device.cpu())) {
      idle.ones(new Shape(4)).sum().getFloat(); // libtorch loaded and initialised
    }
    System.gc();
    double idleRss = rssMb();
    long t0 = System.nanoTime();
    try (Models.Loaded loaded = Models.load(dir, Device.cpu())) {
      double load = (System.nanoTime() - t0) / 1e9;
      System.gc();
      double loadedRss = rssMb();
      double weightsMb = loaded.model().parameterCount() * 4.0 / (1 << 20);
      SplittableRandom rng = new SplittableRandom(1);
      long[] ids = new long[batch * seq];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = rng.nextInt(loaded.model().config().vocab());
      }
      double tps = 0;
      for (int pass = 0; pass < reps + 2; pass++) {
        if (pass == 2) {
          t0 = System.nanoTime();
        }
        try (NDManager m = loaded.model().manager().newSubManager()) {
          NDArray logits = loaded.model().forward(m.create(ids, new Shape(batch, seq)));
          logits.sum().getFloat();
        }
      }
      tps = (double) batch * seq * reps / ((System.nanoTime() - t0) / 1e9);
      System.out.println(
          Json.MAPPER.writeValueAsString(new Side(load, idleRss, loadedRss, weightsMb, tps)));
    }
  }

  private static double rssMb() throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("\\D", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }

  private static String lastLine(List<String> cmd, Map<String, String> env, PrintStream log)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd.subList(0, 2)) + " failed:\n" + out);
    }
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1];
  }
}
