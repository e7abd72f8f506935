package org.antidote.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>Both sides stay loaded in their own processes and run their timed passes in turn (rounds in
 * ABBA order), so that on a shared machine each meets the same load; the ratio is the median of the
 * rounds' ratios. Beside it the ratio of each side's fastest pass: when other work on the machine
 * comes in bursts longer than a round, the rounds' ratios scatter widely, and the fastest passes
 * are the ones that met the least of it.
 */
public final class HfBench {

  private HfBench() {}

  /** Antidote's load measurement (the child's first protocol line). */
  public record Side(double loadSeconds, double idleRssMb, double loadedRssMb, double weightsMb) {}

  /** The peer's load line, in its own names. */
  record Peer(
      double load_seconds,
      double peak_rss_mb,
      String torch,
      String transformers,
      String attention,
      int threads) {}

  /** Untimed passes each side runs before the timed rounds. */
  private static final int WARMUP = 2;

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
      Process p =
          new ProcessBuilder(python.toString(), script.toString(), "make", model.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("hf_peer.py make failed:\n" + out);
      }
    }
    log.println("antidote: loading in a fresh JVM ...");
    try (Worker ours =
            new Worker(
                "antidote",
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
                    Integer.toString(seq)),
                Map.of());
        Worker theirs = startPeer(python, script, model, batch, seq, threads, ours, log)) {
      Side side = Json.MAPPER.readValue(ours.first, Side.class);
      Peer peer = Json.MAPPER.readValue(theirs.first, Peer.class);
      log.printf("%d warm-up passes each, then %d rounds of one pass each ...%n", WARMUP, reps);
      for (int i = 0; i < WARMUP; i++) {
        ours.pass();
        theirs.pass();
      }
      double[] a = new double[reps];
      double[] b = new double[reps];
      double[] ratio = new double[reps];
      for (int r = 0; r < reps; r++) {
        // ABBA: neither side always runs first, after the other's pass has warmed or evicted
        // caches.
        if (r % 2 == 0) {
          a[r] = ours.pass();
          b[r] = theirs.pass();
        } else {
          b[r] = theirs.pass();
          a[r] = ours.pass();
        }
        ratio[r] = b[r] / a[r];
        log.printf(
            "  round %d: antidote %.2f s, transformers %.2f s, ratio %.2fx%n",
            r + 1, a[r], b[r], ratio[r]);
      }
      double tokens = (double) batch * seq;
      double growth = side.loadedRssMb() - side.idleRssMb();
      StringBuilder t = new StringBuilder();
      t.append(
          String.format(
              "bench hf  (%s; %d cores; GPT-2-small shape, 124M parameters, float32; %d threads"
                  + " each; batch %d x %d tokens; %d interleaved rounds of one pass each)%n",
              TrainBench.cpuModel(),
              Runtime.getRuntime().availableProcessors(),
              threads,
              batch,
              seq,
              reps));
      t.append(
          "| | load s | RSS growth MB (weights MB) | forward tok/s, median (min-max) |\n"
              + "|---|---|---|---|\n");
      t.append(
          String.format(
              "| antidote (Models.load, DJL libtorch 2.5.1) | %.2f | %.0f (%.0f) = %.2fx weights |"
                  + " %,.0f (%,.0f-%,.0f) |%n",
              side.loadSeconds(),
              growth,
              side.weightsMb(),
              growth / side.weightsMb(),
              tokens / median(a),
              tokens / max(a),
              tokens / min(a)));
      t.append(
          String.format(
              "| transformers %s (torch %s, %s attention, no KV cache, %d threads) | %.2f |"
                  + " peak RSS %.0f at load | %,.0f (%,.0f-%,.0f) |%n",
              peer.transformers(),
              peer.torch(),
              peer.attention(),
              peer.threads(),
              peer.load_seconds(),
              peer.peak_rss_mb(),
              tokens / median(b),
              tokens / max(b),
              tokens / min(b)));
      t.append(
          String.format(
              "forward ratio antidote / transformers: %.2fx (median of the rounds; range %.2f-%.2fx;"
                  + " fastest pass against fastest pass %.2fx); load ratio: %.2fx%n",
              median(ratio),
              min(ratio),
              max(ratio),
              min(b) / min(a),
              side.loadSeconds() / peer.load_seconds()));
      t.append(
          "goals: load <= 3 s; RSS growth <= 1.5x the weights over the idle JVM with libtorch"
              + " loaded; forward tok/s >= transformers'\n");
      return t.toString();
    }
  }

  /** Starts the peer once antidote has loaded, so the two loads do not compete. */
  private static Worker startPeer(
      Path python,
      Path script,
      Path model,
      int batch,
      int seq,
      int threads,
      Worker ours,
      PrintStream log)
      throws IOException {
    ours.awaitFirst();
    log.println("transformers: loading ...");
    Worker w =
        new Worker(
            "transformers",
            List.of(
                python.toString(),
                script.toString(),
                "serve",
                model.toString(),
                Integer.toString(batch),
                Integer.toString(seq),
                Integer.toString(threads)),
            Map.of("OMP_NUM_THREADS", Integer.toString(threads)));
    w.awaitFirst();
    return w;
  }

  /**
   * The child: {@code DIR BATCH SEQ}. Prints {@code "@ {Side JSON}"} once loaded, then runs one
   * forward pass per {@code pass} line on stdin and prints {@code "@ SECONDS"}.
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int batch = Integer.parseInt(args[1]);
    int seq = Integer.parseInt(args[2]);
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
      System.out.println(
          "@ " + Json.MAPPER.writeValueAsString(new Side(load, idleRss, loadedRss, weightsMb)));
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null; ) {
        if (!line.strip().equals("pass")) {
          throw new IllegalStateException("unknown command: " + line);
        }
        t0 = System.nanoTime();
        try (NDManager m = loaded.model().manager().newSubManager()) {
          NDArray logits = loaded.model().forward(m.create(ids, new Shape(batch, seq)));
          logits.sum().getFloat();
        }
        System.out.printf("@ %.6f%n", (System.nanoTime() - t0) / 1e9);
        System.out.flush();
      }
    }
  }

  /** One side's process, answering protocol lines that start with {@code "@ "}. */
  private static final class Worker implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final BufferedReader out;
    private final Writer in;
    private String first;

    Worker(String name, List<String> cmd, Map<String, String> env) throws IOException {
      this.name = name;
      this.log = Files.createTempFile("antidote-bench-hf-" + name, ".log");
      ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectError(log.toFile());
      pb.environment().putAll(env);
      this.process = pb.start();
      this.out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Waits for the load line. */
    void awaitFirst() throws IOException {
      if (first == null) {
        first = reply();
      }
    }

    /** Runs one timed pass; its seconds. */
    double pass() throws IOException {
      awaitFirst();
      in.write("pass\n");
      in.flush();
      return Double.parseDouble(reply());
    }

    private String reply() throws IOException {
      StringBuilder other = new StringBuilder();
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("@ ")) {
          return line.substring(2);
        }
        other.append(line).append('\n');
      }
      throw new IllegalStateException(
          name + " stopped before answering:\n" + other + Files.readString(log));
    }

    @Override
    public void close() throws IOException {
      in.close();
      try {
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      Files.deleteIfExists(log);
    }
  }

  static double median(double[] x) {
    double[] s = x.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static double min(double[] x) {
    return Arrays.stream(x).min().orElse(Double.NaN);
  }

  static double max(double[] x) {
    return Arrays.stream(x).max().orElse(Double.NaN);
  }

  private static double rssMb() throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("\\D", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }
}
