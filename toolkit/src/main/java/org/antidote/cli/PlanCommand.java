package org.antidote.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.antidote.io.BadInputException;
import org.antidote.model.ModelConfig;
import org.antidote.model.Precision;
import org.antidote.model.Preset;
import org.antidote.train.MemoryPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./antidote plan}: memory and time of a training configuration, before renting a GPU. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Parameters, optimiser state, activation memory per micro-batch (with and without",
      "--checkpoint-activations), the largest micro-batch that fits, and the time for --tokens at --mfu of an",
      "H100's or H200's peak, for one run and for the paper's grid (6 toxic shares x 2 seeds)."
    })
final class PlanCommand implements Callable<Integer> {

  @Option(
      names = "--preset",
      defaultValue = "all",
      description = "tiny, small, gpt2-124m, olmo-1b or all (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = {"--batch", "--batch-size"},
      defaultValue = "8",
      description = "Sequences per micro-batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--context", description = "Positions per sequence (default: the preset's).")
  Integer context;

  @Option(
      names = "--grad-accum",
      defaultValue = "1",
      description = "Micro-batches per step (default: ${DEFAULT-VALUE}).")
  int gradAccum;

  @Option(names = "--fp16", description = "float16 matrix products (the GPU check's precision).")
  boolean fp16;

  @Option(
      names = "--checkpoint-activations",
      description = "Plan the total with recomputed blocks.")
  boolean checkpointActivations;

  @Option(
      names = "--gpu",
      defaultValue = "H100",
      description = "H100 or H200: peak FLOP/s and memory (default: ${DEFAULT-VALUE}).")
  String gpu;

  @Option(
      names = "--device-memory",
      paramLabel = "SIZE",
      description = "Memory to fit in, e.g. 80GB (default: the GPU's).")
  String deviceMemory;

  @Option(
      names = "--mfu",
      defaultValue = "0.4",
      description = "Model FLOPs utilisation (default: ${DEFAULT-VALUE}).")
  double mfu;

  @Option(
      names = "--tokens",
      defaultValue = "20.1e9",
      description = "Tokens of one run, e.g. 20.1e9 or 20.1B (default: the paper's clean tokens).")
  String tokens;

  @Override
  public Integer call() {
    MemoryPlan.Gpu g = MemoryPlan.Gpu.parse(gpu);
    long memory = deviceMemory == null ? 0 : bytes(deviceMemory);
    long n = count(tokens);
    List<Preset> presets =
        preset.strip().equalsIgnoreCase("all")
            ? List.of(Preset.values())
            : List.of(Preset.parse(preset));
    for (Preset p : presets) {
      ModelConfig m = p.config();
      MemoryPlan plan =
          MemoryPlan.of(
              m,
              batch,
              context != null ? context : m.context(),
              gradAccum,
              fp16 ? Precision.FP16 : Precision.FP32,
              checkpointActivations,
              memory,
              g,
              mfu,
              n);
      System.out.println("== " + p.id());
      System.out.println(plan);
    }
    return 0;
  }

  /** "80GB", "80 GiB", "512MB" or a number of bytes. */
  static long bytes(String s) {
    String v = s.strip().toUpperCase(Locale.ROOT).replace(" ", "");
    double unit = 1;
    String[][] units = {
      {"GIB", "1073741824"},
      {"MIB", "1048576"},
      {"TB", "1e12"},
      {"GB", "1e9"},
      {"MB", "1e6"},
      {"B", "1"}
    };
    for (String[] u : units) {
      if (v.endsWith(u[0])) {
        unit = Double.parseDouble(u[1]);
        v = v.substring(0, v.length() - u[0].length());
        break;
      }
    }
    try {
      double x = Double.parseDouble(v) * unit;
      if (!(x >= 1)) {
        throw new NumberFormatException();
      }
      return (long) x;
    } catch (NumberFormatException e) {
      throw new BadInputException(
          "--device-memory must be a size such as 80GB or 141GB, got '" + s + "'");
    }
  }

  /** "20.1e9", "20.1B", "500M" or a plain count. */
  static long count(String s) {
    String v = s.strip().toUpperCase(Locale.ROOT);
    double unit = v.endsWith("B") ? 1e9 : v.endsWith("M") ? 1e6 : v.endsWith("K") ? 1e3 : 1;
    if (unit != 1) {
      v = v.substring(0, v.length() - 1);
    }
    try {
      double x = Double.parseDouble(v) * unit;
      if (!(x >= 1)) {
        throw new NumberFormatException();
      }
      return (long) x;
    } catch (NumberFormatException e) {
      throw new BadInputException(
          "--tokens must be a count such as 20.1e9 or 20.1B, got '" + s + "'");
    }
  }
}
