package org.antidote.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.antidote.io.SafeTensors;
import org.antidote.tokenize.PackedTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resume promise, tested the hard way: a training process is killed with SIGKILL at an
 * arbitrary moment, restarted with the same command, and must end with the same weights, bit for
 * bit, as a process that was never interrupted.
 */
class ResumeAfterKillTest {

  @TempDir static Path tmp;
  private static Path straight;

  /** The uninterrupted run both tests compare with, trained once. */
  static synchronized Path straight(Path data) throws Exception {
    if (straight == null) {
      Path run = tmp.resolve("straight");
      assertEquals(
          0,
          run(trainCommand(data, run), tmp.resolve("straight.log")),
          Files.readString(tmp.resolve("straight.log")));
      straight = run;
    }
    return straight;
  }

  static List<String> trainCommand(Path data, Path run) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=2",
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp",
                System.getProperty("java.class.path"),
                "org.antidote.cli.Main",
                "train",
                "--data",
                data.toString(),
                "--out",
                run.toString(),
                "--preset",
                "tiny",
                "--steps",
                "300",
                "--batch-size",
                "8",
                "--checkpoint-every",
                "7",
                "--log-every",
                "5",
                "--eval-every",
                "50",
                "--seed",
                "4"));
    return cmd;
  }

  static int run(List<String> cmd, Path log) throws Exception {
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES));
    return p.exitValue();
  }

  @Test
  void killedAndResumedEqualsUninterrupted() throws Exception {
    Path data = syntheticData(tmp);

    // Kill the second process once it has written a few checkpoints: mid-step, mid-write, wherever
    // it is.
    Path killed = tmp.resolve("killed");
    Process p =
        new ProcessBuilder(trainCommand(data, killed))
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("killed.log").toFile())
            .start();
    awaitCheckpoint(p, killed, 35);
    p.destroyForcibly(); // SIGKILL on Linux
    p.waitFor();
    assertTrue(!Files.exists(killed.resolve("result.json")));

    assertEquals(
        0,
        run(trainCommand(data, killed), tmp.resolve("resumed.log")),
        Files.readString(tmp.resolve("resumed.log")));
    assertTrue(
        Files.readString(tmp.resolve("resumed.log")).contains("resuming at step"),
        Files.readString(tmp.resolve("resumed.log")));
    assertSameWeights(straight(data), killed);
  }

  /**
   * SIGTERM (what Slurm sends on preemption) and SIGINT (Ctrl-C) each stop training at the next
   * step boundary with a checkpoint of that step, exit 143 and 130, and the same command resumes to
   * the uninterrupted run's weights.
   */
  @Test
  void sigtermAndSigintCheckpointAndResumeExactly() throws Exception {
    Path data = syntheticData(tmp);

    Path stopped = tmp.resolve("stopped");
    int resumedAt = 0;
    String[][] signals = {{"TERM", "143"}, {"INT", "130"}};
    for (int i = 0; i < signals.length; i++) {
      Path log = tmp.resolve("stopped-" + i + ".log");
      Process p =
          new ProcessBuilder(trainCommand(data, stopped))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      awaitCheckpoint(p, stopped, resumedAt + 15);
      assertEquals(
          0,
          new ProcessBuilder("kill", "-" + signals[i][0], Long.toString(p.pid()))
              .start()
              .waitFor());
      assertTrue(p.waitFor(5, TimeUnit.MINUTES), "no exit after SIG" + signals[i][0]);
      String out = Files.readString(log);
      assertEquals(Integer.parseInt(signals[i][1]), p.exitValue(), out);
      Matcher m =
          Pattern.compile("stopped by SIG" + signals[i][0] + " after step (\\d+)").matcher(out);
      assertTrue(m.find(), out);
      int step = Integer.parseInt(m.group(1));
      assertTrue(step > resumedAt, out);
      // The checkpoint is of the step it stopped after, not the last periodic one.
      assertTrue(
          Files.isRegularFile(
              stopped.resolve("checkpoints").resolve(String.format("step-%08d.safetensors", step))),
          out);
      assertTrue(!Files.exists(stopped.resolve("result.json")));
      resumedAt = step;
    }
    Path log = tmp.resolve("stopped-resumed.log");
    assertEquals(0, run(trainCommand(data, stopped), log), Files.readString(log));
    assertTrue(
        Files.readString(log).contains("resuming at step " + resumedAt), Files.readString(log));
    assertSameWeights(straight(data), stopped);
  }

  static void awaitCheckpoint(Process p, Path run, int step) throws Exception {
    Path checkpoints = run.resolve("checkpoints");
    String name = String.format("step-%08d", step);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline && p.isAlive()) {
      if (Files.isDirectory(checkpoints)) {
        try (var files = Files.list(checkpoints)) {
          if (files.map(f -> f.getFileName().toString()).anyMatch(n -> n.compareTo(name) >= 0)) {
            break;
          }
        }
      }
      Thread.sleep(20);
    }
    assertTrue(p.isAlive(), "training finished before it could be stopped; make the run longer");
  }

  static void assertSameWeights(Path expected, Path actual) {
    var a = SafeTensors.read(expected.resolve("model.safetensors")).tensors();
    var b = SafeTensors.read(actual.resolve("model.safetensors")).tensors();
    assertEquals(a.keySet(), b.keySet());
    a.forEach(
        (name, t) ->
            assertArrayEquals(
                t.data(), b.get(name).data(), name + " differs from the uninterrupted run"));
  }

  /** 60k training tokens of a noisy affine chain over 512 ids: learnable, but not in 300 steps. */
  static synchronized Path syntheticData(Path tmp) {
    Path data = tmp.resolve("data");
    return Files.isDirectory(data) ? data : syntheticData(tmp, 9);
  }

  static Path syntheticData(Path tmp, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] train = new int[60_000];
    int[] val = new int[5_000];
    for (int[] a : new int[][] {train, val}) {
      int cur = 1;
      for (int i = 0; i < a.length; i++) {
        cur = r.nextInt(4) == 0 ? 1 + r.nextInt(511) : 1 + (cur * 13 + 5) % 511;
        a[i] = cur;
      }
    }
    Path data = tmp.resolve("data");
    PackedTokens.packIds(Map.of("train", train, "validation", val), 512, 0, "synthetic", data);
    return data;
  }
}
