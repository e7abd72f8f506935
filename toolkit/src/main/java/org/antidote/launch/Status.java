package org.antidote.launch;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import org.antidote.plot.Displayable;
import org.antidote.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What a study or sweep folder's tasks are doing, read from the folder itself (run folders, their
 * metrics, the task logs, {@code slurm/jobs.json}) and, where Slurm's {@code squeue} is on the
 * path, from the queue. It needs no accounting database ({@code sacct}): a task that left the queue
 * is judged by its log's last exit line and its run folder.
 *
 * @param dir the folder
 * @param rows one per task of every submitted stage, or one per run folder when nothing was
 *     submitted
 */
public record Status(Path dir, List<Row> rows) implements Displayable {

  /**
   * One task.
   *
   * @param stage its stage ({@code train} for a run folder found without a launch)
   * @param task the run it works on, or the stage's name
   * @param state queued, running, done, failed, stopped (checkpointed, not queued) or not started
   * @param step the run's last logged step (training tasks), or null
   * @param loss the loss at that step, or null
   * @param job Slurm job id ({@code 123_4} for an array task), or null
   * @param note the queue's reason for a queued task, the log's last lines for a failed one
   */
  public record Row(
      String stage,
      String task,
      String state,
      Integer step,
      Double loss,
      String job,
      String note) {}

  /** Reads the state of every task in {@code dir}. */
  public static Status of(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(dir + ": no such folder (give a study or sweep folder)");
    }
    Map<String, Path> runs = runFolders(dir);
    List<Slurm.Job> jobs = Slurm.jobs(dir);
    Map<String, String[]> queue = squeue(jobs);
    List<Row> rows = new ArrayList<>();
    if (jobs.isEmpty()) {
      runs.forEach(
          (name, run) ->
              rows.add(
                  row(
                      dir,
                      "train",
                      name,
                      run,
                      null,
                      null,
                      dir.resolve("logs/train-" + name + ".log"))));
    }
    for (Slurm.Job job : jobs) {
      for (int i = 0; i < job.tasks().size(); i++) {
        String task = job.tasks().get(i);
        String id = job.array() ? job.jobId() + "_" + i : job.jobId();
        Path log =
            dir.resolve("logs")
                .resolve(job.array() ? job.stage() + "-" + task + ".log" : job.stage() + ".log");
        rows.add(
            row(
                dir,
                job.stage(),
                task,
                job.stage().equals("train") ? runs.get(task) : null,
                id,
                queue.get(id),
                log));
      }
    }
    if (rows.isEmpty()) {
      throw new BadInputException(
          dir + " holds no run folders and no submitted jobs (slurm/jobs.json)");
    }
    return new Status(dir, rows);
  }

  private static Row row(
      Path dir, String stage, String task, Path run, String job, String[] queued, Path log) {
    Integer step = null;
    Double loss = null;
    if (run != null) {
      JsonNode last = lastMetrics(run.resolve("metrics.jsonl"));
      if (last != null) {
        step = last.path("step").asInt();
        loss = last.path("loss").asDouble();
      }
    }
    String state;
    String note = "";
    Integer exit = lastExit(log);
    if (run != null && Files.isRegularFile(run.resolve("result.json"))) {
      state = "done";
    } else if (queued != null) {
      state =
          switch (queued[0]) {
            case "RUNNING", "COMPLETING", "CONFIGURING" -> "running";
            case "PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "SUSPENDED" -> "queued";
            default -> queued[0].toLowerCase(Locale.ROOT);
          };
      note = state.equals("queued") && !queued[1].equals("None") ? queued[1] : "";
    } else if (exit != null && exit == 0) {
      state = "done";
    } else if (exit != null && exit <= 128) {
      state = "failed";
      note = "exit " + exit + ": " + tail(log, 3).replace("\n", " | ");
    } else if (exit == null && run != null && recentlyWritten(run.resolve("metrics.jsonl"))) {
      state = "running"; // a local task: its metrics moved in the last two minutes
    } else if (exit != null || run != null && Files.isDirectory(run.resolve("checkpoints"))) {
      state = "stopped";
      note = "resumes from its last checkpoint when run again";
    } else {
      state = "not started";
    }
    return new Row(stage, task, state, step, loss, job, note);
  }

  private static boolean recentlyWritten(Path f) {
    try {
      return Files.isRegularFile(f)
          && System.currentTimeMillis() - Files.getLastModifiedTime(f).toMillis()
              < TimeUnit.MINUTES.toMillis(2);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Run folders (a {@code config.json} of a training run) up to three levels below {@code dir}, by
   * name.
   */
  static Map<String, Path> runFolders(Path dir) {
    Map<String, Path> runs = new LinkedHashMap<>();
    try (Stream<Path> s =
        Files.find(dir, 3, (p, a) -> p.getFileName().toString().equals("config.json"))) {
      s.sorted()
          .forEach(
              f -> {
                try {
                  if (Trainer.FORMAT.equals(
                      Json.MAPPER.readTree(f.toFile()).path("format").asText())) {
                    runs.put(f.getParent().getFileName().toString(), f.getParent());
                  }
                } catch (IOException unreadable) {
                  // Not a run's config (or one being written): not a run folder.
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + dir, e);
    }
    return runs;
  }

  /** Job id to (state, reason) from squeue, or nothing where squeue is missing or fails. */
  static Map<String, String[]> squeue(List<Slurm.Job> jobs) {
    Map<String, String[]> m = new HashMap<>();
    if (jobs.isEmpty()) {
      return m;
    }
    List<String> cmd =
        List.of(
            "squeue",
            "-h",
            "-r",
            "-o",
            "%i|%T|%r",
            "-j",
            String.join(",", jobs.stream().map(Slurm.Job::jobId).toList()));
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(false)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(1, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return m;
      }
      for (String line : out.split("\n")) {
        String[] f = line.strip().split("\\|", 3);
        if (f.length == 3) {
          m.put(f[0], new String[] {f[1], f[2]});
        }
      }
    } catch (IOException noSlurm) {
      // No squeue here: the folder alone tells the state.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return m;
  }

  private static JsonNode lastMetrics(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    List<String> lines = lines(file);
    for (int i = lines.size() - 1; i >= 0; i--) {
      try {
        return Json.MAPPER.readTree(lines.get(i));
      } catch (IOException partial) {
        // A line being written: the one before it.
      }
    }
    return null;
  }

  /** The exit code on the task log's last {@code == antidote: exit N} line, or null. */
  private static Integer lastExit(Path log) {
    if (!Files.isRegularFile(log)) {
      return null;
    }
    List<String> lines = lines(log);
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("== antidote: exit ")) {
        return Integer.parseInt(lines.get(i).substring("== antidote: exit ".length()).strip());
      }
      if (lines.get(i).startsWith("== antidote: job ")) {
        return null; // a later start than any exit line: the task is on again
      }
    }
    return null;
  }

  /** The last {@code n} non-empty lines of a log, without the launcher's own lines. */
  static String tail(Path log, int n) {
    if (!Files.isRegularFile(log)) {
      return "(no log)";
    }
    List<String> lines =
        lines(log).stream().filter(l -> !l.isBlank() && !l.startsWith("== antidote:")).toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  private static List<String> lines(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
          .lines()
          .map(
              l -> {
                int cr = l.lastIndexOf('\r'); // a progress bar's redraws: keep what it last showed
                return cr >= 0 ? l.substring(cr + 1) : l;
              })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }

  @Override
  public Table table() {
    Table t =
        Table.create(
            "tasks in " + dir,
            StringColumn.create("stage"),
            StringColumn.create("task"),
            StringColumn.create("state"),
            IntColumn.create("step"),
            DoubleColumn.create("loss"),
            StringColumn.create("job"),
            StringColumn.create("note"));
    for (Row r : rows) {
      t.stringColumn(0).append(r.stage());
      t.stringColumn(1).append(r.task());
      t.stringColumn(2).append(r.state());
      if (r.step() == null) {
        t.intColumn(3).appendMissing();
      } else {
        t.intColumn(3).append(r.step());
      }
      t.doubleColumn(4)
          .append(r.loss() == null ? Double.NaN : Math.round(r.loss() * 1000) / 1000.0);
      t.stringColumn(5).append(r.job() == null ? "" : r.job());
      t.stringColumn(6).append(r.note());
    }
    return t;
  }

  @Override
  public String toString() {
    return table().printAll();
  }
}
