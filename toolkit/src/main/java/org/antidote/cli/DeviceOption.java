package org.antidote.cli;

import ai.djl.Device;
import org.antidote.model.Devices;
import picocli.CommandLine.Option;

/**
 * The {@code --device auto|cpu|gpu[:N]} flag as a picocli mixin: a command that builds or loads a
 * model declares {@code @Mixin DeviceOption device;} and calls {@link #device()}.
 */
public final class DeviceOption {

  @Option(
      names = "--device",
      defaultValue = "auto",
      paramLabel = "auto|cpu|gpu[:N]",
      description =
          "Where models run: auto (the first GPU if DJL sees one), cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  String name = "auto";

  /** The parsed device (see {@link Devices#parse}). */
  public Device device() {
    return Devices.parse(name);
  }
}
