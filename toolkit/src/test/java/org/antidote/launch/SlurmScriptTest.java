package org.antidote.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.antidote.io.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sbatch scripts a launch writes, and its dry run; a real cluster runs them in SlurmSweepTest.
 */
class SlurmScriptTest {

  @TempDir Path tmp;

  static final List<Stage> STAGES =
      List.of(
          new Stage(
              "train",
              "pre-training",
              List.of(
                  new Stage.Task("share-00-seed-1", List.of("sweep", "--task", "0")),
                  new Stage.Task(
                      "share-10-seed-1", List.of("sweep", "--out", "it's here", "--task", "1")))),
          Stage.single("report", "the summary", List.of("sweep")));

  @Test
  void scriptsAskForRequeueAndTheSignalAndForwardIt() throws Exception {
    ClusterConfig c =
        new ClusterConfig(
            "gpu", "2-00:00:00", 8, 1, "64G", "lab", "high", List.of("--constraint=a100"));
    String s =
        Slurm.script(tmp, STAGES.get(0), c, tmp.resolve("work"), Path.of("/opt/antidote/antidote"));
    for (String line :
        List.of(
            "#SBATCH --array=0-1",
            "#SBATCH --partition=gpu",
            "#SBATCH --time=2-00:00:00",
            "#SBATCH --cpus-per-task=8",
            "#SBATCH --gpus-per-task=1",
            "#SBATCH --mem=64G",
            "#SBATCH --account=lab",
            "#SBATCH --qos=high",
            "#SBATCH --constraint=a100",
            "#SBATCH --requeue",
            "#SBATCH --signal=B:USR1@120",
            "#SBATCH --chdir=" + tmp.resolve("work"),
            "trap 'forwarded=1; kill -TERM \"$pid\" 2>/dev/null' USR1 TERM INT",
            "scontrol requeue \"${job:-$SLURM_JOB_ID}\"",
            "export ANTIDOTE_THREADS=\"${SLURM_CPUS_PER_TASK:-8}\"",
            "/opt/antidote/antidote \"${cmd[@]}\" &")) {
      assertTrue(s.contains(line), line + " missing from\n" + s);
    }
    // Each task's log is named after its run; a word with a quote survives bash's quoting.
    assertTrue(
        s.contains("0) log=" + tmp + "/logs/train-share-00-seed-1.log; cmd=(sweep --task 0) ;;"),
        s);
    assertTrue(s.contains("cmd=(sweep --out 'it'\\''s here' --task 1)"), s);
    // Directives must come before the first command, or sbatch ignores them.
    int lastDirective = s.lastIndexOf("#SBATCH");
    assertTrue(lastDirective < s.indexOf("set -u"), s);
    String single =
        Slurm.script(tmp, STAGES.get(1), ClusterConfig.defaults(), tmp, Path.of("/a/antidote"));
    assertTrue(
        !single.contains("--array")
            && single.contains(tmp + "/logs/report.log")
            && !single.contains("--partition"),
        single);
  }

  @Test
  void bashAcceptsTheScriptAndQuotingRoundTrips() throws Exception {
    Path script = tmp.resolve("s.sh");
    Files.writeString(
        script,
        Slurm.script(tmp, STAGES.get(0), ClusterConfig.defaults(), tmp, Path.of("/bin/echo")));
    Process p =
        new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    // Run task 1 outside Slurm with echo as the launcher: the log gets the arguments back, one word
    // each.
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
    pb.environment().put("SLURM_ARRAY_TASK_ID", "1");
    pb.environment().put("SLURM_JOB_ID", "77");
    Files.createDirectories(tmp.resolve("logs"));
    assertEquals(0, pb.start().waitFor());
    String log = Files.readString(tmp.resolve("logs/train-share-10-seed-1.log"));
    assertTrue(log.contains("\nsweep --out it's here --task 1\n"), log);
    assertTrue(
        log.contains("== antidote: job 77") && log.trim().endsWith("== antidote: exit 0"), log);
  }

  @Test
  void dryRunWritesScriptsAndPrintsTheChain() {
    String root = System.getProperty("antidote.root");
    System.setProperty("antidote.root", tmp.toString());
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      List<Slurm.Job> jobs =
          Slurm.submit(
              tmp.resolve("study"),
              STAGES,
              ClusterConfig.defaults(),
              tmp,
              true,
              new PrintStream(bytes, true, StandardCharsets.UTF_8));
      String out = bytes.toString(StandardCharsets.UTF_8);
      assertTrue(jobs.isEmpty());
      assertTrue(
          out.contains(
              "JOB1=$(sbatch --parsable " + tmp.resolve("study/slurm/1-train.sbatch") + ")"),
          out);
      assertTrue(
          out.contains(
              "sbatch --parsable --dependency=afterok:$JOB1 "
                  + tmp.resolve("study/slurm/2-report.sbatch")),
          out);
      assertTrue(Files.isRegularFile(tmp.resolve("study/slurm/2-report.sbatch")));
      assertTrue(!Files.exists(tmp.resolve("study/slurm/jobs.json")), "a dry run records no jobs");
    } finally {
      if (root == null) {
        System.clearProperty("antidote.root");
      } else {
        System.setProperty("antidote.root", root);
      }
    }
  }

  @Test
  void badClusterSettingsAreRefusedByName() {
    assertTrue(
        assertThrows(
                BadInputException.class,
                () -> new ClusterConfig(null, "soon", 1, 0, null, null, null, List.of()))
            .getMessage()
            .contains("--time"));
    assertTrue(
        assertThrows(
                BadInputException.class,
                () -> new ClusterConfig(null, "10", 1, 0, "lots", null, null, List.of()))
            .getMessage()
            .contains("--mem"));
    assertTrue(
        assertThrows(
                BadInputException.class,
                () -> new ClusterConfig(null, "10", 0, 0, null, null, null, List.of()))
            .getMessage()
            .contains("--cpus-per-task"));
    assertTrue(
        assertThrows(
                BadInputException.class,
                () -> new ClusterConfig(null, "10", 1, 0, null, null, null, List.of("-x")))
            .getMessage()
            .contains("--sbatch-arg"));
  }
}
