package org.antidote.launch;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.antidote.io.AtomicFiles;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;

/**
 * Hands a launch's stages to Slurm: one sbatch script per stage in {@code DIR/slurm/}, a job array
 * of one task per run (a single job for the report), each stage submitted with {@code
 * --dependency=afterok} on the one before, so it starts only when every task before it finished.
 * Scripts ask for {@code --requeue} and {@code --signal=B:USR1@120}, forward that signal or a
 * preemption's SIGTERM to Java (which checkpoints at the next step boundary), and requeue
 * themselves after such a stop, exiting non-zero so that no dependent starts early. {@code
 * DIR/slurm/jobs.json} records the job ids for {@link Status}.
 */
public final class Slurm {

  /** What {@code jobs.json} holds: one entry per submitted stage. */
  public record Job(String stage, String jobId, boolean array, List<String> tasks) {}

  /** Folder of the scripts and {@code jobs.json} inside a launch folder. */
  public static final String FOLDER = "slurm";

  private Slurm() {}

  /**
   * Writes every stage's script and submits them in order (or, with {@code dryRun}, prints the
   * sbatch commands without submitting). Returns the submitted jobs (empty for a dry run).
   *
   * @param dir the launch folder (study or sweep folder): scripts, logs and jobs.json go there
   * @param workDir where tasks run (relative paths in their arguments are relative to it)
   */
  public static List<Job> submit(
      Path dir,
      List<Stage> stages,
      ClusterConfig cluster,
      Path workDir,
      boolean dryRun,
      PrintStream out) {
    Path antidote = launcher();
    Path abs = dir.toAbsolutePath().normalize();
    if (!dryRun) {
      List<String> queued = Status.squeue(jobs(abs)).keySet().stream().sorted().toList();
      if (!queued.isEmpty()) {
        throw new BadInputException(
            dir
                + " was submitted already and jobs "
                + String.join(", ", queued)
                + " are still"
                + " in the queue; watch them with ./antidote status "
                + dir
                + ", or scancel them before submitting again");
      }
    }
    List<Path> scripts = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      Path script =
          abs.resolve(FOLDER).resolve(String.format("%d-%s.sbatch", i + 1, stages.get(i).name()));
      String text =
          script(abs, stages.get(i), cluster, workDir.toAbsolutePath().normalize(), antidote);
      try {
        Files.createDirectories(abs.resolve("logs").resolve(FOLDER));
      } catch (IOException e) {
        throw new UncheckedIOException("could not create " + abs.resolve("logs"), e);
      }
      AtomicFiles.writeString(script, text);
      try {
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
      } catch (IOException | UnsupportedOperationException e) {
        // sbatch reads the script; the execute bit only helps someone running it by hand.
      }
      scripts.add(script);
    }
    List<Job> jobs = new ArrayList<>();
    String previous = null;
    for (int i = 0; i < stages.size(); i++) {
      List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
      if (i > 0) {
        cmd.add("--dependency=afterok:" + (dryRun ? "$JOB" + i : previous));
      }
      cmd.add(scripts.get(i).toString());
      if (dryRun) {
        out.println(
            (i + 1 < stages.size()
                    ? "JOB" + (i + 1) + "=$(" + String.join(" ", cmd) + ")"
                    : String.join(" ", cmd))
                + "    # "
                + stages.get(i).what());
        continue;
      }
      previous = sbatch(cmd);
      Stage s = stages.get(i);
      jobs.add(
          new Job(
              s.name(), previous, s.array(), s.tasks().stream().map(Stage.Task::name).toList()));
      out.printf(
          "submitted %s: job %s (%d task%s) %s%n",
          s.name(),
          previous,
          s.tasks().size(),
          s.tasks().size() == 1 ? "" : "s",
          i > 0 ? "after " + jobs.get(i - 1).jobId() : "");
      Json.write(abs.resolve(FOLDER).resolve("jobs.json"), jobs);
    }
    if (dryRun) {
      out.println("(dry run: scripts written to " + abs.resolve(FOLDER) + ", nothing submitted)");
    } else {
      out.println("watch it with: ./antidote status " + dir);
    }
    return jobs;
  }

  /** The jobs a launch folder's {@code jobs.json} records, or none. */
  public static List<Job> jobs(Path dir) {
    Path f = dir.resolve(FOLDER).resolve("jobs.json");
    return Files.isRegularFile(f) ? List.of(Json.read(f, Job[].class)) : List.of();
  }

  /** The sbatch script of one stage. */
  static String script(Path dir, Stage stage, ClusterConfig cluster, Path workDir, Path antidote) {
    StringBuilder b = new StringBuilder("#!/bin/bash\n");
    b.append("# Antidote, stage \"")
        .append(stage.name())
        .append("\" of ")
        .append(dir)
        .append(": ")
        .append(stage.what())
        .append('\n');
    b.append("# ")
        .append(
            stage.array()
                ? "One array task per run (" + stage.tasks().size() + "), each running"
                : "One job running")
        .append(" the ./antidote command below; its output goes to ")
        .append(dir)
        .append("/logs/")
        .append(stage.array() ? stage.name() + "-RUN.log" : stage.name() + ".log")
        .append(".\n");
    b.append("#SBATCH --job-name=antidote-").append(stage.name()).append('\n');
    if (stage.array()) {
      b.append("#SBATCH --array=0-").append(stage.tasks().size() - 1).append('\n');
    }
    for (String d : cluster.directives()) {
      b.append("#SBATCH ").append(d).append('\n');
    }
    b.append(
        """
        #SBATCH --requeue
        #SBATCH --signal=B:USR1@120
        #SBATCH --kill-on-invalid-dep=yes
        #SBATCH --open-mode=append
        """);
    b.append("#SBATCH --chdir=").append(workDir).append('\n');
    b.append("#SBATCH --output=")
        .append(dir)
        .append("/logs/")
        .append(FOLDER)
        .append(stage.array() ? "/%A_%a.out" : "/%j.out")
        .append('\n');
    b.append("set -u\ncase \"${SLURM_ARRAY_TASK_ID:-0}\" in\n");
    for (int i = 0; i < stage.tasks().size(); i++) {
      Stage.Task t = stage.tasks().get(i);
      b.append("  ")
          .append(i)
          .append(") log=")
          .append(quote(dir + "/" + stage.log(i)))
          .append("; cmd=(");
      b.append(String.join(" ", t.args().stream().map(Slurm::quote).toList())).append(") ;;\n");
    }
    b.append("  *) echo \"no task ${SLURM_ARRAY_TASK_ID} in this script\" >&2; exit 2 ;;\nesac\n");
    b.append("exec >>\"$log\" 2>&1\n");
    b.append(
        """
        echo "== antidote: job ${SLURM_JOB_ID} (${SLURM_ARRAY_JOB_ID:-$SLURM_JOB_ID}_${SLURM_ARRAY_TASK_ID:-0}), \
        restart ${SLURM_RESTART_COUNT:-0}, on $(hostname -s) at $(date -u +%FT%TZ)"
        # The run's intra-op threads are the CPUs Slurm gave this task (recorded in its config.json).
        """);
    b.append("export ANTIDOTE_THREADS=\"${SLURM_CPUS_PER_TASK:-")
        .append(cluster.cpusPerTask())
        .append("}\"\n");
    b.append(quote(antidote.toString())).append(" \"${cmd[@]}\" &\n");
    b.append(
        """
        pid=$!
        # --signal=B:USR1@120 (the time limit is near) reaches only this shell, and a preemption's
        # SIGTERM may too: pass it on to Java, which checkpoints at the next step boundary and exits.
        forwarded=0
        trap 'forwarded=1; kill -TERM "$pid" 2>/dev/null' USR1 TERM INT
        rc=0
        while :; do
          forwarded=0; r=0; wait "$pid" || r=$?
          [ "$r" -eq 127 ] || rc=$r
          [ "$forwarded" = 1 ] || break
        done
        if [ "$rc" -gt 128 ]; then
          # Stopped by a signal after a checkpoint. A time limit does not requeue a job, so requeue
          # it here; the non-zero exit keeps afterok dependents waiting for the requeued task.
          # An array task by its array id: the first task's own job id is also the whole array's.
          job="${SLURM_ARRAY_JOB_ID:+${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}}"
          echo "== antidote: stopped with exit $rc; requeueing job ${job:-$SLURM_JOB_ID}"
          scontrol requeue "${job:-$SLURM_JOB_ID}" || true
        fi
        echo "== antidote: exit $rc"
        exit "$rc"
        """);
    return b.toString();
  }

  /** The {@code antidote} launcher of this checkout, which the tasks run. */
  static Path launcher() {
    String root = System.getProperty("antidote.root");
    if (root == null) {
      throw new BadInputException(
          "the Slurm launcher runs ./antidote on the nodes, and this process does not know"
              + " where it is: run through ./antidote, or start Java with -Dantidote.root=CHECKOUT");
    }
    return Path.of(root, "antidote").toAbsolutePath().normalize();
  }

  /** Single-quotes a word for bash. */
  static String quote(String s) {
    return s.matches("[A-Za-z0-9_./=:,+@%-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  private static String sbatch(List<String> cmd) {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new BadInputException(
          "could not run sbatch ("
              + e.getMessage()
              + "): --launcher slurm needs Slurm's"
              + " commands on this machine, e.g. a cluster's login node; --dry-run writes the scripts without them");
    }
    try {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new BadInputException(String.join(" ", cmd) + " failed: " + output);
      }
      String last = output.lines().reduce((a, b) -> b).orElse("");
      String id = last.split(";")[0].strip();
      if (!id.matches("\\d+")) {
        throw new IllegalStateException("sbatch --parsable printed no job id: " + output);
      }
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read sbatch's output", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while submitting " + cmd, e);
    }
  }
}
