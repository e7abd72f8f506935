package org.antidote.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.antidote.io.Check;
import org.antidote.launch.ClusterConfig;
import org.antidote.launch.Local;
import org.antidote.launch.Slurm;
import org.antidote.launch.Stage;
import picocli.CommandLine.Option;

/**
 * Where {@code sweep} and {@code demo} run their stages: here, as N local processes, or on Slurm.
 */
final class LaunchFlags {

  private static final ClusterConfig DEFAULTS = ClusterConfig.defaults();

  @Option(
      names = "--launcher",
      defaultValue = "local",
      paramLabel = "local|slurm",
      description = {
        "local (default): on this machine; slurm: one sbatch job array per stage, each after the one",
        "before (--dependency=afterok), preemption-safe (see README: On a cluster)."
      })
  String launcher;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      description = {
        "With --launcher local: N runs at once, each in its own process with 1/N of the cores as",
        "threads (default: 1, in this process; the demo's cpu scales: one run per core, up to 8)."
      })
  Integer parallel;

  /** What --parallel means when it is not given. */
  private int parallelDefault = 1;

  @Option(
      names = "--dry-run",
      description = "With --launcher slurm: write the scripts and print the sbatch commands only.")
  boolean dryRun;

  @Option(names = "--partition", description = "Slurm partition (default: the cluster's).")
  String partition;

  @Option(names = "--time", description = "Slurm time limit per task (default: 1-00:00:00).")
  String time;

  @Option(
      names = "--cpus-per-task",
      description = "CPUs per Slurm task, the run's threads (default: 4).")
  Integer cpusPerTask;

  @Option(names = "--gpus-per-task", description = "GPUs per Slurm task (default: 0).")
  Integer gpusPerTask;

  @Option(names = "--mem", description = "Memory per Slurm task, e.g. 16G (default: 16G).")
  String mem;

  @Option(names = "--account", description = "Slurm account to charge.")
  String account;

  @Option(names = "--qos", description = "Slurm quality of service.")
  String qos;

  @Option(
      names = "--sbatch-arg",
      paramLabel = "OPTION",
      description = "Any other sbatch option, e.g. --constraint=a100 (repeatable).")
  List<String> sbatchArgs;

  /**
   * This class's options that take a value, and those that do not: dropped from the tasks' command
   * lines.
   */
  private static final Set<String> WITH_VALUE =
      Set.of(
          "--launcher",
          "--parallel",
          "--partition",
          "--time",
          "--cpus-per-task",
          "--gpus-per-task",
          "--mem",
          "--account",
          "--qos",
          "--sbatch-arg");

  private static final Set<String> FLAGS = Set.of("--dry-run");

  /**
   * Runs {@code n} local tasks at once unless --parallel says otherwise (the demo on a CPU: tiny
   * models use one core each far better than two).
   */
  void parallelByDefault(int n) {
    parallelDefault = n;
  }

  private int parallel() {
    return parallel != null ? parallel : launcher.equals("local") ? parallelDefault : 1;
  }

  /** Whether the stages run in this process (the default). */
  boolean here() {
    check();
    return launcher.equals("local") && parallel() == 1;
  }

  /** Whether the stages run on this machine (so the caller can print their results after them). */
  boolean isLocal() {
    return launcher.equals("local");
  }

  /** Runs the stages elsewhere: as local processes, or submitted to Slurm. */
  void launch(Path dir, List<Stage> stages, PrintStream out) {
    check();
    if (launcher.equals("slurm")) {
      Slurm.submit(dir, stages, cluster(), Path.of("").toAbsolutePath(), dryRun, out);
    } else {
      Local.run(dir, stages, parallel(), Runtime.getRuntime().availableProcessors(), out);
    }
  }

  ClusterConfig cluster() {
    return new ClusterConfig(
        partition != null ? partition : DEFAULTS.partition(),
        time != null ? time : DEFAULTS.time(),
        cpusPerTask != null ? cpusPerTask : DEFAULTS.cpusPerTask(),
        gpusPerTask != null ? gpusPerTask : DEFAULTS.gpusPerTask(),
        mem != null ? mem : DEFAULTS.mem(),
        account != null ? account : DEFAULTS.account(),
        qos != null ? qos : DEFAULTS.qos(),
        sbatchArgs != null ? sbatchArgs : DEFAULTS.sbatchArgs());
  }

  private void check() {
    Check.input(
        launcher.equals("local") || launcher.equals("slurm"),
        "--launcher must be local or slurm, got " + launcher);
    Check.input(parallel() >= 1, "--parallel must be at least 1, got " + parallel);
    Check.input(
        launcher.equals("local") || parallel == null || parallel == 1,
        "--parallel is for --launcher local; on Slurm every run is its own array task");
    Check.input(!dryRun || launcher.equals("slurm"), "--dry-run is for --launcher slurm");
  }

  /**
   * This command's line as its tasks run it: the command's name, then its arguments without the
   * launch options.
   */
  static List<String> taskArgs(String command, picocli.CommandLine.Model.CommandSpec spec) {
    List<String> original = spec.commandLine().getParseResult().originalArgs();
    int at = original.indexOf(command); // the line as typed starts with the command's own name
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(withoutLaunchOptions(original.subList(at + 1, original.size())));
    return args;
  }

  /**
   * The command line without this class's options: what each task runs, with its own stage options
   * added.
   */
  static List<String> withoutLaunchOptions(List<String> args) {
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (FLAGS.contains(name)) {
        continue;
      }
      if (WITH_VALUE.contains(name)) {
        if (!a.contains("=")) {
          i++;
        }
        continue;
      }
      kept.add(a);
    }
    return kept;
  }
}
