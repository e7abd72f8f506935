package org.antidote.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a launcher's tasks run: the user's command line without the launcher's own options. */
class LaunchFlagsTest {

  @Test
  void launchOptionsAreDroppedWithTheirValuesInBothSpellings() {
    List<String> args =
        List.of(
            "--data",
            "a",
            "b",
            "--launcher",
            "slurm",
            "--partition=gpu",
            "--time",
            "4:00:00",
            "--dry-run",
            "--steps",
            "10",
            "--sbatch-arg",
            "--constraint=a100",
            "--cpus-per-task=8",
            "--out",
            "o");
    assertEquals(
        List.of("--data", "a", "b", "--steps", "10", "--out", "o"),
        LaunchFlags.withoutLaunchOptions(args));
  }
}
