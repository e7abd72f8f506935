package org.antidote.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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

  @Mixin
  TrainFlags flags = new TrainFlags();

  @Override
  public Integer call() {
    List<Sweep.Row> rows = Sweep.run(data, seeds, flags.config(data.get(0), seeds.get(0)), out, TrainListener.console(),
        flags.device());
    System.out.println(Sweep.table(rows));
    return 0;
  }
}
