package org.antidote.train;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.io.Json;
import org.antidote.math.Numerics;
import org.antidote.mix.MixManifest;
import org.antidote.mix.Mixer;
import org.antidote.mix.Protocol;
import org.antidote.plot.Displayable;
import org.antidote.tokenize.PackedTokens;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * One run per (data, seed): typically one packed mixture per toxic share times a few seeds, each
 * trained for the steps its {@link Budget} gives. Runs live in {@code <out>/share-XX-seed-N};
 * finished runs are skipped, unfinished ones resume, and {@code sweep.json} beside them holds the
 * summary table after every run.
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
  public record Row(String run, double share, long seed, String status, TrainResult result)
      implements Displayable {

    /** The run's result with its share and status. */
    @Override
    public Table table() {
      Table t = result.table().setName("sweep");
      t.insertColumn(1, DoubleColumn.create("toxic share %", Math.round(share * 1000) / 10.0));
      t.insertColumn(2, StringColumn.create("status", status));
      return t;
    }
  }

  /** How long each mixture of a sweep trains. */
  public enum Budget {
    /**
     * The paper's protocol: the template's steps are those of a clean-only run, and a mixture whose
     * training part is a share r toxic trains {@code steps / (1 - r)} steps, so that every model
     * sees the same clean tokens (in expectation: windows are drawn at random) and the toxic ones
     * on top. Shares are of the mixer's token counts. Data that is not a mixture, and a fixed-total
     * mixture (whose protocol already holds the total fixed), train the template's steps.
     */
    SAME_CLEAN_TOKENS,
    /**
     * Every run trains the template's steps: the same compute, fewer clean tokens as the toxic
     * share grows.
     */
    SAME_STEPS
  }

  /**
   * The steps {@code data} trains for under {@code budget}, when a clean-only run trains {@code
   * steps}.
   */
  public static int steps(Path data, int steps, Budget budget) {
    if (budget == Budget.SAME_STEPS) {
      return steps;
    }
    if (!Files.isRegularFile(data.resolve("manifest.json"))) {
      String mixture =
          Files.isRegularFile(data.resolve(PackedTokens.SIDECAR))
              ? PackedTokens.readSidecar(data).mixtureSha256()
              : "";
      if (mixture != null && !mixture.isEmpty()) {
        throw new BadInputException(
            data
                + " holds the tokens of a mixture but not its manifest.json, so its toxic"
                + " share (and the steps that give it the clean tokens of a clean-only run) is unknown: pack the"
                + " mixture into its own folder, or train every run the same steps (--budget steps)");
      }
      return steps;
    }
    MixManifest manifest = Mixer.read(data);
    if (manifest.config().protocol() == Protocol.FIXED_TOTAL) {
      return steps;
    }
    MixManifest.Part train = manifest.train();
    if (train.cleanTokens() == 0) {
      throw new BadInputException(
          data.resolve("manifest.json")
              + ": the training part has no clean tokens, so no step"
              + " count gives it the clean tokens of a clean-only run; use the SAME_STEPS budget (--budget steps)");
    }
    return (int) Math.round((double) steps * train.tokens() / train.cleanTokens());
  }

  /**
   * One run of a sweep, before it trains.
   *
   * @param name run folder name, {@code share-XX-seed-N}
   * @param data its packed mixture
   * @param share toxic share of the mixture (NaN if the data is not a mixture)
   * @param seed training seed
   */
  public record Planned(String name, Path data, double share, long seed) {}

  /**
   * The runs of a sweep over {@code dataDirs} and {@code seeds}, in the order they train
   * (data-major).
   */
  public static List<Planned> plan(List<Path> dataDirs, List<Long> seeds) {
    Check.input(
        !dataDirs.isEmpty() && !seeds.isEmpty(),
        "a sweep needs at least one data folder and one seed");
    List<Planned> runs = new ArrayList<>();
    for (Path data : dataDirs) {
      double share = shareOf(data);
      for (long seed : seeds) {
        String name =
            Double.isNaN(share) ? data.getFileName() + "-seed-" + seed : runName(share, seed);
        runs.add(new Planned(name, data, share, seed));
      }
    }
    return runs;
  }

  /**
   * The name of the run of a mixture of toxic {@code share} and a seed: {@code share-05-seed-2}.
   */
  public static String runName(double share, long seed) {
    return String.format(Locale.ROOT, "share-%02d-seed-%d", Math.round(share * 100), seed);
  }

  /**
   * Trains every (data, seed) pair in order and returns the summary; each run's steps follow {@code
   * budget} from the template's.
   */
  public static List<Row> run(
      List<Path> dataDirs,
      List<Long> seeds,
      TrainConfig template,
      Budget budget,
      Path outDir,
      TrainListener listener,
      Device device) {
    List<Row> rows = new ArrayList<>();
    for (Planned p : plan(dataDirs, seeds)) {
      rows.add(runOne(p, template, budget, outDir, listener, device));
      Json.write(outDir.resolve("sweep.json"), rows);
    }
    return rows;
  }

  /**
   * Trains (or resumes, or reads the result of) one planned run: a task of a launcher, which leaves
   * {@code sweep.json} to the sweep that follows its tasks.
   */
  public static Row runOne(
      Planned p,
      TrainConfig template,
      Budget budget,
      Path outDir,
      TrainListener listener,
      Device device) {
    Path runDir = outDir.resolve(p.name());
    String status =
        Files.isRegularFile(runDir.resolve("result.json"))
            ? "already done"
            : Files.isDirectory(runDir.resolve("checkpoints")) ? "resumed" : "trained";
    TrainConfig config =
        template.withSeed(p.seed()).withSteps(steps(p.data(), template.steps(), budget));
    refuseAnOldBudget(runDir, config, template.withSeed(p.seed()));
    TrainResult r = Trainer.train(config, p.data(), runDir, listener, device);
    return new Row(p.name(), p.share(), p.seed(), status, r);
  }

  /**
   * A run made before sweeps gave every mixture the clean tokens of a clean-only run holds the
   * template's steps; say so, rather than the trainer's generic "different config".
   */
  private static void refuseAnOldBudget(Path runDir, TrainConfig config, TrainConfig sameSteps) {
    if (config.equals(sameSteps) || !Files.isRegularFile(runDir.resolve("config.json"))) {
      return;
    }
    if (Trainer.readConfig(runDir).train().equals(sameSteps)) {
      throw new BadInputException(
          runDir
              + " was trained for "
              + sameSteps.steps()
              + " steps, the same for every share;"
              + " sweeps now follow the paper's protocol (the same clean tokens for every model: "
              + config.steps()
              + " steps for this mixture). Sweep into another folder (or delete this one) to retrain, or keep the old"
              + " runs with the same-steps budget (./antidote sweep --budget steps)");
    }
  }

  /** The toxic share of a packed mixture folder, or NaN when the folder is not a mixture. */
  static double shareOf(Path data) {
    return Files.isRegularFile(data.resolve("manifest.json"))
        ? Mixer.read(data).config().toxicShare()
        : Double.NaN;
  }

  /** The summary as an aligned text table. */
  public static String table(List<Row> rows) {
    StringBuilder b =
        new StringBuilder(
            String.format(
                "%-20s %6s %5s %13s %7s %11s %9s %9s %9s %8s%n",
                "run", "share", "seed", "status", "steps", "tokens", "train", "val", "unigram",
                "time"));
    for (Row r : rows) {
      TrainResult t = r.result();
      b.append(
          String.format(
              "%-20s %5.1f%% %5d %13s %7d %,11d %9.3f %9.3f %9.3f %8s%n",
              r.run(),
              100 * r.share(),
              r.seed(),
              r.status(),
              t.steps(),
              t.tokens(),
              t.trainLoss(),
              t.valLoss(),
              t.unigramLoss(),
              Numerics.clock(t.seconds())));
    }
    return b.append("losses in nats per token; unigram = the loss of ignoring context").toString();
  }
}
