package org.antidote.study;

import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;
import org.antidote.eval.ScorerSpec;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.model.Preset;
import org.antidote.plot.Displayable;
import org.antidote.train.Dpo;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The scale of a whole study. Four are ready: {@link #smoke()} (the tests: a minute), {@link
 * #cpu()} (what {@code ./antidote demo} runs: the paper's shares x 3 seeds on a laptop), {@link
 * #cpuFull()} (larger models, the same design, about 2 hours on 2 cores) and {@link #gpu()} (the
 * paper's shares with a GPT-2-sized model and longer training).
 *
 * <p>The CPU scales size their models to the time they have, so that every model sees at least 10
 * tokens per parameter (all parameters, the embedding included): below that the demo's earlier
 * 1.4M-parameter models saw 0.9 and did not learn English. {@code cpu}: 160K parameters, 800 steps
 * of 16 x 128 tokens at 0 % (10.3 tokens per parameter; more at the toxic shares, which train
 * longer); {@code cpu-full}: 344K parameters, 1,700 steps (10.1 tokens per parameter).
 *
 * @param scale a name for the scale
 * @param shares toxic shares of the pre-training mixtures (the paper's protocol: clean tokens
 *     fixed)
 * @param seed seeds mixing, the probes' split and sampling, and is the first training seed
 * @param seeds models trained per share, with seeds {@code seed, seed + 1, ...}: enough for a
 *     t-interval over seeds
 * @param vocabSize BPE vocabulary
 * @param preset model shape
 * @param steps optimiser steps of the 0% model; a share r trains steps / (1 - r), so every model
 *     sees the same clean tokens (the paper's protocol)
 * @param batchSize sequences per step
 * @param scorer toxicity scorer (stored as its text form: {@code minilm}, {@code onnx=...})
 * @param eval what every model is evaluated with
 */
public record StudyConfig(
    String scale,
    List<Double> shares,
    long seed,
    int seeds,
    int vocabSize,
    Preset preset,
    int steps,
    int batchSize,
    ScorerSpec scorer,
    RunsEvaluation.Plan eval)
    implements Displayable {

  /** The paper's toxic shares. */
  public static final List<Double> PAPER_SHARES = List.of(0.0, 0.05, 0.10, 0.15, 0.20, 0.25);

  /**
   * Refuses no shares, shares outside [0, 1) or equal once rounded to the whole percent that names
   * their folders, a vocabulary below 260, no steps, no scorer.
   */
  public StudyConfig {
    Check.present("study: a scale name", scale);
    if (seeds == 0) {
      seeds = 1; // a study.json written before studies had several seeds
    }
    Check.positive("study: seeds per share", seeds);
    shares = List.copyOf(Check.present("study: toxic shares", shares));
    Check.input(!shares.isEmpty(), "study: at least one toxic share is needed");
    for (double s : shares) {
      Check.input(s >= 0 && s < 1, "study: toxic shares must be in [0, 1), got " + shares);
    }
    Check.input(
        shares.stream().map(s -> Math.round(s * 100)).distinct().count() == shares.size(),
        "study: toxic shares must differ by at least a whole percent (each names a"
            + " folder, mix-05 ...), got "
            + shares);
    Check.input(
        vocabSize >= 260,
        "study: vocabulary must be >= 260 (256 bytes and special tokens), got " + vocabSize);
    Check.input(
        steps >= 1 && batchSize >= 1,
        "study: steps and batch size must be >= 1, got " + steps + " and " + batchSize);
    Check.present("study: a model preset", preset);
    Check.present("study: a scorer (" + ScorerSpec.FORMS + ")", scorer);
    Check.present("study: an evaluation plan", eval);
  }

  /** A builder holding every default: the CPU scale. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder()
        .scale(scale)
        .shares(shares)
        .seed(seed)
        .seeds(seeds)
        .vocabSize(vocabSize)
        .preset(preset)
        .steps(steps)
        .batchSize(batchSize)
        .scorer(scorer)
        .eval(eval);
  }

  /** Seconds-scale: two shares, the tiny preset, a few prompts. For tests. */
  public static StudyConfig smoke() {
    return builder()
        .scale("smoke")
        .shares(List.of(0.0, 0.25))
        .seeds(1)
        .vocabSize(512)
        .preset(Preset.TINY)
        .steps(40)
        .eval(
            RunsEvaluation.Plan.builder()
                .promptsPerSet(8)
                .samplesPerPrompt(1)
                .cleanTexts(8)
                .minimalPairs(40)
                .probeTextsPerClass(80)
                .sftSteps(10)
                .build())
        .build();
  }

  /** The paper's shares x 3 seeds with 160K-parameter models: the demo, on 2 CPU cores. */
  public static StudyConfig cpu() {
    return builder().build();
  }

  /**
   * The paper's shares x 3 seeds with 344K-parameter models: about 2 hours on 2 CPU cores. Its
   * folder belongs under {@code $ANTIDOTE_HOME}, outside any checkout, so a later session resumes
   * it.
   */
  public static StudyConfig cpuFull() {
    return builder().scale("cpu-full").vocabSize(2048).preset(Preset.COMPACT).steps(1700).build();
  }

  /** The paper's shares with the GPT-2 (124M) shape; needs a GPU. */
  public static StudyConfig gpu() {
    return builder()
        .scale("gpu")
        .seeds(1)
        .vocabSize(8192)
        .preset(Preset.GPT2_124M)
        .steps(5000)
        .eval(
            RunsEvaluation.Plan.builder()
                .promptsPerSet(500)
                .samplesPerPrompt(5)
                .cleanTexts(500)
                .minimalPairs(1000)
                .probeTextsPerClass(2000)
                .sftSteps(500)
                .build())
        .build();
  }

  /** The scale called {@code name}: smoke, cpu, cpu-full or gpu. */
  public static StudyConfig of(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "smoke" -> smoke();
      case "cpu" -> cpu();
      case "cpu-full" -> cpuFull();
      case "gpu" -> gpu();
      default ->
          throw new BadInputException("scale must be smoke, cpu, cpu-full or gpu, got " + name);
    };
  }

  /** The same with other toxic shares. */
  public StudyConfig withShares(List<Double> s) {
    return toBuilder().shares(s).build();
  }

  /** The same with another seed. */
  public StudyConfig withSeed(long s) {
    return toBuilder().seed(s).build();
  }

  /** The same with another scorer, in one of the forms {@link ScorerSpec#FORMS} names. */
  public StudyConfig withScorer(String s) {
    return toBuilder().scorer(ScorerSpec.parse(s)).build();
  }

  /** The training seeds: {@code seed} and the next {@code seeds - 1}. */
  public List<Long> seedList() {
    return LongStream.range(seed, seed + seeds).boxed().toList();
  }

  /** The same with {@code n} seeds per share. */
  public StudyConfig withSeeds(int n) {
    return toBuilder().seeds(n).build();
  }

  /** The same with another number of training steps. */
  public StudyConfig withSteps(int s) {
    return toBuilder().steps(s).build();
  }

  /** The one place a study's defaults are stated (the CPU scale's); the other scales start here. */
  public static final class Builder {
    private String scale = "cpu"; // names the demo's folder and report
    private List<Double> shares = PAPER_SHARES; // the paper's protocol
    private long seed = 1; // mixing, the first training seed, sampling
    private int seeds = 3; // models per share: a t-interval over seeds
    private int vocabSize = 1024; // BPE vocabulary fitted on the pre-training pool
    private Preset preset = Preset.MINI; // 160K parameters: 10 tokens each in minutes
    private int steps = 800; // the 0% model's; a share r trains steps / (1 - r)
    private int batchSize = 16; // sequences per step
    private ScorerSpec scorer = ScorerSpec.DEFAULT; // MiniLM: offline, bundled
    private RunsEvaluation.Plan eval = RunsEvaluation.Plan.builder().build(); // the CPU plan

    private Builder() {}

    public Builder scale(String v) {
      scale = v;
      return this;
    }

    public Builder shares(List<Double> v) {
      shares = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder seeds(int v) {
      seeds = v;
      return this;
    }

    public Builder vocabSize(int v) {
      vocabSize = v;
      return this;
    }

    public Builder preset(Preset v) {
      preset = v;
      return this;
    }

    public Builder steps(int v) {
      steps = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder scorer(ScorerSpec v) {
      scorer = v;
      return this;
    }

    public Builder eval(RunsEvaluation.Plan v) {
      eval = v;
      return this;
    }

    /** The config, validated. */
    public StudyConfig build() {
      return new StudyConfig(
          scale, shares, seed, seeds, vocabSize, preset, steps, batchSize, scorer, eval);
    }
  }

  /** Every setting, one row each. */
  @Override
  public Table table() {
    StringColumn name = StringColumn.create("setting");
    StringColumn value = StringColumn.create("value");
    Object[][] rows = {
      {"scale", scale},
      {"toxic shares", shares},
      {"seeds", seeds == 1 ? String.valueOf(seed) : seed + " to " + (seed + seeds - 1)},
      {"vocabulary", vocabSize},
      {
        "preset",
        preset.id()
            + " ("
            + String.format("%,d", preset.config(vocabSize).parameters())
            + " parameters)"
      },
      {"steps x batch", steps + " x " + batchSize},
      {
        "tokens per parameter (0%)",
        String.format(
            Locale.ROOT,
            "%.1f",
            (double) steps
                * batchSize
                * preset.config(vocabSize).context()
                / preset.config(vocabSize).parameters())
      },
      {"scorer", scorer},
      {"prompts per set x samples", eval.promptsPerSet() + " x " + eval.samplesPerPrompt()},
      {"clean texts (CE, KL)", eval.cleanTexts()},
      {"minimal pairs", eval.minimalPairs()},
      {"probe texts per class", eval.probeTextsPerClass()},
      {"ITI heads", "max(4, round(" + eval.headFraction() + " x heads))"},
      {"ITI alphas", eval.alphas()},
      {"ITI positions", eval.positions()},
      {"random-direction draws", eval.randomDraws()},
      {"SFT steps (clean fit texts)", eval.sftSteps()},
      {"DPO steps (beta " + Dpo.Config.defaults(1).beta() + ")", eval.dpoSteps()},
      {"head-set resamples", eval.headResamples()}
    };
    for (Object[] r : rows) {
      name.append(String.valueOf(r[0]));
      value.append(String.valueOf(r[1]));
    }
    return Table.create("study at " + scale + " scale", name, value);
  }
}
