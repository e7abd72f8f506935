package org.antidote.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.antidote.io.Json;
import org.antidote.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Status} from the folder alone, as on a machine without Slurm's queue or sacct. */
class StatusTest {

  @TempDir Path tmp;

  static void runFolder(Path run, boolean finished, boolean checkpoint) throws Exception {
    Files.createDirectories(run.resolve("checkpoints"));
    Files.writeString(run.resolve("config.json"), "{\"format\":\"" + Trainer.FORMAT + "\"}");
    Files.writeString(
        run.resolve("metrics.jsonl"),
        "{\"step\":40,\"loss\":3.25}\n{\"step\":50,\"loss\":3.125}\n{\"st");
    Files.setLastModifiedTime(run.resolve("metrics.jsonl"), FileTime.fromMillis(0));
    if (finished) {
      Files.writeString(run.resolve("result.json"), "{}");
    }
    if (!checkpoint) {
      Files.delete(run.resolve("checkpoints"));
    }
  }

  @Test
  void eachStateFromRunFoldersLogsAndJobs() throws Exception {
    runFolder(tmp.resolve("share-00-seed-1"), true, true);
    runFolder(tmp.resolve("share-10-seed-1"), false, true);
    runFolder(tmp.resolve("share-20-seed-1"), false, false);
    Files.createDirectories(tmp.resolve("logs"));
    Files.writeString(
        tmp.resolve("logs/train-share-10-seed-1.log"),
        "== antidote: job 5\nstep 50\n== antidote: stopped with exit 143; requeueing job 5\n== antidote: exit 143\n");
    Files.writeString(
        tmp.resolve("logs/train-share-20-seed-1.log"),
        "== antidote: job 6\nerror: the validation split is too short\n== antidote: exit 2\n");
    Files.writeString(
        tmp.resolve("logs/report.log"), "== antidote: job 9\nall done\n== antidote: exit 0\n");
    Files.createDirectories(tmp.resolve("slurm"));
    Json.write(
        tmp.resolve("slurm/jobs.json"),
        List.of(
            new Slurm.Job(
                "train",
                "4",
                true,
                List.of(
                    "share-00-seed-1", "share-10-seed-1", "share-20-seed-1", "share-30-seed-1")),
            new Slurm.Job("report", "9", false, List.of("report"))));

    Status s = Status.of(tmp);
    List<String> states = s.rows().stream().map(r -> r.task() + " " + r.state()).toList();
    assertEquals(
        List.of(
            "share-00-seed-1 done",
            "share-10-seed-1 stopped",
            "share-20-seed-1 failed",
            "share-30-seed-1 not started",
            "report done"),
        states);
    Status.Row failed = s.rows().get(2);
    assertTrue(
        failed.note().contains("exit 2") && failed.note().contains("validation split is too short"),
        failed.note());
    assertEquals("4_2", failed.job());
    assertEquals(50, s.rows().get(1).step());
    assertEquals(3.125, s.rows().get(1).loss());
    assertEquals("9", s.rows().get(4).job());
    assertTrue(
        s.toString().contains("share-20-seed-1") && s.toString().contains("failed"), s.toString());
  }

  @Test
  void withoutALaunchEveryRunFolderIsARow() throws Exception {
    runFolder(tmp.resolve("runs/a"), true, true);
    runFolder(tmp.resolve("runs/b"), false, true);
    Files.writeString(
        tmp.resolve("runs/b/metrics.jsonl"), "{\"step\":7,\"loss\":2.5}\n"); // written just now
    List<String> states =
        Status.of(tmp).rows().stream().map(r -> r.task() + " " + r.state()).toList();
    assertEquals(List.of("a done", "b running"), states);
  }
}
