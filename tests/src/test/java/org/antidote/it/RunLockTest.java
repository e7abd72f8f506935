package org.antidote.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.antidote.model.Transformer;
import org.antidote.tokenize.PackedTokens;
import org.antidote.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code train} commands on one run folder: while the first (another process) trains, the
 * second is refused with a lock message naming the first's process id, and changes nothing; the
 * first finishes undisturbed, and its run loads. Once it has finished, the folder is free again.
 */
class RunLockTest {

  @TempDir Path tmp;

  @Test
  void aSecondTrainOnTheSameFolderIsRefusedNamingTheFirst() throws Exception {
    SplittableRandom r = new SplittableRandom(3);
    int[] train = new int[40_000];
    int[] val = new int[4_000];
    for (int[] a : new int[][] {train, val}) {
      for (int i = 0; i < a.length; i++) {
        a[i] = 1 + r.nextInt(255);
      }
    }
    Path data = tmp.resolve("data");
    PackedTokens.packIds(Map.of("train", train, "validation", val), 256, 0, "synthetic", data);
    Path run = tmp.resolve("run");
    List<String> first = ResumeAfterKillTest.trainCommand(data, run);
    first.set(
        first.indexOf("--steps") + 1,
        "80"); // long enough to be caught training, short enough to wait for
    Path log = tmp.resolve("first.log");
    Process p =
        new ProcessBuilder(first).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!Files.exists(run.resolve("metrics.jsonl"))
          && p.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(
          p.isAlive(),
          "the first training ended before the second started:\n" + Files.readString(log));
      Map<String, String> before = BadInputTest.tree(run);
      before.remove("metrics.jsonl"); // the first run is still writing these
      before.keySet().removeIf(k -> k.startsWith("checkpoints"));

      List<String> args = first.subList(first.indexOf("train"), first.size());
      BadInputTest.Outcome second = BadInputTest.run(args.toArray(String[]::new));
      assertEquals(2, second.exit(), second.err());
      assertTrue(
          second.err().contains("another antidote process (PID " + p.pid() + ") is training"),
          second.err());
      assertFalse(second.err().contains("\tat "), second.err());
      Map<String, String> after = BadInputTest.tree(run);
      after.remove("metrics.jsonl");
      after.keySet().removeIf(k -> k.startsWith("checkpoints"));
      assertEquals(before, after, "the refused second run changed the folder");
      assertTrue(p.isAlive(), "the first run did not outlive the refusal");
    } finally {
      if (!p.waitFor(8, TimeUnit.MINUTES)) {
        p.destroyForcibly();
      }
    }
    assertEquals(0, p.exitValue(), Files.readString(log));
    assertFalse(Files.exists(run.resolve(".lock")), "the lock outlived its run");
    try (Transformer model = Trainer.loadModel(run, Device.cpu())) {
      assertEquals(256, model.config().vocab(), "the first run's weights load");
    }
    // Free again: the same command now finds the finished run and returns its result.
    List<String> args = first.subList(first.indexOf("train"), first.size());
    assertEquals(0, BadInputTest.run(args.toArray(String[]::new)).exit());
  }
}
