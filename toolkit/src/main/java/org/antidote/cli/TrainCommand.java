package org.antidote.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.antidote.train.TrainListener;
import org.antidote.train.TrainResult;
import org.antidote.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./antidote train}: one model on one packed mixture; resumes if interrupted. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Pre-train one model on packed tokens (a folder from data tokenize) into a run folder:",
      "config.json, metrics.jsonl, checkpoints/, model.safetensors, result.json. Re-run the same",
      "command after an interruption to resume exactly where the last checkpoint left off."
    })
final class TrainCommand implements Callable<Integer> {

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "Packed tokens (tokens.json, train.bin, validation.bin).")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder.")
  Path out;

  @Option(
      names = "--seed",
      description = "Seed for weights and data order (default: ${DEFAULT-VALUE}).")
  long seed = TrainFlags.DEFAULTS.seed();

  @Mixin TrainFlags flags = new TrainFlags();

  @Override
  public Integer call() {
    TrainResult r =
        Trainer.train(flags.config(data, seed), data, out, TrainListener.console(), flags.device());
    System.out.printf(
        "%s: %d steps, %,d tokens, train loss %.3f, validation loss %.3f (unigram %.3f), %,.0f tok/s%n",
        out,
        r.steps(),
        r.tokens(),
        r.trainLoss(),
        r.valLoss(),
        r.unigramLoss(),
        r.tokensPerSecond());
    return 0;
  }
}
