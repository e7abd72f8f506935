package org.antidote.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.antidote.io.Json;
import org.antidote.model.Devices;
import org.antidote.model.ModelConfig;
import org.antidote.model.Precision;
import org.antidote.model.Preset;
import org.antidote.model.Transformer;
import org.antidote.train.MemoryPlan;

/**
 * Checks {@link MemoryPlan}'s activation estimate against the CPU: resident memory of a fresh JVM
 * grown over one micro-batch's forward pass (plain), and the peak over forward and backward, plain
 * and with activation checkpointing. Each measurement is its own child process, with glibc told to
 * map every block of 64 KiB or more on its own ({@code MALLOC_MMAP_THRESHOLD_}), so freed tensors
 * leave the resident set at once and other processes on a shared machine do not enter the figure.
 */
public final class MemoryBench {

  private MemoryBench() {}

  /** What one child measured, in bytes of resident memory above the moment before the pass. */
  public record Measured(long afterForward, long peak) {}

  /** Runs the check for {@code preset} with micro-batch {@code batch}; returns the report. */
  public static String run(Preset preset, int batch, PrintStream log)
      throws IOException, InterruptedException {
    ModelConfig m = preset.config();
    MemoryPlan plan =
        MemoryPlan.of(
            m,
            batch,
            m.context(),
            1,
            Precision.FP32,
            false,
            Devices.memoryBytes(Devices.cpu()),
            MemoryPlan.Gpu.H100,
            0.4,
            1);
    List<Measured> plain = new ArrayList<>();
    List<Measured> checkpointed = new ArrayList<>();
    for (int rep = 0; rep < 3; rep++) {
      log.println("plain pass " + (rep + 1) + " of 3 ...");
      plain.add(child(preset, batch, false));
      log.println("checkpointed pass " + (rep + 1) + " of 3 ...");
      checkpointed.add(child(preset, batch, true));
    }
    long fwd = median(plain.stream().map(Measured::afterForward).toList());
    long peakPlain = median(plain.stream().map(Measured::peak).toList());
    long peakCkpt = median(checkpointed.stream().map(Measured::peak).toList());
    long estimate = plan.activationBytes(false);
    double ratio = (double) estimate / fwd;
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            "bench memory  (%s; %s, batch %d x %d, float32, CPU; median of 3 fresh JVMs each)%n",
            TrainBench.cpuModel(), preset.id(), batch, m.context()));
    t.append(
        "| quantity | plan | measured (resident growth) | plan / measured |\n|---|---|---|---|\n");
    t.append(
        String.format(
            "| activations held after forward, plain | %s | %s | %.2f |%n",
            mb(estimate), mb(fwd), ratio));
    t.append(
        String.format("| activations, checkpointed | %s | | |%n", mb(plan.activationBytes(true))));
    t.append(String.format("| peak over forward + backward, plain | | %s | |%n", mb(peakPlain)));
    t.append(
        String.format("| peak over forward + backward, checkpointed | | %s | |%n", mb(peakCkpt)));
    t.append(
        String.format(
            "checkpointing saves %s of peak (%.0f %%); the plan's activation estimate is %s %.0f %% of"
                + " the measurement (goal: within 25 %%)%n",
            mb(peakPlain - peakCkpt),
            100.0 * (peakPlain - peakCkpt) / peakPlain,
            Math.abs(ratio - 1) <= 0.25 ? "within" : "OFF BY",
            100 * Math.abs(ratio - 1)));
    return t.toString();
  }

  private static long median(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  private static String mb(long bytes) {
    return String.format("%.1f MB", bytes / 1e6);
  }

  private static Measured child(Preset preset, int batch, boolean checkpointed)
      throws IOException, InterruptedException {
    List<String> cmd =
        List.of(
            TrainBench.java(),
            "-Xmx1g",
            "-Xms1g",
            "-XX:+AlwaysPreTouch",
            "-Dai.djl.offline=true",
            "-Dai.djl.pytorch.num_threads=2",
            "-Dai.djl.pytorch.num_interop_threads=1",
            "-cp",
            System.getProperty("java.class.path"),
            MemoryBench.class.getName(),
            preset.id(),
            Integer.toString(batch),
            Boolean.toString(checkpointed));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("MALLOC_MMAP_THRESHOLD_", "65536");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("the memory child failed:\n" + out);
    }
    String[] lines = out.strip().split("\n");
    return Json.MAPPER.readValue(lines[lines.length - 1], Measured.class);
  }

  /** The child: one warm-up step, then the measured pass; prints {@link Measured} as JSON. */
  public static void main(String[] args) throws IOException {
    Preset preset = Preset.parse(args[0]);
    int batch = Integer.parseInt(args[1]);
    boolean checkpointed = Boolean.parseBoolean(args[2]);
    ModelConfig m = preset.config();
    try (Transformer model = Transformer.create(m, 1, Devices.cpu())) {
      for (int pass = 0; pass < 2; pass++) {
        boolean measured = pass == 1;
        try (NDManager s = model.manager().newSubManager()) {
          NDArray[] xy = tokens(s, m, batch, pass);
          long before = status("VmRSS:");
          if (measured) {
            Files.writeString(
                Path.of("/proc/self/clear_refs"), "5"); // resets VmHWM to the current RSS
          }
          long afterForward = -1;
          if (checkpointed) {
            model.backward(xy[0], xy[1], l -> l, true);
          } else {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              NDArray loss = model.loss(xy[0], xy[1]);
              loss.getFloat();
              afterForward = status("VmRSS:") - before;
              gc.backward(loss);
            }
          }
          long peak = status("VmHWM:") - before;
          model
              .parameters()
              .values()
              .forEach(
                  p -> {
                    try (NDArray g = p.getGradient()) {
                      g.muli(0);
                    }
                  });
          if (measured) {
            System.out.println(Json.line(new Measured(afterForward, peak)));
          }
        }
      }
    }
  }

  private static NDArray[] tokens(NDManager s, ModelConfig m, int batch, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = batch * m.context();
    long[] x = new long[n];
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextInt(m.vocab());
      y[i] = r.nextInt(m.vocab());
    }
    Shape shape = new Shape(batch, m.context());
    return new NDArray[] {s.create(x, shape), s.create(y, shape)};
  }

  private static long status(String field) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith(field)) {
        return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
      }
    }
    throw new IllegalStateException(
        "no " + field + " in /proc/self/status: the memory check needs Linux");
  }
}
