package org.antidote.study;

import java.util.List;
import java.util.Locale;
import org.antidote.io.BadInputException;
import org.antidote.model.Preset;
import org.antidote.plot.Displayable;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The scale of a whole study. Three are ready: {@link #smoke()} (the tests: a minute), {@link
 * #cpu()} (a laptop: the paper's shares with small models, about 20 minutes on 2 cores; what {@code
 * ./antidote demo} runs) and {@link #gpu()} (the paper's shares with a GPT-2-sized model and longer
 * training).
 *
 * @param scale a name for the scale
 * @param shares toxic shares of the pre-training mixtures (the paper's protocol: clean tokens
 *     fixed)
 * @param seed seeds mixing, training and sampling
 * @param vocabSize BPE vocabulary
 * @param preset model shape
 * @param steps optimiser steps of the 0% model; a share r trains steps / (1 - r), so every model
 *     sees the same clean tokens (the paper's protocol)
 * @param batchSize sequences per step
 * @param scorer toxicity scorer, as {@link org.antidote.eval.ToxicityScorer#named} reads it
 * @param eval what every model is evaluated with
 */
public record StudyConfig(
    String scale,
    List<Double> shares,
    long seed,
    int vocabSize,
    Preset preset,
    int steps,
    int batchSize,
    String scorer,
    Evaluation.Plan eval)
    implements Displayable {

  /** ITI strengths of the paper's sweep that the ready scales evaluate. */
  private static final List<Double> ALPHAS = List.of(4.0, 8.0, 12.0);

  /** The paper's toxic shares. */
  public static final List<Double> PAPER_SHARES = List.of(0.0, 0.05, 0.10, 0.15, 0.20, 0.25);

  /**
   * Refuses no shares, shares outside [0, 1) or equal once rounded to the whole percent that names
   * their folders, a vocabulary below 260, no steps, an unknown scorer.
   */
  public StudyConfig {
    scorer = scorer.startsWith("onnx=") ? scorer : scorer.toLowerCase(Locale.ROOT);
    shares = List.copyOf(shares);
    if (shares.isEmpty()) {
      throw new IllegalArgumentException("study: at least one toxic share is needed");
    }
    for (double s : shares) {
      if (!(s >= 0 && s < 1)) {
        throw new IllegalArgumentException("study: toxic shares must be in [0, 1), got " + shares);
      }
    }
    if (shares.stream().map(s -> Math.round(s * 100)).distinct().count() != shares.size()) {
      throw new IllegalArgumentException(
          "study: toxic shares must differ by at least a whole percent (each names a"
              + " folder, mix-05 ...), got "
              + shares);
    }
    if (vocabSize < 260) {
      throw new IllegalArgumentException(
          "study: vocabulary must be >= 260 (256 bytes and special tokens), got " + vocabSize);
    }
    if (steps < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "study: steps and batch size must be >= 1, got " + steps + " and " + batchSize);
    }
    if (!List.of("minilm", "lexicon", "perspective").contains(scorer)
        && !scorer.startsWith("onnx=")) {
      throw new IllegalArgumentException(
          "study: scorer must be minilm, lexicon, perspective or onnx=..., got " + scorer);
    }
  }

  /** Seconds-scale: two shares, the tiny preset, a few prompts. For tests. */
  public static StudyConfig smoke() {
    return new StudyConfig(
        "smoke",
        List.of(0.0, 0.25),
        1,
        512,
        Preset.TINY,
        40,
        16,
        "minilm",
        new Evaluation.Plan(8, 1, 8, 40, 80, 0.117, ALPHAS, 10));
  }

  /** The paper's shares with 1.4M-parameter models: about 20 minutes on 2 CPU cores. */
  public static StudyConfig cpu() {
    return new StudyConfig(
        "cpu",
        PAPER_SHARES,
        1,
        4096,
        Preset.SMALL,
        600,
        16,
        "minilm",
        new Evaluation.Plan(100, 2, 100, 300, 1000, 0.117, ALPHAS, 100));
  }

  /** The paper's shares with the GPT-2 (124M) shape; needs a GPU. */
  public static StudyConfig gpu() {
    return new StudyConfig(
        "gpu",
        PAPER_SHARES,
        1,
        8192,
        Preset.GPT2_124M,
        5000,
        16,
        "minilm",
        new Evaluation.Plan(500, 5, 500, 1000, 2000, 0.117, ALPHAS, 500));
  }

  /** The scale called {@code name}: smoke, cpu or gpu. */
  public static StudyConfig of(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "smoke" -> smoke();
      case "cpu" -> cpu();
      case "gpu" -> gpu();
      default -> throw new BadInputException("scale must be smoke, cpu or gpu, got " + name);
    };
  }

  /** The same with other toxic shares. */
  public StudyConfig withShares(List<Double> s) {
    return new StudyConfig(scale, s, seed, vocabSize, preset, steps, batchSize, scorer, eval);
  }

  /** The same with another seed. */
  public StudyConfig withSeed(long s) {
    return new StudyConfig(scale, shares, s, vocabSize, preset, steps, batchSize, scorer, eval);
  }

  /** The same with another scorer. */
  public StudyConfig withScorer(String s) {
    return new StudyConfig(scale, shares, seed, vocabSize, preset, steps, batchSize, s, eval);
  }

  /** The same with another number of training steps. */
  public StudyConfig withSteps(int s) {
    return new StudyConfig(scale, shares, seed, vocabSize, preset, s, batchSize, scorer, eval);
  }

  /** Every setting, one row each. */
  @Override
  public Table table() {
    StringColumn name = StringColumn.create("setting");
    StringColumn value = StringColumn.create("value");
    Object[][] rows = {
      {"scale", scale},
      {"toxic shares", shares},
      {"seed", seed},
      {"vocabulary", vocabSize},
      {
        "preset",
        preset.id()
            + " ("
            + String.format("%,d", preset.config(vocabSize).parameters())
            + " parameters)"
      },
      {"steps x batch", steps + " x " + batchSize},
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
      {
        "DPO steps (beta " + org.antidote.train.Dpo.Config.defaults(1).beta() + ")", eval.dpoSteps()
      },
      {"head-set resamples", eval.headResamples()}
    };
    for (Object[] r : rows) {
      name.append(String.valueOf(r[0]));
      value.append(String.valueOf(r[1]));
    }
    return Table.create("study at " + scale + " scale", name, value);
  }
}
