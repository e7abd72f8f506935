package org.antidote.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.antidote.io.BadInputException;
import org.antidote.train.Sweep;
import org.antidote.train.TrainListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./antidote sweep}: one run per packed mixture and seed, skipping finished runs. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = {"Train one model per (mixture, seed) into OUT/share-XX-seed-N, skipping finished runs and",
        "resuming unfinished ones, then print the summary table (also in OUT/sweep.json)."})
final class SweepCommand implements Callable<Integer> {

  @Option(names = "--data", required = true, arity = "1..*", paramLabel = "DIR", description = "Packed mixtures, one per share.")
  List<Path> data;

  @Option(names = "--seeds", split = ",", defaultValue = "1", description = "Training seeds (default: ${DEFAULT-VALUE}).")
  List<Long> seeds;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Sweep folder.")
  Path out;

  @Option(names = "--budget", defaultValue = "clean-tokens", paramLabel = "clean-tokens|steps",
      description = {"clean-tokens (default, the paper's protocol): --steps is a clean-only run's, and a mixture",
          "with toxic share r trains steps / (1 - r), so every model sees the same clean tokens;",
          "steps: every run trains --steps."})
  String budget;

  @Mixin
  TrainFlags flags = new TrainFlags();

  @Override
  public Integer call() {
    Sweep.Budget b = switch (budget) {
      case "clean-tokens" -> Sweep.Budget.SAME_CLEAN_TOKENS;
      case "steps" -> Sweep.Budget.SAME_STEPS;
      default -> throw new BadInputException("--budget must be clean-tokens or steps, got " + budget);
    };
    List<Sweep.Row> rows = Sweep.run(data, seeds, flags.config(data.get(0), seeds.get(0)), b, out,
        TrainListener.console(), flags.device());
    System.out.println(Sweep.table(rows));
    return 0;
  }
}
