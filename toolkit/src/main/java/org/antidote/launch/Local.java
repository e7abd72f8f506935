package org.antidote.launch;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.math.Numerics;

/**
 * Runs a launch's stages on this machine, {@code parallel} tasks at a time, each an {@code
 * ./antidote} child process with {@code cores / parallel} intra-op threads (its run records the
 * count; resuming it under another count is refused). Output goes to the same per-task log files as
 * on Slurm. A stage starts when every task of the one before has succeeded.
 */
public final class Local {

  private Local() {}

  /** Runs every stage; a failed task stops the launch with the end of its log. */
  public static void run(Path dir, List<Stage> stages, int parallel, int cores, PrintStream out) {
    Check.input(parallel >= 1, "--parallel must be at least 1, got " + parallel);
    int threads = Math.max(1, cores / parallel);
    Path antidote = Slurm.launcher();
    try {
      Files.createDirectories(dir.resolve("logs"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + dir.resolve("logs"), e);
    }
    List<Running> running = new CopyOnWriteArrayList<>();
    // A signal to this process ends it; its children get SIGTERM too, so each checkpoints.
    Thread stopChildren = new Thread(() -> running.forEach(r -> r.process().destroy()));
    Runtime.getRuntime().addShutdownHook(stopChildren);
    try {
      runStages(dir, stages, parallel, threads, antidote, running, out);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopChildren);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or has run.
      }
    }
  }

  private static void runStages(
      Path dir,
      List<Stage> stages,
      int parallel,
      int threads,
      Path antidote,
      List<Running> running,
      PrintStream out) {
    for (Stage stage : stages) {
      out.printf(
          "== %s: %d task%s, %d at a time, %d thread%s each%n",
          stage.name(),
          stage.tasks().size(),
          stage.tasks().size() == 1 ? "" : "s",
          Math.min(parallel, stage.tasks().size()),
          threads,
          threads == 1 ? "" : "s");
      int next = 0;
      int finished = 0;
      long start = System.nanoTime();
      while (next < stage.tasks().size() || !running.isEmpty()) {
        while (next < stage.tasks().size() && running.size() < parallel) {
          running.add(start(antidote, dir, stage, next++, threads));
        }
        Running done = awaitOne(running);
        running.remove(done);
        int rc = done.process().exitValue();
        Stage.Task t = stage.tasks().get(done.index());
        if (rc != 0) {
          running.forEach(r -> r.process().destroy());
          throw new BadInputException(
              stage.name()
                  + " task "
                  + t.name()
                  + " failed with exit "
                  + rc
                  + "; the end of "
                  + done.log()
                  + ":\n"
                  + Status.tail(done.log(), 8)
                  + "\nRun the same command again to resume.");
        }
        finished++;
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = stage.tasks().size();
        out.println(
            "   "
                + t.name()
                + " done ("
                + dir.relativize(done.log())
                + "): "
                + finished
                + "/"
                + total
                + ", "
                + Numerics.clock(elapsed)
                + (finished < total
                    ? ", about " + Numerics.clock(elapsed / finished * (total - finished)) + " left"
                    : ""));
      }
      out.println(
          "== " + stage.name() + ": done in " + Numerics.clock((System.nanoTime() - start) / 1e9));
    }
  }

  private record Running(int index, Process process, Path log) {}

  private static Running start(Path antidote, Path dir, Stage stage, int i, int threads) {
    Path log = dir.resolve(stage.log(i));
    List<String> cmd = new ArrayList<>(List.of(antidote.toString()));
    cmd.addAll(stage.tasks().get(i).args());
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("ANTIDOTE_THREADS", Integer.toString(threads));
    try {
      return new Running(i, pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + cmd, e);
    }
  }

  private static Running awaitOne(List<Running> running) {
    while (true) {
      for (Running r : running) {
        if (!r.process().isAlive()) {
          return r;
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        running.forEach(r -> r.process().destroy());
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "interrupted; the tasks were stopped (each resumes from its checkpoint)", e);
      }
    }
  }
}
