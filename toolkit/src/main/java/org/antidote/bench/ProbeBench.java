package org.antidote.bench;

import ai.djl.Device;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.antidote.io.Json;
import org.antidote.iti.Intervention;
import org.antidote.math.Numerics;
import org.antidote.math.Vectors;
import org.antidote.model.GenerationConfig;
import org.antidote.model.Generator;
import org.antidote.model.Hooks;
import org.antidote.model.ModelConfig;
import org.antidote.model.Preset;
import org.antidote.model.Transformer;
import org.antidote.probe.Activations;
import org.antidote.probe.ProbeConfig;
import org.antidote.probe.ProbeResult;
import org.antidote.probe.Probes;

/**
 * Probe fitting against scikit-learn, and generation with and without an intervention, each in one
 * run on this machine.
 */
public final class ProbeBench {

  private ProbeBench() {}

  /** Synthetic activations: Gaussian noise with a planted signal of growing strength per head. */
  static Activations synthetic(int layers, int heads, int dh, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int p = layers * heads;
    float[][] dirs = new float[p][dh];
    for (float[] d : dirs) {
      for (int k = 0; k < dh; k++) {
        d[k] = (float) (r.nextDouble() - 0.5);
      }
      Vectors.normalise(d);
    }
    float[] z = new float[n * p * dh];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(2);
      for (int h = 0; h < p; h++) {
        double strength = 1.5 * h / p * (labels[i] == 1 ? 1 : -1);
        for (int k = 0; k < dh; k++) {
          z[(i * p + h) * dh + k] = (float) (Numerics.gaussian(r) + strength * dirs[h][k]);
        }
      }
    }
    return Activations.of(layers, heads, dh, z, labels, new String[n]);
  }

  /** Rounds of {@code bench probe}: each side fits once a round, in ABBA order. */
  static final int ROUNDS = 3;

  /**
   * {@code ./antidote bench probe}: all heads of a 12 x 12 model on 9,000 texts vs sklearn head by
   * head, in interleaved rounds (ABBA order) so that on a shared machine both sides meet the same
   * load; the speed-up is the median of the rounds' ratios.
   */
  public static String probes(Path root, int texts, PrintStream log) throws Exception {
    int layers = 12;
    int heads = 12;
    int dh = 64;
    log.printf(
        "generating %d synthetic activations of %d x %d heads x %d ...%n",
        texts, layers, heads, dh);
    Activations acts = synthetic(layers, heads, dh, texts, 1);
    ProbeConfig config = ProbeConfig.defaults();
    Probes.fit(synthetic(2, 2, dh, 500, 2), config); // warm the engine up
    int p = layers * heads;
    Path dir = Files.createTempDirectory("antidote-probebench-");
    double[][] seconds = new double[2][ROUNDS]; // [antidote, scikit-learn][round]
    double[][] cpu = new double[2][ROUNDS];
    double[] ratio = new double[ROUNDS];
    double[] cpuRatio = new double[ROUNDS];
    ProbeResult ours = null;
    Map<String, Object> peer = null;
    for (int round = 0; round < ROUNDS; round++) {
      for (int turn = 0; turn < 2; turn++) {
        boolean antidote = (turn == 0) == (round % 2 == 0);
        if (antidote) {
          long t0 = System.nanoTime();
          long c0 = cpuNanos();
          ours = Probes.fit(acts, config);
          seconds[0][round] = (System.nanoTime() - t0) / 1e9;
          cpu[0][round] = (cpuNanos() - c0) / 1e9;
          log.printf(
              "round %d: antidote %.2f s (%.2f CPU s)%n",
              round + 1, seconds[0][round], cpu[0][round]);
          if (round == 0) {
            writeFloats(dir.resolve("z.f32"), acts, p, dh);
            writeInts(dir.resolve("labels.i32"), acts.labels());
            writeInts(dir.resolve("train.i32"), ours.trainRows());
            writeInts(dir.resolve("val.i32"), ours.validationRows());
            Files.writeString(
                dir.resolve("meta.json"),
                Json.line(Map.of("texts", texts, "heads", p, "d_head", dh, "l2", config.l2())));
          }
        } else {
          ProcessBuilder pb =
              new ProcessBuilder(
                      python(root), root.resolve("bench/probe_peer.py").toString(), dir.toString())
                  .redirectErrorStream(true);
          pb.environment().put("OPENBLAS_NUM_THREADS", "1");
          Process proc = pb.start();
          String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          if (!proc.waitFor(60, TimeUnit.MINUTES) || proc.exitValue() != 0) {
            return "the scikit-learn peer failed (./antidote venv builds its environment):\n" + out;
          }
          String[] lines = out.strip().split("\n");
          @SuppressWarnings("unchecked")
          Map<String, Object> j = Json.MAPPER.readValue(lines[lines.length - 1], Map.class);
          peer = j;
          seconds[1][round] = ((Number) peer.get("seconds")).doubleValue();
          cpu[1][round] = ((Number) peer.get("cpu_seconds")).doubleValue();
          log.printf(
              "round %d: scikit-learn %.2f s (%.2f CPU s)%n",
              round + 1, seconds[1][round], cpu[1][round]);
        }
      }
      ratio[round] = seconds[1][round] / seconds[0][round];
      cpuRatio[round] = cpu[1][round] / cpu[0][round];
    }
    @SuppressWarnings("unchecked")
    List<Number> peerAcc = (List<Number>) peer.get("accuracy");
    double sumDiff = 0;
    double maxDiff = 0;
    for (int h = 0; h < p; h++) {
      double diff = Math.abs(ours.accuracy()[h] - peerAcc.get(h).doubleValue());
      sumDiff += diff;
      maxDiff = Math.max(maxDiff, diff);
    }
    return String.format(
        """
        bench probe  (%s, %d cores; antidote: DJL PyTorch CPU, all heads batched, Newton;
                      peer: scikit-learn %s LogisticRegression lbfgs, one head at a time, numpy %s;
                      %d interleaved rounds, ABBA order: medians, speed-up = median of the rounds' ratios (range))
        | heads | texts (train/val) | d_head | antidote | scikit-learn | speed-up | CPU s: antidote | scikit-learn | speed-up | mean abs acc diff | max abs acc diff |
        |---|---|---|---|---|---|---|---|---|---|---|
        | %d x %d | %d (%d/%d) | %d | %.2f s | %.2f s | %.1fx (%.1f-%.1f) | %.2f | %.2f | %.1fx (%.1f-%.1f) | %.2f points | %.2f points |
        CPU s: the process's CPU time over the fit (all threads), which a busy machine inflates less than wall time
        goal: >= 10x faster (wall) with a mean accuracy difference <= 0.5 points%s""",
        TrainBench.cpuModel(),
        Runtime.getRuntime().availableProcessors(),
        peer.get("sklearn"),
        peer.get("numpy"),
        ROUNDS,
        layers,
        heads,
        texts,
        ours.trainRows().length,
        ours.validationRows().length,
        dh,
        HfBench.median(seconds[0]),
        HfBench.median(seconds[1]),
        HfBench.median(ratio),
        HfBench.min(ratio),
        HfBench.max(ratio),
        HfBench.median(cpu[0]),
        HfBench.median(cpu[1]),
        HfBench.median(cpuRatio),
        HfBench.min(cpuRatio),
        HfBench.max(cpuRatio),
        100 * sumDiff / p,
        100 * maxDiff,
        HfBench.median(ratio) >= 10 && 100 * sumDiff / p <= 0.5 ? " (met)" : " (MISSED)");
  }

  /**
   * {@code ./antidote bench generate}: tokens/s with and without an intervention on every layer,
   * against the same model in PyTorch with a KV cache.
   */
  public static String generation(List<Preset> presets, Path root, PrintStream log)
      throws Exception {
    StringBuilder rows = new StringBuilder();
    String peerVersion = "not run";
    for (Preset preset : presets) {
      ModelConfig m = preset.config();
      try (Transformer model = Transformer.create(m, 1, Device.cpu())) {
        SplittableRandom r = new SplittableRandom(3);
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          prompts.add(r.ints(16, 1, m.vocab()).toArray());
        }
        List<Intervention.Shift> shifts = new ArrayList<>();
        for (int i = 0; i < Math.min(8, m.layers() * m.heads()); i++) {
          float[] d = new float[m.dHead()];
          d[i % m.dHead()] = 1;
          shifts.add(new Intervention.Shift(i % m.layers(), i / m.layers() % m.heads(), d, 1.0));
        }
        Intervention intervention =
            new Intervention("bench", m.layers(), m.heads(), m.dHead(), 8, shifts);
        Hooks iti = intervention.hooks();
        double[] best = {0, 0, 0};
        for (int rep = 0;
            rep < 12;
            rep++) { // interleaved repetitions; the best of each is reported
          for (int side = 0; side < 3; side++) {
            if (side == 2) {
              intervention.bake(model);
            }
            long t0 = System.nanoTime();
            Generator.generate(
                model, prompts, GenerationConfig.greedy(48), side == 1 ? iti : Hooks.none());
            best[side] = Math.max(best[side], 16 * 48 / ((System.nanoTime() - t0) / 1e9));
            if (side == 2) {
              Intervention.unbake(model);
            }
          }
        }
        log.println(preset.id() + " done; PyTorch with a KV cache ...");
        ProcessBuilder pb =
            new ProcessBuilder(
                    python(root),
                    root.resolve("bench/train_peer.py").toString(),
                    "generate",
                    Integer.toString(m.layers()),
                    Integer.toString(m.heads()),
                    Integer.toString(m.dModel()),
                    Integer.toString(m.dMlp()),
                    Integer.toString(m.context()),
                    Integer.toString(m.vocab()),
                    "16",
                    "16",
                    "48",
                    "12",
                    "2")
                .redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "2");
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        double peer = Double.NaN;
        if (proc.waitFor() == 0) {
          String[] lines = out.strip().split("\n");
          Map<?, ?> j = Json.MAPPER.readValue(lines[lines.length - 1], Map.class);
          peer = ((Number) j.get("tokens_per_second")).doubleValue();
          peerVersion = "PyTorch " + j.get("torch");
        } else {
          log.println("the PyTorch peer failed (./antidote venv builds its environment):\n" + out);
        }
        rows.append(
            String.format(
                "| %s | %,.0f tok/s | %,.0f tok/s | %s | %,.0f tok/s | %+.1f%% | %,.0f tok/s | %+.1f%% |%n",
                preset.id(),
                best[0],
                peer,
                Double.isNaN(peer) ? "n/a" : String.format("**%.2fx**", best[0] / peer),
                best[1],
                100 * (best[0] / best[1] - 1),
                best[2],
                100 * (best[0] / best[2] - 1)));
      }
    }
    return String.format(
            "bench generate  (%s; batch 16, 16-token prompts, 48 new tokens, greedy, KV cache; intervention:"
                + " 8 heads at alpha 8; best of 12 interleaved runs; peer: %s, same model, KV cache, scaled_dot_product_attention,"
                + " 2 threads)%n",
            TrainBench.cpuModel(), peerVersion)
        + "| preset | antidote | PyTorch | ratio | hooked intervention | overhead | baked-in intervention | overhead |\n"
        + "|---|---|---|---|---|---|---|---|\n"
        + rows
        + "goals: ratio >= 1.0x; overhead <= 5% (overhead = time per token with the intervention / without - 1)";
  }

  /** CPU time of this process, all threads (native ones included), in nanoseconds. */
  static long cpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The Python of the benchmark peers: {@code ANTIDOTE_PYTHON}, else the launcher's environment.
   */
  static String python(Path root) {
    String p = System.getenv("ANTIDOTE_PYTHON");
    return p != null && !p.isBlank()
        ? p
        : root.resolve(".antidote-build/venv/bin/python").toString();
  }

  private static void writeFloats(Path f, Activations acts, int p, int dh) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(acts.count() * p * dh * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < acts.count(); i++) {
      for (int h = 0; h < p; h++) {
        for (float v : acts.head(i, h / acts.heads(), h % acts.heads())) {
          b.putFloat(v);
        }
      }
    }
    Files.write(f, b.array());
  }

  private static void writeInts(Path f, int[] v) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int x : v) {
      b.putInt(x);
    }
    Files.write(f, b.array());
  }
}
