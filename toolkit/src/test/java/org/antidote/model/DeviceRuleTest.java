package org.antidote.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.antidote.io.BadInputException;
import org.junit.jupiter.api.Test;

/** One device rule: names parse in one place, and no other main source pins a model to a device. */
class DeviceRuleTest {

  /**
   * Files allowed to name a device directly, each for a reason that is not "which device the user
   * asked for": the rule's own home, and benchmarks whose peers are CPU PyTorch and scikit-learn.
   */
  private static final Map<String, String> ALLOWED =
      Map.of(
          "toolkit/src/main/java/org/antidote/model/Devices.java", "the device-choice code itself",
          "toolkit/src/main/java/org/antidote/bench/TrainBench.java",
              "measured against PyTorch on the CPU",
          "toolkit/src/main/java/org/antidote/bench/ProbeBench.java",
              "measured against scikit-learn on the CPU",
          "toolkit/src/main/java/org/antidote/bench/HfBench.java",
              "measured against transformers on the CPU",
          "toolkit/src/main/java/org/antidote/toy/MarkovToy.java",
              "width-4 toy models, CPU by design",
          "toolkit/src/main/java/org/antidote/probe/SurfaceBaseline.java",
              "a few surface features per text, CPU by design",
          "toolkit/src/main/java/org/antidote/eval/MiniLmHead.java",
              "the scorer's device comes with ./antidote score");

  private static final Pattern PINNED = Pattern.compile("\\bDevice\\.(cpu|gpu)\\(");

  @Test
  void noSourceOutsideTheDeviceRuleNamesADevice() throws IOException {
    Path root = root();
    List<String> offenders = new ArrayList<>();
    for (String module : List.of("toolkit/src/main/java", "kernel/src/main/java")) {
      Path dir = root.resolve(module);
      assertTrue(Files.isDirectory(dir), "no sources at " + dir);
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          String rel = root.relativize(f).toString().replace('\\', '/');
          if (ALLOWED.containsKey(rel)) {
            continue;
          }
          List<String> lines = Files.readAllLines(f);
          for (int i = 0; i < lines.size(); i++) {
            Matcher m = PINNED.matcher(lines.get(i));
            if (m.find()
                && !lines.get(i).strip().startsWith("*")
                && !lines.get(i).strip().startsWith("//")) {
              offenders.add(rel + ":" + (i + 1) + ": " + lines.get(i).strip());
            }
          }
        }
      }
    }
    assertEquals(
        List.of(), offenders, "take the device from org.antidote.model.Devices (--device) instead");
  }

  @Test
  void namesParseOrAreRefusedWithTheFlag() {
    assertEquals(Device.cpu(), Devices.parse("cpu"));
    assertEquals(Device.cpu(), Devices.parse(" CPU "));
    assertEquals(Devices.auto(), Devices.parse("auto"));
    assertEquals("cpu", Devices.name(Devices.parse("cpu")));
    BadInputException bad = assertThrows(BadInputException.class, () -> Devices.parse("tpu"));
    assertTrue(
        bad.getMessage().contains("--device must be auto, cpu, gpu or gpu:N"), bad.getMessage());
    if (Engine.getInstance().getGpuCount() == 0) {
      BadInputException noGpu = assertThrows(BadInputException.class, () -> Devices.parse("gpu:1"));
      assertTrue(noGpu.getMessage().contains("DJL sees no GPU"), noGpu.getMessage());
      assertEquals(Device.cpu(), Devices.auto());
    }
    BadInputException index = assertThrows(BadInputException.class, () -> Devices.parse("gpu:x"));
    assertTrue(index.getMessage().contains("gpu:N"), index.getMessage());
  }

  private static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("antidote"))) {
      p = p.getParent();
    }
    assertTrue(
        p != null,
        "cannot find the repository root (the antidote launcher) above "
            + Path.of("").toAbsolutePath());
    return p;
  }
}
