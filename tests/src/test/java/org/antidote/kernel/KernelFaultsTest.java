package org.antidote.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernel survives its faults on the JDK it was built for and on the newest one the machine
 * carries (where {@code Thread.stop} is gone): {@link KernelFaults} runs in a fresh JVM of each,
 * with a small heap, and every interrupt must end its cell within 2 s.
 */
class KernelFaultsTest {

  /** The JDK 25 the project's machines carry; ANTIDOTE_JDK25 names another. */
  static final Path JDK25 =
      Path.of(System.getenv().getOrDefault("ANTIDOTE_JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64"));

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(strings = {"this", "25"})
  void tightLoopsStopOutOfMemoryAndFloodsAreSurvived(String jdk) throws Exception {
    Path home = jdk.equals("this") ? Path.of(System.getProperty("java.home")) : JDK25;
    Path java = home.resolve("bin/java");
    assertTrue(
        Files.isExecutable(java),
        "no JDK 25 at " + home + " (install Temurin 25 there, or set ANTIDOTE_JDK25)");
    Path log = Files.createTempFile("kernel-faults", ".txt");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                KernelFaults.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean done = p.waitFor(4, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    assertTrue(done, "the kernel faults did not finish in 4 minutes:\n" + out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("all=ok") && out.contains("oom=survived"), out);
    if (jdk.equals("25")) {
      assertTrue(out.contains("java.version=25"), out);
    }
    Matcher m = Pattern.compile("interrupt_ms=(\\d+)").matcher(out);
    int n = 0;
    while (m.find()) {
      n++;
      assertTrue(
          Integer.parseInt(m.group(1)) < 2000, "an interrupt took " + m.group(1) + " ms:\n" + out);
    }
    assertEquals(4, n, out);
    System.out.println(String.join(" ", List.of(out.strip().split("\n"))));
  }
}
