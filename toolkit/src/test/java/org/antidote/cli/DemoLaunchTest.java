package org.antidote.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./antidote demo --launcher slurm --dry-run}: the study's five stages, chained, nothing
 * computed.
 */
class DemoLaunchTest {

  @TempDir Path tmp;

  @Test
  void dryRunWritesOneScriptPerStageWithPerRunArrays() throws Exception {
    String root = System.getProperty("antidote.root");
    System.setProperty("antidote.root", tmp.toString());
    PrintStream stdout = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
      int rc =
          Main.execute(
              "demo",
              "--scale",
              "smoke",
              "--shares",
              "0,0.1",
              "--out",
              tmp.resolve("study").toString(),
              "--launcher",
              "slurm",
              "--partition",
              "gpu",
              "--gpus-per-task",
              "1",
              "--dry-run");
      assertEquals(0, rc, bytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      if (root == null) {
        System.clearProperty("antidote.root");
      } else {
        System.setProperty("antidote.root", root);
      }
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    Path slurm = tmp.resolve("study/slurm");
    for (String s : new String[] {"1-prepare", "2-train", "3-probe", "4-eval", "5-report"}) {
      assertTrue(Files.isRegularFile(slurm.resolve(s + ".sbatch")), s + ": " + out);
    }
    assertTrue(out.contains("--dependency=afterok:$JOB4 " + slurm.resolve("5-report.sbatch")), out);
    String train = Files.readString(slurm.resolve("2-train.sbatch"));
    assertTrue(
        train.contains("#SBATCH --array=0-1")
            && train.contains("#SBATCH --partition=gpu")
            && train.contains("#SBATCH --gpus-per-task=1"),
        train);
    assertTrue(
        train.contains(
            "logs/train-share-10-seed-1.log; cmd=(demo --scale smoke --shares 0,0.1 --out "
                + tmp.resolve("study")
                + " --stage train --task 1) ;;"),
        train);
    String report = Files.readString(slurm.resolve("5-report.sbatch"));
    assertTrue(
        report.contains(
            "cmd=(demo --scale smoke --shares 0,0.1 --out " + tmp.resolve("study") + ") ;;"),
        report);
    assertTrue(!Files.exists(tmp.resolve("study/tokenizer.json")), "a dry run computes nothing");
  }
}
