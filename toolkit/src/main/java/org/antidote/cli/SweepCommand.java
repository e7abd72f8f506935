package org.antidote.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.antidote.io.BadInputException;
import org.antidote.launch.Stage;
import org.antidote.train.Sweep;
import org.antidote.train.TrainConfig;
import org.antidote.train.TrainListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./antidote sweep}: one run per packed mixture and seed, skipping finished runs. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "Train one model per (mixture, seed) into OUT/share-XX-seed-N, skipping finished runs and",
      "resuming unfinished ones, then print the summary table (also in OUT/sweep.json). With --launcher",
      "slurm each run is a task of a job array and the summary a job after them; --parallel N runs N at once."
    })
final class SweepCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      arity = "1..*",
      paramLabel = "DIR",
      description = "Packed mixtures, one per share.")
  List<Path> data;

  @Option(
      names = "--seeds",
      split = ",",
      description = "Training seeds (default: ${DEFAULT-VALUE}).")
  List<Long> seeds = List.of(TrainFlags.DEFAULTS.seed());

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Sweep folder.")
  Path out;

  @Option(
      names = "--budget",
      defaultValue = "clean-tokens",
      paramLabel = "clean-tokens|steps",
      description = {
        "clean-tokens (default, the paper's protocol): --steps is a clean-only run's, and a mixture",
        "with toxic share r trains steps / (1 - r), so every model sees the same clean tokens;",
        "steps: every run trains --steps."
      })
  String budget;

  @Option(
      names = "--task",
      paramLabel = "I",
      hidden = true,
      description = "Train only the I-th run (data-major order): what a launcher's task runs.")
  Integer task;

  @Mixin TrainFlags flags = new TrainFlags();

  @Mixin LaunchFlags launch = new LaunchFlags();

  @Override
  public Integer call() {
    Sweep.Budget b =
        switch (budget) {
          case "clean-tokens" -> Sweep.Budget.SAME_CLEAN_TOKENS;
          case "steps" -> Sweep.Budget.SAME_STEPS;
          default ->
              throw new BadInputException("--budget must be clean-tokens or steps, got " + budget);
        };
    TrainConfig template = flags.config(data.get(0), seeds.get(0));
    List<Sweep.Planned> plan = Sweep.plan(data, seeds);
    if (task != null) {
      if (task < 0 || task >= plan.size()) {
        throw new BadInputException(
            "--task must be 0 to "
                + (plan.size() - 1)
                + " (this sweep has "
                + plan.size()
                + " runs), got "
                + task);
      }
      Sweep.Row row =
          Sweep.runOne(plan.get(task), template, b, out, TrainListener.console(), flags.device());
      System.out.println(Sweep.table(List.of(row)));
      return 0;
    }
    if (!launch.here()) {
      List<String> args = LaunchFlags.taskArgs("sweep", spec);
      List<Stage.Task> tasks = new ArrayList<>();
      for (int i = 0; i < plan.size(); i++) {
        List<String> a = new ArrayList<>(args);
        a.addAll(List.of("--task", Integer.toString(i)));
        tasks.add(new Stage.Task(plan.get(i).name(), a));
      }
      Stage train = new Stage("train", "pre-training, one task per (mixture, seed)", tasks);
      if (!launch.isLocal()) {
        launch.launch(
            out,
            List.of(
                train,
                Stage.single("report", "the summary table of every run, in sweep.json", args)),
            System.out);
        return 0;
      }
      launch.launch(out, List.of(train), System.out); // the summary below then finds every run done
    }
    List<Sweep.Row> rows =
        Sweep.run(data, seeds, template, b, out, TrainListener.console(), flags.device());
    System.out.println(Sweep.table(rows));
    return 0;
  }
}
