package org.antidote.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.antidote.io.Check;

/**
 * What every sbatch script of a launch asks Slurm for. {@link #defaults()} is the one source of
 * defaults; a null field leaves the cluster's own default (no directive is written).
 *
 * @param partition {@code --partition}, or null
 * @param time {@code --time} per task (Slurm's formats: {@code 30}, {@code 4:00:00}, {@code
 *     1-00:00:00})
 * @param cpusPerTask {@code --cpus-per-task}; the task's run uses this many intra-op threads
 * @param gpusPerTask {@code --gpus-per-task}, 0 for none
 * @param mem {@code --mem} per task ({@code 8G}, {@code 500M}), or null
 * @param account {@code --account}, or null
 * @param qos {@code --qos}, or null
 * @param sbatchArgs further sbatch options, each written as one {@code #SBATCH} line
 */
public record ClusterConfig(
    String partition,
    String time,
    int cpusPerTask,
    int gpusPerTask,
    String mem,
    String account,
    String qos,
    List<String> sbatchArgs) {

  private static final Pattern TIME = Pattern.compile("\\d+(-\\d+)?(:\\d+){0,2}");
  private static final Pattern MEM = Pattern.compile("\\d+[KMGT]?");

  public ClusterConfig {
    sbatchArgs = List.copyOf(sbatchArgs == null ? List.of() : sbatchArgs);
    Check.input(
        time != null && TIME.matcher(time).matches(),
        "--time must be a Slurm time limit such as 30, 4:00:00 or 1-00:00:00, got " + time);
    Check.input(cpusPerTask >= 1, "--cpus-per-task must be at least 1, got " + cpusPerTask);
    Check.input(gpusPerTask >= 0, "--gpus-per-task must be 0 or more, got " + gpusPerTask);
    Check.input(
        mem == null || MEM.matcher(mem).matches(),
        "--mem must be a size such as 500M or 8G, got " + mem);
    for (String a : sbatchArgs) {
      Check.input(
          a.startsWith("--") && !a.contains("\n"),
          "--sbatch-arg must be one long sbatch option such as --constraint=a100, got " + a);
    }
  }

  /** One day per task, 4 CPUs, no GPU, 16 GB, the cluster's default partition, account and QOS. */
  public static ClusterConfig defaults() {
    return new ClusterConfig(null, "1-00:00:00", 4, 0, "16G", null, null, List.of());
  }

  /** The {@code #SBATCH} options these settings give, in a fixed order. */
  List<String> directives() {
    List<String> d = new ArrayList<>();
    if (partition != null) {
      d.add("--partition=" + partition);
    }
    d.add("--time=" + time);
    d.add("--cpus-per-task=" + cpusPerTask);
    if (gpusPerTask > 0) {
      d.add("--gpus-per-task=" + gpusPerTask);
    }
    if (mem != null) {
      d.add("--mem=" + mem);
    }
    if (account != null) {
      d.add("--account=" + account);
    }
    if (qos != null) {
      d.add("--qos=" + qos);
    }
    d.addAll(sbatchArgs);
    return d;
  }
}
