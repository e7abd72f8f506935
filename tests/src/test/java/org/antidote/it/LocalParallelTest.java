package org.antidote.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.antidote.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sweep --launcher local --parallel 2}: two runs at once in their own processes, each with
 * half the cores as threads, recorded in its config.json; a resume under another thread count is
 * refused unless {@code --any-threads}.
 */
class LocalParallelTest {

  @TempDir Path tmp;

  static String run(Path dir, List<String> cmd, int expected) throws Exception {
    Path log = Files.createTempFile(dir, "cmd", ".log");
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertTrue(p.waitFor(8, TimeUnit.MINUTES), String.join(" ", cmd) + " did not finish");
    String out = Files.readString(log);
    assertEquals(expected, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
    return out;
  }

  @Test
  void parallelRunsRecordTheirThreadsAndResumeOnlyUnderTheSameCount() throws Exception {
    Path launcher = SlurmSweepTest.fakeRoot(tmp);
    for (int share : new int[] {0, 10}) {
      Files.move(
          ResumeAfterKillTest.syntheticData(tmp.resolve("d" + share), 9 + share),
          tmp.resolve(String.format("share-%02d", share)));
    }
    List<String> sweep =
        new ArrayList<>(
            List.of(
                launcher.toString(),
                "sweep",
                "--data",
                "share-00",
                "share-10",
                "--out",
                "sweep",
                "--preset",
                "tiny",
                "--steps",
                "20",
                "--batch-size",
                "4",
                "--budget",
                "steps",
                "--eval-batches",
                "2"));
    List<String> parallel = new ArrayList<>(sweep);
    parallel.addAll(List.of("--launcher", "local", "--parallel", "2"));
    String out = run(tmp, parallel, 0);
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    assertTrue(out.contains("2 tasks, 2 at a time, " + threads + " thread"), out);
    for (String run : List.of("share-00-seed-1", "share-10-seed-1")) {
      Path dir = tmp.resolve("sweep").resolve(run);
      assertEquals(threads, Trainer.readConfig(dir).threads(), run);
      assertTrue(Files.isRegularFile(dir.resolve("model.safetensors")), run);
      assertTrue(
          Files.readString(tmp.resolve("sweep/logs/train-" + run + ".log")).contains("20 steps"),
          run);
    }
    assertTrue(out.contains("already done"), out); // the summary after the tasks

    // Make one run unfinished again and resume it with one more thread than it recorded.
    Path run = tmp.resolve("sweep/share-00-seed-1");
    Files.delete(run.resolve("result.json"));
    Files.delete(run.resolve("model.safetensors"));
    List<String> task = new ArrayList<>(List.of("env", "ANTIDOTE_THREADS=" + (threads + 1)));
    task.addAll(sweep);
    task.addAll(List.of("--task", "0"));
    String refused = run(tmp, task, 2);
    assertTrue(
        refused.contains("started with " + threads + " threads")
            && refused.contains("--any-threads"),
        refused);
    task.add("--any-threads");
    run(tmp, task, 0);
    assertTrue(Files.isRegularFile(run.resolve("model.safetensors")));
  }
}
