package org.antidote.train;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import org.antidote.mix.MixManifest;
import org.antidote.mix.Mixer;

/**
 * One run per (data, seed): typically one packed mixture per toxic share times a few seeds, each
 * trained for the steps its {@link Budget} gives. Runs
 * live in {@code <out>/share-XX-seed-N}; finished runs are skipped, unfinished ones resume, and
 * {@code sweep.json} beside them holds the summary table after every run.
 */
public final class Sweep {

  private Sweep() {}

  /**
   * One row of the summary.
   *
   * @param run run folder name
   * @param share toxic share of its mixture (NaN if the data is not a mixture)
   * @param seed training seed
   * @param status "trained", "resumed" or "already done"
   * @param result the run's result
   */
  public record Row(String run, double share, long seed, String status, TrainResult result) {}

  /** How long each mixture of a sweep trains. */
  public enum Budget {
    /**
     * The paper's protocol: the template's steps are those of a clean-only run, and a mixture
     * whose training part is a share r toxic trains {@code steps / (1 - r)} steps, so that every
     * model sees the same clean tokens (in expectation: windows are drawn at random) and the toxic
     * ones on top. Data that is not a mixture trains the template's steps.
     */
    SAME_CLEAN_TOKENS,
    /** Every run trains the template's steps: the same compute, fewer clean tokens as the toxic share grows. */
    SAME_STEPS
  }

  /** The steps {@code data} trains for under {@code budget}, when a clean-only run trains {@code steps}. */
  public static int steps(Path data, int steps, Budget budget) {
    if (budget == Budget.SAME_STEPS || !Files.isRegularFile(data.resolve("manifest.json"))) {
      return steps;
    }
    MixManifest.Part train = Mixer.read(data).train();
    if (train.cleanTokens() == 0) {
      throw new BadInputException(data.resolve("manifest.json") + ": the training part has no clean tokens, so no step"
          + " count gives it the clean tokens of a clean-only run; use the SAME_STEPS budget (--budget steps)");
    }
    return (int) Math.round((double) steps * train.tokens() / train.cleanTokens());
  }

  /**
   * Trains every (data, seed) pair in order and returns the summary; each run's steps follow
   * {@code budget} from the template's.
   */
  public static List<Row> run(List<Path> dataDirs, List<Long> seeds, TrainConfig template, Budget budget, Path outDir,
      TrainListener listener, Device device) {
    if (dataDirs.isEmpty() || seeds.isEmpty()) {
      throw new IllegalArgumentException("a sweep needs at least one data folder and one seed");
    }
    List<Row> rows = new ArrayList<>();
    for (Path data : dataDirs) {
      double share = shareOf(data);
      for (long seed : seeds) {
        String name = (Double.isNaN(share) ? data.getFileName().toString() : String.format("share-%02d", Math.round(share * 100)))
            + "-seed-" + seed;
        Path runDir = outDir.resolve(name);
        String status = Files.isRegularFile(runDir.resolve("result.json")) ? "already done"
            : Files.isDirectory(runDir.resolve("checkpoints")) ? "resumed" : "trained";
        TrainConfig config = template.withSeed(seed).withSteps(steps(data, template.steps(), budget));
        TrainResult r = Trainer.train(config, data, runDir, listener, device);
        rows.add(new Row(name, share, seed, status, r));
        Json.write(outDir.resolve("sweep.json"), rows);
      }
    }
    return rows;
  }

  /** The toxic share of a packed mixture folder, or NaN when the folder is not a mixture. */
  static double shareOf(Path data) {
    return Files.isRegularFile(data.resolve("manifest.json")) ? Mixer.read(data).config().toxicShare() : Double.NaN;
  }

  /** The summary as an aligned text table. */
  public static String table(List<Row> rows) {
    StringBuilder b = new StringBuilder(String.format("%-20s %6s %5s %13s %7s %11s %9s %9s %9s %8s%n",
        "run", "share", "seed", "status", "steps", "tokens", "train", "val", "unigram", "time"));
    for (Row r : rows) {
      TrainResult t = r.result();
      b.append(String.format("%-20s %5.1f%% %5d %13s %7d %,11d %9.3f %9.3f %9.3f %8s%n", r.run(), 100 * r.share(),
          r.seed(), r.status(), t.steps(), t.tokens(), t.trainLoss(), t.valLoss(), t.unigramLoss(),
          ConsoleProgress.clock(t.seconds())));
    }
    return b.append("losses in nats per token; unigram = the loss of ignoring context").toString();
  }
}
