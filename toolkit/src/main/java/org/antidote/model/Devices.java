package org.antidote.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Locale;
import org.antidote.io.BadInputException;

/**
 * The one place that turns a device name into a DJL {@link Device}: {@code auto} (the first GPU
 * when DJL sees one, else the CPU), {@code cpu}, {@code gpu} or {@code gpu:N}. Every command and
 * API that builds or loads a model takes its device from here, so "which device" means the same
 * everywhere; a test keeps {@code Device.cpu()} out of the rest of the sources.
 */
public final class Devices {

  private Devices() {}

  /** The device {@code auto} means here: the first GPU if DJL sees one, else the CPU. */
  public static Device auto() {
    return gpuCount() > 0 ? Device.gpu() : Device.cpu();
  }

  /** The CPU, for work that is CPU-only by nature (plain-Java numerics, tokenizer tables). */
  public static Device cpu() {
    return Device.cpu();
  }

  /**
   * Parses {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}; a GPU that DJL does not see is
   * refused with a sentence naming the flag, not a native error later.
   */
  public static Device parse(String name) {
    String v = name == null ? "auto" : name.strip().toLowerCase(Locale.ROOT);
    if (v.equals("auto")) {
      return auto();
    }
    if (v.equals("cpu")) {
      return Device.cpu();
    }
    if (v.equals("gpu") || v.equals("cuda") || v.startsWith("gpu:") || v.startsWith("cuda:")) {
      int colon = v.indexOf(':');
      int index;
      try {
        index = colon < 0 ? 0 : Integer.parseInt(v.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new BadInputException(
            "--device " + name + ": expected gpu:N with N a GPU index such as 0");
      }
      int n = gpuCount();
      if (n == 0) {
        throw new BadInputException(
            "--device "
                + name
                + ", but DJL sees no GPU (it loaded "
                + Engine.getInstance().getEngineName()
                + " "
                + Engine.getInstance().getVersion()
                + " for the CPU); build with ANTIDOTE_MAVEN_OPTS=-Dpytorch.native=pytorch-native-cu124 (README: GPU)"
                + " or use --device cpu");
      }
      if (index < 0 || index >= n) {
        throw new BadInputException(
            "--device " + name + ": DJL sees " + n + " GPU(s), indices 0.." + (n - 1));
      }
      return Device.gpu(index);
    }
    throw new BadInputException("--device must be auto, cpu, gpu or gpu:N, got '" + name + "'");
  }

  /** How a device is written back on the command line and in run records ("cpu", "gpu:0"). */
  public static String name(Device d) {
    return d.isGpu() ? "gpu:" + d.getDeviceId() : "cpu";
  }

  /**
   * Total memory of a device in bytes: the GPU's own, or the machine's physical memory for the CPU.
   */
  public static long memoryBytes(Device d) {
    if (d.isGpu()) {
      return CudaUtils.getGpuMemory(d).getMax();
    }
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getTotalMemorySize();
    }
    return Long.MAX_VALUE; // unknown: no refusal on memory grounds
  }

  private static int gpuCount() {
    return Engine.getInstance().getGpuCount();
  }
}
