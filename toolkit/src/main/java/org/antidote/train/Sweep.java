package org.antidote.train;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.antidote.io.Json;
import org.antidote.mix.Mixer;

/**
 * One run per (data, seed): typically one packed mixture per toxic share times a few seeds. Runs
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

  /** Trains every (data, seed) pair in order and returns the summary. */
  public static List<Row> run(List<Path> dataDirs, List<Long> seeds, TrainConfig template, Path outDir,
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
        TrainResult r = Trainer.train(template.withSeed(seed), data, runDir, listener, device);
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
