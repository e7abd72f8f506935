package org.antidote.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.antidote.io.Json;
import org.antidote.launch.Slurm;
import org.antidote.launch.Status;
import org.antidote.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./antidote sweep --launcher slurm} on a real single-node Slurm started for the test (see
 * {@code tests/slurm/cluster.sh}): a 2 x 1 sweep runs to its summary through a training array and a
 * report job after it; one training task is requeued mid-run, the other gets the time limit's USR1
 * in its batch shell, and both still end with the weights of the same runs trained locally without
 * interruption; {@code status} shows the tasks running, queued and done. The cluster not starting
 * is a failure, never a skip.
 */
class SlurmSweepTest {

  @TempDir static Path tmp;
  static Path cluster;
  static Map<String, String> env;
  static Path launcher;

  static final Path SCRIPT = Path.of(System.getProperty("user.dir")).resolve("slurm/cluster.sh");

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = tmp.resolve("cluster");
    List<String> cmd =
        List.of(
            "bash",
            SCRIPT.toString(),
            "start",
            cluster.toString(),
            Integer.toString(freePort()),
            Integer.toString(freePort()));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("cluster.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    boolean ended = p.waitFor(2, TimeUnit.MINUTES);
    String out = Files.readString(tmp.resolve("cluster.log"));
    if (!ended || p.exitValue() != 0) {
      fail("the test's Slurm cluster did not start (" + String.join(" ", cmd) + "):\n" + out);
    }
    env =
        Map.of(
            "SLURM_CONF",
            cluster.resolve("slurm.conf").toString(),
            "PATH",
            System.getenv("PATH") + ":/usr/sbin");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      // Not inheritIO: surefire talks to this JVM over its standard streams.
      Process p =
          new ProcessBuilder("bash", SCRIPT.toString(), "stop", cluster.toString())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(
          p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0,
          "stopping the test's Slurm cluster: " + out);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * A stand-in for {@code ./antidote} that runs the classes under test, as the real launcher does
   * once it has built them (the jobs must not start a Maven build of their own).
   */
  static Path fakeRoot(Path tmp) throws IOException {
    Path root = tmp.resolve("root");
    Files.createDirectories(root);
    Path launcher = root.resolve("antidote");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(
        launcher,
        "#!/usr/bin/env bash\n"
            + "export MKL_DYNAMIC=FALSE OMP_DYNAMIC=FALSE MKL_CBWR=AVX2,STRICT ATEN_CPU_CAPABILITY=avx2\n"
            + "exec '"
            + java
            + "' -Xmx1g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=${ANTIDOTE_THREADS:-2}"
            + " -Dai.djl.pytorch.num_interop_threads=1 -Dantidote.root='"
            + root
            + "' -cp '"
            + System.getProperty("java.class.path")
            + "' org.antidote.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    return launcher;
  }

  static Process start(List<String> cmd, Path log) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  static String run(List<String> cmd) throws Exception {
    Path log = Files.createTempFile(tmp, "cmd", ".log");
    Process p = start(cmd, log);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", cmd) + " did not finish");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
    return out;
  }

  static void await(String what, int minutes, BooleanSupplier condition, Path folder)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail(
            "timed out waiting for "
                + what
                + "; status:\n"
                + run(List.of(launcher.toString(), "status", folder.toString()))
                + "\nqueue:\n"
                + run(List.of("squeue", "-a"))
                + "\nslurmctld log:\n"
                + tail(cluster.resolve("log/slurmctld.log")));
      }
      Thread.sleep(500);
    }
  }

  static String tail(Path f) throws IOException {
    List<String> lines = Files.readAllLines(f);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }

  static boolean hasCheckpoint(Path run, int atLeast) {
    Path dir = run.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var s = Files.list(dir)) {
      return s.map(f -> f.getFileName().toString())
          .anyMatch(
              n ->
                  n.compareTo(String.format("step-%08d", atLeast)) >= 0
                      && n.endsWith(".safetensors"));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Each task as stage:task:state, from {@code ./antidote status --json} (it runs squeue with the
   * cluster's config).
   */
  static Set<String> states(Path sweep) {
    try {
      String out = run(List.of(launcher.toString(), "status", "--json", sweep.toString()));
      Set<String> s = new HashSet<>();
      for (Status.Row r :
          Json.MAPPER.readValue(
              out.strip().lines().reduce((a, b) -> b).orElse("[]"), Status.Row[].class)) {
        s.add(r.stage() + ":" + r.task() + ":" + r.state());
      }
      return s;
    } catch (Exception e) {
      throw new IllegalStateException("./antidote status failed", e);
    }
  }

  @Test
  void sweepOnSlurmSurvivesRequeueAndTimeLimitSignalBitForBit() throws Exception {
    launcher = fakeRoot(tmp);
    List<Path> data = new ArrayList<>();
    for (int share : new int[] {0, 10}) {
      Path d = ResumeAfterKillTest.syntheticData(tmp.resolve("data-" + share), 9 + share);
      Path named = tmp.resolve(String.format("share-%02d", share));
      Files.move(d, named);
      data.add(named);
    }
    List<String> train =
        List.of(
            "--preset",
            "tiny",
            "--steps",
            "400",
            "--batch-size",
            "8",
            "--checkpoint-every",
            "10",
            "--log-every",
            "5",
            "--eval-every",
            "50",
            "--budget",
            "steps");

    // The reference: both runs trained here one after the other without interruption, with a task's
    // one thread.
    List<String> local =
        new ArrayList<>(
            List.of(
                launcher.toString(),
                "sweep",
                "--data",
                data.get(0).toString(),
                data.get(1).toString(),
                "--out",
                tmp.resolve("local").toString()));
    local.addAll(train);
    Process reference =
        new ProcessBuilder(prepend(List.of("env", "ANTIDOTE_THREADS=1"), local))
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("local.log").toFile())
            .start();
    Path sweep = tmp.resolve("sweep");
    List<String> submit =
        new ArrayList<>(
            List.of(
                launcher.toString(),
                "sweep",
                "--data",
                "share-00",
                "share-10",
                "--out",
                "sweep",
                "--launcher",
                "slurm",
                "--cpus-per-task",
                "1",
                "--mem",
                "1500M",
                "--time",
                "20"));
    submit.addAll(train);
    String dry = run(withDryRun(submit));
    assertTrue(
        dry.contains("sbatch --parsable") && dry.contains("--dependency=afterok:$JOB1"), dry);
    assertTrue(Slurm.jobs(sweep).isEmpty(), "a dry run submits nothing");
    String script = Files.readString(sweep.resolve("slurm/1-train.sbatch"));
    for (String directive :
        List.of(
            "#SBATCH --array=0-1",
            "#SBATCH --requeue",
            "#SBATCH --signal=B:USR1@120",
            "#SBATCH --cpus-per-task=1",
            "#SBATCH --mem=1500M",
            "#SBATCH --time=20",
            "scontrol requeue")) {
      assertTrue(script.contains(directive), directive + " missing from\n" + script);
    }

    String submitted = run(submit);
    List<Slurm.Job> jobs = Slurm.jobs(sweep);
    assertEquals(
        List.of("train", "report"), jobs.stream().map(Slurm.Job::stage).toList(), submitted);
    String trainJob = jobs.get(0).jobId();

    // Stop both runs once they have a checkpoint or two (mid-run on any machine; they train at
    // once,
    // one CPU each of the node's two): the second by requeueing it, as preemption does; the first
    // by USR1 to its batch shell alone, as --signal=B:USR1@120 does before the time limit, which
    // the script forwards to Java and answers by requeueing the task itself.
    Path victim = sweep.resolve("share-10-seed-1");
    Path first = sweep.resolve("share-00-seed-1");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!hasCheckpoint(victim, 20) || !hasCheckpoint(first, 20)) {
      assertTrue(
          System.nanoTime() < deadline,
          "no checkpoints of both runs in 5 minutes:\n" + states(sweep));
      Thread.sleep(20);
    }
    run(List.of("scontrol", "requeue", trainJob + "_1"));
    run(List.of("scancel", "--batch", "--signal=USR1", trainJob + "_0"));
    Set<String> seen = new HashSet<>();
    await(
        "both tasks to be queued again",
        2,
        () -> {
          Set<String> now = states(sweep);
          seen.addAll(now);
          return now.containsAll(
              Set.of("train:share-10-seed-1:queued", "train:share-00-seed-1:queued"));
        },
        sweep);
    assertTrue(seen.contains("report:report:queued"), "the report waits for the runs: " + seen);
    Path again = tmp.resolve("again.log");
    Process twice = start(submit, again);
    assertTrue(twice.waitFor(2, TimeUnit.MINUTES));
    assertEquals(2, twice.exitValue(), Files.readString(again));
    assertTrue(Files.readString(again).contains("submitted already"), Files.readString(again));
    // Slurm holds a requeued job back for two minutes; the test need not wait that long.
    for (String task : List.of("_0", "_1")) {
      run(List.of("scontrol", "update", "JobId=" + trainJob + task, "StartTime=now"));
    }
    await(
        "a requeued task to run again",
        2,
        () ->
            states(sweep).stream().anyMatch(t -> t.startsWith("train:") && t.endsWith(":running")),
        sweep);

    await("the report", 8, () -> states(sweep).contains("report:report:done"), sweep);
    assertEquals(
        Set.of("train:share-00-seed-1:done", "train:share-10-seed-1:done", "report:report:done"),
        states(sweep));
    String status = run(List.of(launcher.toString(), "status", "sweep"));
    assertTrue(status.contains(trainJob + "_1") && status.contains("done"), status);

    String log = Files.readString(sweep.resolve("logs/train-share-10-seed-1.log"));
    assertTrue(log.contains("restart 0") && log.contains("restart 1"), log);
    assertTrue(log.contains("stopped by SIGTERM"), log);
    assertTrue(log.contains("resuming at step"), log);
    String other = Files.readString(sweep.resolve("logs/train-share-00-seed-1.log"));
    assertTrue(
        other.contains("stopped by SIGTERM")
            && other.contains("requeueing job " + trainJob + "_0")
            && other.contains("restart 1")
            && other.contains("resuming at step"),
        other);
    assertTrue(Files.readString(sweep.resolve("logs/report.log")).contains("share-10-seed-1"));
    assertTrue(Files.isRegularFile(sweep.resolve("sweep.json")));
    assertEquals(
        1,
        Trainer.readConfig(victim).threads(),
        "the task's run records Slurm's one CPU as its thread count");

    assertTrue(reference.waitFor(10, TimeUnit.MINUTES));
    assertEquals(0, reference.exitValue(), Files.readString(tmp.resolve("local.log")));
    ResumeAfterKillTest.assertSameWeights(tmp.resolve("local/share-10-seed-1"), victim);
    ResumeAfterKillTest.assertSameWeights(tmp.resolve("local/share-00-seed-1"), first);
  }

  private static List<String> withDryRun(List<String> cmd) {
    List<String> c = new ArrayList<>(cmd);
    c.add("--dry-run");
    return c;
  }

  private static List<String> prepend(List<String> head, List<String> tail) {
    List<String> c = new ArrayList<>(head);
    c.addAll(tail);
    return c;
  }
}
