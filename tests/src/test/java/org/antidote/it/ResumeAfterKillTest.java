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

  @TempDir Path tmp;

  static List<String> trainCommand(Path data, Path run) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1",
        "-cp", System.getProperty("java.class.path"), "org.antidote.cli.Main",
        "train", "--data", data.toString(), "--out", run.toString(), "--preset", "tiny", "--steps", "300",
        "--batch-size", "8", "--checkpoint-every", "7", "--log-every", "5", "--eval-every", "50", "--seed", "4"));
    return cmd;
  }

  static int run(List<String> cmd, Path log) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES));
    return p.exitValue();
  }

  @Test
  void killedAndResumedEqualsUninterrupted() throws Exception {
    SplittableRandom r = new SplittableRandom(9);
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

    Path straight = tmp.resolve("straight");
    assertEquals(0, run(trainCommand(data, straight), tmp.resolve("straight.log")), Files.readString(tmp.resolve("straight.log")));

    // Kill the second process once it has written a few checkpoints: mid-step, mid-write, wherever it is.
    Path killed = tmp.resolve("killed");
    Process p = new ProcessBuilder(trainCommand(data, killed)).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("killed.log").toFile()).start();
    Path checkpoints = killed.resolve("checkpoints");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline && p.isAlive()) {
      if (Files.isDirectory(checkpoints)) {
        try (var files = Files.list(checkpoints)) {
          if (files.map(f -> f.getFileName().toString()).anyMatch(n -> n.compareTo("step-00000035") >= 0)) {
            break;
          }
        }
      }
      Thread.sleep(20);
    }
    assertTrue(p.isAlive(), "training finished before it could be killed; make the run longer");
    p.destroyForcibly(); // SIGKILL on Linux
    p.waitFor();
    assertTrue(!Files.exists(killed.resolve("result.json")));

    assertEquals(0, run(trainCommand(data, killed), tmp.resolve("resumed.log")), Files.readString(tmp.resolve("resumed.log")));
    assertTrue(Files.readString(tmp.resolve("resumed.log")).contains("resuming at step"), Files.readString(tmp.resolve("resumed.log")));

    var a = SafeTensors.read(straight.resolve("model.safetensors")).tensors();
    var b = SafeTensors.read(killed.resolve("model.safetensors")).tensors();
    assertEquals(a.keySet(), b.keySet());
    a.forEach((name, t) -> assertArrayEquals(t.data(), b.get(name).data(), name + " differs after kill and resume"));
  }
}
