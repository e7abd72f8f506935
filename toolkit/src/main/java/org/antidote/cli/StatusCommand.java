package org.antidote.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.antidote.io.Json;
import org.antidote.launch.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./antidote status DIR}: one table of a study's or sweep's tasks. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "One line per task of a study or sweep folder: its state (queued, running, done, failed with",
      "its log's last lines, stopped), the run's step and loss, and its Slurm job id. Reads the folder and,",
      "where Slurm is installed, squeue (no sacct needed)."
    })
final class StatusCommand implements Callable<Integer> {

  @Parameters(paramLabel = "DIR", description = "A study or sweep folder.")
  Path dir;

  @Option(names = "--json", description = "Print the rows as JSON, for scripts.")
  boolean json;

  @Override
  public Integer call() {
    Status s = Status.of(dir);
    System.out.println(json ? Json.line(s.rows()) : s);
    return 0;
  }
}
