package org.antidote.bench;

import ai.djl.Device;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import org.antidote.io.Versions;
import org.antidote.model.Devices;
import org.antidote.model.DtypeSupport;
import org.antidote.model.ModelConfig;
import org.antidote.model.Precision;
import org.antidote.model.Preset;
import org.antidote.tokenize.PackedTokens;
import org.antidote.train.MemoryPlan;
import org.antidote.train.Metrics;
import org.antidote.train.TrainConfig;
import org.antidote.train.TrainListener;
import org.antidote.train.Trainer;

/**
 * The check a CUDA machine must pass ({@code bench/gpu-check.sh} runs it): {@code gpt2-124m} in the
 * fastest half precision the engine computes on the GPU, for a number of steps, reporting tokens/s
 * and MFU against the GPU's half-precision peak; then a few steps of the same seed and data in that
 * precision on the GPU and in float32 on the CPU, loss by loss.
 */
public final class GpuBench {

  private GpuBench() {}

  /** What the check measured (written as {@code gpu-check.json}). */
  public record Result(
      String device,
      String precision,
      int batch,
      int context,
      int steps,
      double tokensPerSecond,
      double mfu,
      double peakTflops,
      List<Double> halfLosses,
      List<Double> cpuLosses,
      double maxRelativeLossGap,
      Map<String, String> versions) {}

  /**
   * Runs the check on {@code gpu}; {@code peakTflops} is the GPU's dense half-precision peak;
   * {@code out} gets the data, the runs and {@code gpu-check.json}.
   */
  public static Result run(
      Device gpu,
      int steps,
      int compareSteps,
      int compareBatch,
      double peakTflops,
      Path out,
      PrintStream log)
      throws IOException {
    if (!gpu.isGpu()) {
      throw new BadInputException(
          "the GPU check needs --device gpu[:N]; DJL sees " + Devices.name(gpu));
    }
    Precision half =
        DtypeSupport.supported(Precision.BF16, gpu)
            ? Precision.BF16
            : DtypeSupport.supported(Precision.FP16, gpu) ? Precision.FP16 : null;
    if (half == null) {
      throw new BadInputException(
          "neither bfloat16 nor float16 products work on "
              + Devices.name(gpu)
              + " with this engine; see README: GPU");
    }
    log.println(
        "half precision: "
            + half
            + " (bf16 "
            + (half == Precision.BF16 ? "works" : "is refused by the probe")
            + ")");
    ModelConfig m = Preset.GPT2_124M.config();
    Path data = out.resolve("data");
    if (!Files.isDirectory(data)) {
      SplittableRandom r = new SplittableRandom(1);
      PackedTokens.packIds(
          Map.of(
              "train", chain(r, 4_000_000, m.vocab()), "validation", chain(r, 200_000, m.vocab())),
          m.vocab(),
          0,
          "synthetic chain",
          data);
    }
    long memory = Devices.memoryBytes(gpu);
    int batch =
        Math.max(
            1,
            Math.min(
                16,
                MemoryPlan.of(
                        m, 16, m.context(), 1, half, false, memory, MemoryPlan.Gpu.H100, 0.4, 1)
                    .largestBatch(false)));
    log.println(
        "micro-batch "
            + batch
            + " x "
            + m.context()
            + " (the plan's largest that fits, at most 16)");
    TrainConfig speed =
        withPrecision(
            TrainConfig.defaults(m, steps)
                .withBatch(batch, 1)
                .withLr(6e-4)
                .withIntervals(10, steps, steps),
            half);
    List<Metrics> lines = new ArrayList<>();
    Trainer.train(speed, data, out.resolve("speed"), listener(lines, log), gpu);
    // The first fifth of the steps warm up kernels and the caching allocator.
    double tps =
        lines.stream()
            .filter(l -> l.step() > steps / 5)
            .mapToDouble(Metrics::tokensPerSecond)
            .average()
            .orElse(Double.NaN);
    MemoryPlan plan =
        MemoryPlan.of(m, batch, m.context(), 1, half, false, memory, MemoryPlan.Gpu.H100, 0.4, 1);
    double mfu = tps * plan.flopsPerToken() / (peakTflops * 1e12);

    TrainConfig compare =
        withPrecision(
            TrainConfig.defaults(m, compareSteps)
                .withBatch(compareBatch, 1)
                .withLr(6e-4)
                .withIntervals(1, compareSteps, compareSteps),
            half);
    List<Metrics> gpuLines = new ArrayList<>();
    Trainer.train(
        compare,
        data,
        out.resolve("compare-" + half.name().toLowerCase(Locale.ROOT)),
        listener(gpuLines, log),
        gpu);
    List<Metrics> cpuLines = new ArrayList<>();
    log.println("the same " + compareSteps + " steps in float32 on the CPU (slow) ...");
    Trainer.train(
        withPrecision(compare, Precision.FP32),
        data,
        out.resolve("compare-fp32-cpu"),
        listener(cpuLines, log),
        Devices.cpu());
    List<Double> h = gpuLines.stream().map(Metrics::loss).toList();
    List<Double> c = cpuLines.stream().map(Metrics::loss).toList();
    double gap = 0;
    for (int i = 0; i < Math.min(h.size(), c.size()); i++) {
      gap = Math.max(gap, Math.abs(h.get(i) - c.get(i)) / c.get(i));
    }
    Result result =
        new Result(
            Devices.name(gpu),
            half.name(),
            batch,
            m.context(),
            steps,
            tps,
            mfu,
            peakTflops,
            h,
            c,
            gap,
            Versions.all());
    Json.write(out.resolve("gpu-check.json"), result);
    return result;
  }

  /** A report of {@code r} for the console. */
  public static String report(Result r) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "gpu check: gpt2-124m, %s, micro-batch %d x %d, %d steps on %s%n",
            r.precision(),
            r.batch(),
            r.context(),
            r.steps(),
            r.device()));
    b.append(
        String.format(
            Locale.ROOT,
            "tokens/s %,.0f   MFU %.1f %% of %.0f TFLOP/s (goal: >= 40 %%)%n",
            r.tokensPerSecond(),
            100 * r.mfu(),
            r.peakTflops()));
    b.append("| step | loss " + r.precision() + " on GPU | loss fp32 on CPU |\n|---|---|---|\n");
    for (int i = 0; i < Math.max(r.halfLosses().size(), r.cpuLosses().size()); i++) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %s |%n",
              i + 1,
              at(r.halfLosses(), i),
              at(r.cpuLosses(), i)));
    }
    b.append(
        String.format(
            Locale.ROOT, "largest relative loss gap: %.2f %%%n", 100 * r.maxRelativeLossGap()));
    return b.toString();
  }

  private static String at(List<Double> xs, int i) {
    return i < xs.size() ? String.format(Locale.ROOT, "%.4f", xs.get(i)) : "";
  }

  private static TrainConfig withPrecision(TrainConfig c, Precision p) {
    return new TrainConfig(
        c.model(),
        c.seed(),
        c.batchSize(),
        c.gradAccum(),
        c.steps(),
        c.lr(),
        c.minLrRatio(),
        c.warmupSteps(),
        c.weightDecay(),
        c.beta1(),
        c.beta2(),
        c.eps(),
        c.gradClip(),
        c.evalEvery(),
        c.evalBatches(),
        c.logEvery(),
        c.checkpointEvery(),
        c.keepCheckpoints(),
        p == Precision.BF16,
        p == Precision.FP16,
        c.lossScale(),
        c.checkpointActivations());
  }

  private static TrainListener listener(List<Metrics> into, PrintStream log) {
    return new TrainListener() {
      @Override
      public void logged(Metrics metrics) {
        into.add(metrics);
        log.printf(
            Locale.ROOT,
            "step %d loss %.4f tok/s %,.0f%n",
            metrics.step(),
            metrics.loss(),
            metrics.tokensPerSecond());
      }
    };
  }

  /** Tokens that mostly follow a fixed successor: a learnable stream over the whole vocabulary. */
  private static int[] chain(SplittableRandom r, int n, int vocab) {
    int[] ids = new int[n];
    int cur = 1;
    for (int i = 0; i < n; i++) {
      cur = r.nextInt(10) < 8 ? (int) ((cur * 7919L + 13) % vocab) : r.nextInt(vocab);
      ids[i] = cur;
    }
    return ids;
  }
}
