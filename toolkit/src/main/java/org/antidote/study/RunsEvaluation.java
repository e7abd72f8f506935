package org.antidote.study;

import ai.djl.Device;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Document;
import org.antidote.corpus.DocumentStream;
import org.antidote.corpus.GroupSplit;
import org.antidote.eval.MinimalPair;
import org.antidote.eval.MinimalPairs;
import org.antidote.eval.ModelEvaluation;
import org.antidote.eval.Prompts;
import org.antidote.eval.ResultsTable;
import org.antidote.eval.ScorerSpec;
import org.antidote.eval.ToxicityScorer;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.io.Checksums;
import org.antidote.io.Json;
import org.antidote.iti.Intervention;
import org.antidote.math.Numerics;
import org.antidote.mix.Mixer;
import org.antidote.model.Hooks;
import org.antidote.model.Models;
import org.antidote.model.Transformer;
import org.antidote.probe.CaptureConfig;
import org.antidote.probe.Directions;
import org.antidote.probe.HeadStability;
import org.antidote.probe.ProbeConfig;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.PackedTokens;
import org.antidote.train.Dpo;
import org.antidote.train.TrainConfig;
import org.antidote.train.TrainListener;
import org.antidote.train.Trainer;

/**
 * Evaluates many trained runs the way the paper does, one run at a time (each configuration of each
 * with {@link ModelEvaluation}, the rows into a {@link ResultsTable}): no intervention, the safety
 * prompt, ITI on K = max(4, round(fraction x heads)) heads at each alpha with its random-direction
 * control (the same heads and sigmas, random unit directions, the mean of several draws), SFT
 * (fine-tuning on the clean side of the probes' fit texts) and DPO (a group's neutral over its
 * hateful statements after its prompts). Fitting and scoring keep to the two sides of one seeded
 * split of ToxiGen's target groups, so no method is scored on statements it was fitted on. Each
 * run's results are kept in {@code out/RUN.json} with the plan that made them, so an interrupted
 * evaluation resumes at the next run and a second call returns at once.
 */
public final class RunsEvaluation {

  /** Changes when what a stored result means changes, so older files are evaluated again. */
  // 2: continuations are always the full length (results of 1 may hold empty ones).
  // 3: K is max(4, ...), ITI shifts the plan's positions, random controls, SFT on detox texts, DPO.
  // 4: ToxiGen's prompts come from the score side of the group split, the probe, SFT and DPO texts
  // from its fit side; DPO pairs a fit-side group's prompt with its neutral over its hateful
  // statements.
  private static final String KEY_FORMAT = "antidote-eval/4";

  /**
   * Sampling and CE settings (20 new tokens, temperature 1, top-p 0.9, seed 1, CE on 128 tokens);
   * samples per prompt come from the plan.
   */
  private static final ModelEvaluation.Settings SAMPLING = ModelEvaluation.Settings.defaults();

  private RunsEvaluation() {}

  /**
   * What to evaluate with.
   *
   * @param promptsPerSet bundled prompts per prompt set
   * @param samplesPerPrompt continuations sampled per prompt
   * @param cleanTexts held-out clean documents for cross-entropy and KL
   * @param minimalPairs grammatical minimal pairs
   * @param probeTextsPerClass labelled texts per class the probes are fitted on
   * @param headFraction share of heads ITI shifts (the paper: 30 of 256, 0.117)
   * @param alphas ITI strengths
   * @param sftSteps steps of the SFT baseline (0: none)
   * @param positions where ITI shifts while generating (capability is scored with every position
   *     shifted)
   * @param randomDraws random-direction controls per alpha (0: none)
   * @param dpoSteps steps of the DPO baseline (0: none)
   * @param headResamples bootstrap resamples of the probe set for the head-set stability (0: not
   *     measured)
   */
  public record Plan(
      int promptsPerSet,
      int samplesPerPrompt,
      int cleanTexts,
      int minimalPairs,
      int probeTextsPerClass,
      double headFraction,
      List<Double> alphas,
      int sftSteps,
      Intervention.Positions positions,
      int randomDraws,
      int dpoSteps,
      int headResamples) {

    /**
     * Refuses counts below their minimum, a head fraction outside (0, 1] and alphas that are not
     * positive.
     */
    public Plan {
      String plan = "evaluation plan: ";
      Check.atLeast(plan + "prompts per set", promptsPerSet, 1);
      Check.atLeast(plan + "samples per prompt", samplesPerPrompt, 1);
      Check.atLeast(plan + "clean texts", cleanTexts, 1);
      Check.atLeast(plan + "minimal pairs", minimalPairs, 0);
      Check.atLeast(plan + "probe texts per class", probeTextsPerClass, 10);
      Check.atLeast(plan + "SFT steps", sftSteps, 0);
      Check.atLeast(plan + "random draws", randomDraws, 0);
      Check.atLeast(plan + "DPO steps", dpoSteps, 0);
      Check.atLeast(plan + "head resamples", headResamples, 0);
      if (positions == null) {
        // A study.json written before plans had positions: read it, so the study refuses it as
        // another study.
        positions = Intervention.Positions.GENERATED;
      }
      Check.input(headResamples != 1, plan + "head resamples must be 0 or >= 2, got 1");
      Check.input(
          headFraction > 0 && headFraction <= 1,
          plan + "head fraction must be in (0, 1], got " + headFraction);
      alphas = List.copyOf(Check.present(plan + "alphas", alphas));
      for (double a : alphas) {
        Check.input(
            a > 0 && !Double.isInfinite(a), plan + "every alpha must be positive, got " + alphas);
      }
    }

    /** A builder holding every default: the CPU study's plan. */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder starting from this plan. */
    public Builder toBuilder() {
      return new Builder()
          .promptsPerSet(promptsPerSet)
          .samplesPerPrompt(samplesPerPrompt)
          .cleanTexts(cleanTexts)
          .minimalPairs(minimalPairs)
          .probeTextsPerClass(probeTextsPerClass)
          .headFraction(headFraction)
          .alphas(alphas)
          .sftSteps(sftSteps)
          .positions(positions)
          .randomDraws(randomDraws)
          .dpoSteps(dpoSteps)
          .headResamples(headResamples);
    }

    /** The one place the evaluation's defaults are stated (the CPU study's). */
    public static final class Builder {
      private int promptsPerSet = 100; // bundled prompts per prompt set
      private int samplesPerPrompt = 2; // continuations per prompt (k)
      private int cleanTexts = 100; // held-out clean documents for CE and KL
      private int minimalPairs = 300; // BLiMP pairs, sampled over its fields
      private int probeTextsPerClass = 1000; // labelled texts per class for the ITI probes
      private double headFraction = 0.117; // the paper's 30 of 256 heads
      private List<Double> alphas = List.of(4.0, 8.0, 12.0); // ITI strengths of the paper's sweep
      private int sftSteps = 100; // the SFT baseline; 0: none
      private Intervention.Positions positions = Intervention.Positions.GENERATED; // honest_llama
      private int randomDraws = 3; // random-direction controls per alpha; 0: none
      private Integer dpoSteps; // null: as many as SFT steps; 0: none
      private int headResamples = 5; // bootstrap resamples for head-set stability; 0: none

      private Builder() {}

      public Builder promptsPerSet(int v) {
        promptsPerSet = v;
        return this;
      }

      public Builder samplesPerPrompt(int v) {
        samplesPerPrompt = v;
        return this;
      }

      public Builder cleanTexts(int v) {
        cleanTexts = v;
        return this;
      }

      public Builder minimalPairs(int v) {
        minimalPairs = v;
        return this;
      }

      public Builder probeTextsPerClass(int v) {
        probeTextsPerClass = v;
        return this;
      }

      public Builder headFraction(double v) {
        headFraction = v;
        return this;
      }

      public Builder alphas(List<Double> v) {
        alphas = v;
        return this;
      }

      public Builder sftSteps(int v) {
        sftSteps = v;
        return this;
      }

      public Builder positions(Intervention.Positions v) {
        positions = v;
        return this;
      }

      public Builder randomDraws(int v) {
        randomDraws = v;
        return this;
      }

      /** DPO steps; null: as many as the SFT steps. */
      public Builder dpoSteps(Integer v) {
        dpoSteps = v;
        return this;
      }

      public Builder headResamples(int v) {
        headResamples = v;
        return this;
      }

      /** The plan, validated. */
      public Plan build() {
        return new Plan(
            promptsPerSet,
            samplesPerPrompt,
            cleanTexts,
            minimalPairs,
            probeTextsPerClass,
            headFraction,
            alphas,
            sftSteps,
            positions,
            randomDraws,
            dpoSteps != null ? dpoSteps : sftSteps,
            headResamples);
      }
    }
  }

  /**
   * One run's evaluation as stored: the key of what made it, the rows, a few continuations per
   * method, its probes' head accuracies, the stability of its top-K heads, what DPO did (null where
   * not run), and the checksum of its rows, so a changed or damaged cache file is noticed.
   */
  public record RunResult(
      String key,
      List<ResultsTable.Row> rows,
      Map<String, List<String>> samples,
      double[] headAccuracy,
      HeadStability headStability,
      Dpo.Result dpo,
      String rowsSha256) {

    static RunResult of(
        String key,
        List<ResultsTable.Row> rows,
        Map<String, List<String>> samples,
        double[] headAccuracy,
        HeadStability headStability,
        Dpo.Result dpo) {
      return new RunResult(
          key, rows, samples, headAccuracy, headStability, dpo, Checksums.sha256(Json.line(rows)));
    }

    /** Whether the rows are still the ones the checksum was taken of. */
    boolean intact() {
      return rows != null
          && rowsSha256 != null
          && rowsSha256.equals(Checksums.sha256(Json.line(rows)));
    }
  }

  /**
   * Evaluates every run (skipping those already evaluated with the same weights, plan and scorer)
   * and writes all rows to {@code out/results.json}. The scorer is made only when a run needs
   * evaluating, and closed at the end. Probes for ITI are fitted with {@code seed}; models run on
   * {@code device}. SFT and DPO start from each run's weights and tune on the probes' fit texts
   * (skipped when the plan gives them no steps).
   */
  public static List<RunResult> run(
      List<Path> runs,
      Path out,
      ScorerSpec scorerSpec,
      Plan plan,
      long seed,
      Device device,
      PrintStream log) {
    Set<Path> names = new HashSet<>();
    for (Path run : runs) {
      if (!names.add(run.getFileName())) {
        throw new BadInputException(
            "two runs are called "
                + run.getFileName()
                + "; their results would share "
                + out.resolve(run.getFileName() + ".json")
                + ": evaluate them into different --out folders");
      }
    }
    String scorerId = scorerSpec.id();
    // Seeded like the probes: which groups fit and which score is part of every run's key.
    GroupSplit groups = Corpora.bundled().toxigenSplit(seed);
    Inputs inputs = null;
    ToxicityScorer scorer = null;
    List<RunResult> results = new ArrayList<>();
    List<ResultsTable.Row> all = new ArrayList<>();
    try {
      for (Path run : runs) {
        Path file = out.resolve(run.getFileName() + ".json");
        String key = key(run, scorerId, plan, seed, groups);
        RunResult cached = cached(file, log);
        if (cached != null && cached.key().equals(key)) {
          log.println(run.getFileName() + ": evaluated before, reusing " + file);
        } else {
          if (inputs == null) {
            inputs = Inputs.bundled(plan, seed, groups, log);
            scorer = scorerSpec.open();
            if (!scorer.id().equals(scorerId)) {
              throw new IllegalStateException(
                  "the scorer "
                      + scorerSpec
                      + " changed since this evaluation started ("
                      + scorerId
                      + ", now "
                      + scorer.id()
                      + "); run it again");
            }
          }
          cached = evaluate(run, out, key, scorer, plan, inputs, seed, device, log);
          Json.write(file, cached);
        }
        results.add(cached);
        all.addAll(cached.rows());
      }
    } finally {
      if (scorer != null) {
        try {
          scorer.close();
        } catch (RuntimeException e) {
          log.println("closing the scorer: " + e);
        }
      }
    }
    Json.write(out.resolve("results.json"), all);
    return results;
  }

  /**
   * The cached result in {@code file}, or null when there is none; a damaged one (truncated, not
   * JSON, rows that do not match their checksum) is never reused: it is evaluated again, with a
   * note.
   */
  private static RunResult cached(Path file, PrintStream log) {
    if (!Files.exists(file)) {
      return null;
    }
    try {
      RunResult r = Json.read(file, RunResult.class);
      if (!r.intact()) {
        throw BadInputException.in(file, "its rows do not match their checksum");
      }
      return r;
    } catch (BadInputException e) {
      log.println(
          "note: the evaluation cache is damaged (" + e.getMessage() + "); evaluating again");
      return null;
    }
  }

  /** Every row of {@code results}, in order. */
  public static List<ResultsTable.Row> rows(List<RunResult> results) {
    return results.stream().flatMap(r -> r.rows().stream()).toList();
  }

  /**
   * The prompts, clean texts and minimal pairs every run is evaluated on, the probes' texts, and
   * the fit side's hateful ToxiGen prompts by group (DPO's prompts).
   */
  private record Inputs(
      List<Prompts.Prompt> prompts,
      List<String> clean,
      List<MinimalPair> pairs,
      ModelEvaluation.Settings settings,
      RunProbes.Texts probeTexts,
      Map<String, List<String>> dpoPrompts) {

    /**
     * ToxiGen's prompts from the score side of {@code groups}, its probe texts (and so SFT's and
     * DPO's) from the fit side, with one line on the split to {@code log}.
     */
    static Inputs bundled(Plan plan, long seed, GroupSplit groups, PrintStream log) {
      Corpora.Bundled data = Corpora.bundled();
      RunProbes.Texts probeTexts =
          RunProbes.Texts.bundled(Corpora.LabelledSet.DEFAULT, plan.probeTextsPerClass(), seed);
      List<Prompts.Prompt> prompts = Prompts.bundled(data, plan.promptsPerSet(), groups);
      Map<String, List<String>> dpoPrompts = Prompts.fitSideHate(data, groups);
      int perClass = probeTexts.fit().size() / 2;
      log.printf(
          "%s; scored: %d ToxiGen prompts; fitted on: %d probe texts, %d tuning texts%s%n",
          Prompts.describeSplit(data, groups),
          prompts.stream().filter(p -> p.set().startsWith("toxigen")).count(),
          probeTexts.fit().size(),
          probeTexts.tuning().size(),
          perClass < plan.probeTextsPerClass()
              ? " ("
                  + perClass
                  + " a class: the plan asks for "
                  + plan.probeTextsPerClass()
                  + ", the fit side holds no more)"
              : "");
      List<String> clean = new ArrayList<>();
      try (DocumentStream s =
          Corpora.concat(List.of(data.sourceHeldOut("sotu"), data.sourceHeldOut("moby-dick")))) {
        while (s.hasNext() && clean.size() < plan.cleanTexts()) {
          clean.add(s.next().text());
        }
      }
      List<MinimalPair> pairs =
          plan.minimalPairs() == 0
              ? List.of()
              : MinimalPairs.blimp(data).sample(plan.minimalPairs(), 1);
      return new Inputs(
          prompts,
          clean,
          pairs,
          SAMPLING.withSamplesPerPrompt(plan.samplesPerPrompt()),
          probeTexts,
          dpoPrompts);
    }
  }

  private static RunResult evaluate(
      Path run,
      Path out,
      String key,
      ToxicityScorer scorer,
      Plan plan,
      Inputs in,
      long seed,
      Device device,
      PrintStream log) {
    // A Hugging Face folder (--models) has no mixture, seed or training config: no share, no SFT.
    boolean isRun = Trainer.isRun(run);
    Trainer.RunConfig rc = isRun ? Trainer.readConfig(run) : null;
    Path mix = isRun ? Models.dataDir(run, rc.data().dir()) : null;
    double share =
        mix != null && Files.isRegularFile(mix.resolve("manifest.json"))
            ? Mixer.read(mix).config().toxicShare()
            : Double.NaN;
    long trainSeed = isRun ? rc.train().seed() : 0;
    List<ResultsTable.Row> rows = new ArrayList<>();
    Map<String, List<String>> samples = new LinkedHashMap<>();
    RunProbes.Fitted f =
        RunProbes.fit(run, null, in.probeTexts(), CaptureConfig.Position.LAST, seed, device, log);
    HeadStability stability = null;
    Dpo.Result dpo = null;
    try (Transformer model = f.model()) {
      int k =
          Intervention.headCount(
              plan.headFraction(), model.config().layers() * model.config().heads());
      if (plan.headResamples() >= 2) {
        stability =
            HeadStability.of(
                f.fit(), ProbeConfig.defaults().withSeed(seed), k, plan.headResamples(), seed);
        log.printf(
            "%s: top-%d heads over %d resamples of the probe set: Jaccard %.2f (min %.2f; random sets %.2f)%n",
            run.getFileName(),
            k,
            plan.headResamples(),
            stability.meanJaccard(),
            stability.minJaccard(),
            stability.chance());
      }
      List<Directions.HeadDirection> dirs =
          Directions.compute(f.fit(), f.probes(), Directions.Kind.MASS_MEAN, f.tuning(), 1);
      log.printf(
          "%s (share %.0f%%, seed %d): none, prompt, ITI on %d heads at alpha %s (%s positions, %d random"
              + " draws)%s%s%n",
          run.getFileName(),
          100 * share,
          trainSeed,
          k,
          plan.alphas(),
          plan.positions(),
          plan.randomDraws(),
          plan.sftSteps() > 0 ? ", SFT" : "",
          plan.dpoSteps() > 0 ? ", DPO" : "");
      Scoring scoring =
          new Scoring(
              run.getFileName().toString(),
              2
                  + plan.alphas().size() * (1 + plan.randomDraws())
                  + (isRun && plan.sftSteps() > 0 ? 1 : 0)
                  + (isRun && plan.dpoSteps() > 0 ? 1 : 0),
              f.tokenizer(),
              in,
              scorer,
              log);
      record Method(String name, Hooks hooks, Hooks scoring, String prefix) {}
      List<Method> methods =
          new ArrayList<>(
              List.of(
                  new Method("none", Hooks.none(), Hooks.none(), ""),
                  new Method("prompt", Hooks.none(), Hooks.none(), ModelEvaluation.SAFETY_PROMPT)));
      for (double alpha : plan.alphas()) {
        Intervention iti =
            Intervention.topHeads(
                run.toString(), f.probes(), dirs, k, alpha, model.config().dHead());
        methods.add(
            new Method(
                String.format("ITI a=%s", trim(alpha)),
                iti.hooks(plan.positions()),
                iti.hooks(Intervention.Positions.ALL),
                ""));
      }
      for (Method m : methods) {
        ModelEvaluation.Scores s =
            scoring.score(m.name(), m.name(), model, m.hooks(), m.scoring(), m.prefix());
        rows.add(ResultsTable.Row.of(share, trainSeed, m.name(), s));
        samples.put(m.name(), s.samples());
      }
      for (double alpha : plan.randomDraws() > 0 ? plan.alphas() : List.<Double>of()) {
        // The control: the same heads, sigmas and alpha, random unit directions; one row, the mean
        // of the draws.
        Intervention iti =
            Intervention.topHeads(
                run.toString(), f.probes(), dirs, k, alpha, model.config().dHead());
        String name = String.format("random a=%s", trim(alpha));
        List<ResultsTable.Row> draws = new ArrayList<>();
        for (int d = 0; d < plan.randomDraws(); d++) {
          Intervention r = iti.withRandomDirections(seed * 1000 + d);
          ModelEvaluation.Scores s =
              scoring.score(
                  name,
                  name + " (draw " + (d + 1) + ")",
                  model,
                  r.hooks(plan.positions()),
                  r.hooks(Intervention.Positions.ALL),
                  "");
          draws.add(ResultsTable.Row.of(share, trainSeed, name, s));
          if (d == 0) {
            samples.put(name, s.samples());
          }
        }
        rows.add(meanOf(draws));
      }
      List<String> clean =
          in.probeTexts().fit().stream().filter(d -> !d.isToxic()).map(Document::text).toList();
      Path weights = run.resolve("model.safetensors");
      // A Hugging Face folder (--models) has no training config to fine-tune with: no SFT, no DPO.
      String tag =
          isRun
              ? run.getFileName()
                  + "-"
                  + Checksums.sha256(weights).substring(0, 12)
                  + "-"
                  + Checksums.sha256(seed + "\n" + String.join("\n", clean)).substring(0, 8)
              : null;
      if ((plan.sftSteps() > 0 || plan.dpoSteps() > 0) && !isRun) {
        log.println(
            run + ": not a toolkit run, so no SFT or DPO (they need the run's training config)");
      } else if (plan.sftSteps() > 0) {
        // Named by the weights it starts from and the texts and seed it tunes on, so neither a
        // retrained run nor another split of the groups reuses another's fine-tune.
        Path data = out.resolve("sft-data").resolve(tag);
        packDetox(clean, f.tokenizer(), model.config().context(), seed, data);
        Path sftRun = out.resolve("sft").resolve(tag);
        Trainer.fineTune(
            sftConfig(rc.train(), plan.sftSteps()),
            data,
            sftRun,
            TrainListener.silent(),
            device,
            weights);
        try (Transformer tuned = Trainer.loadModel(sftRun, device)) {
          ModelEvaluation.Scores s =
              scoring.score("SFT", "SFT", tuned, Hooks.none(), Hooks.none(), "");
          rows.add(ResultsTable.Row.of(share, trainSeed, "SFT", s));
          samples.put("SFT", s.samples());
        }
      }
      if (plan.dpoSteps() > 0 && isRun) {
        try (Transformer tuned = Trainer.loadModel(run, device)) {
          List<Dpo.Pair> pairs =
              preferencePairs(
                  in.probeTexts().fit(), in.dpoPrompts(), f.tokenizer(), model.config().context());
          TrainConfig base = rc.train();
          dpo =
              Dpo.train(
                  tuned,
                  pairs,
                  new Dpo.Config(
                      Dpo.Config.defaults(1).beta(),
                      plan.dpoSteps(),
                      Dpo.Config.defaults(1).batchSize(),
                      base.lr() / 3,
                      seed),
                  base);
          log.printf(
              "%s: DPO on %d pairs, beta %s, %d steps: log p(rejected) - log p(preferred) %.2f -> %.2f%n",
              run.getFileName(),
              dpo.pairs(),
              dpo.config().beta(),
              dpo.config().steps(),
              dpo.logRatioBefore(),
              dpo.logRatioAfter());
          ModelEvaluation.Scores s =
              scoring.score("DPO", "DPO", tuned, Hooks.none(), Hooks.none(), "");
          rows.add(ResultsTable.Row.of(share, trainSeed, "DPO", s));
          samples.put("DPO", s.samples());
        }
      }
    }
    return RunResult.of(key, rows, samples, f.probes().accuracy(), stability, dpo);
  }

  /**
   * One model's evaluations: each method scored on the same inputs with the same scorer, and one
   * line per finished evaluation (how many are done, the elapsed time and, from the mean so far,
   * the time left).
   */
  private static final class Scoring {
    private final String run;
    private final int total;
    private final BpeTokenizer tokenizer;
    private final Inputs in;
    private final ToxicityScorer scorer;
    private final PrintStream log;
    private final long start = System.nanoTime();
    private int done;
    // The first plain-scored configuration of a model: the others without scoring hooks on it
    // (the safety prompt) share its capability scores.
    private Transformer plainModel;
    private ModelEvaluation.Scores plain;

    Scoring(
        String run,
        int total,
        BpeTokenizer tokenizer,
        Inputs in,
        ToxicityScorer scorer,
        PrintStream log) {
      this.run = run;
      this.total = total;
      this.tokenizer = tokenizer;
      this.in = in;
      this.scorer = scorer;
      this.log = log;
    }

    /**
     * Scores {@code model} under {@code hooks} while generating and {@code scoringHooks} while
     * measuring capability, as method {@code method}; {@code step} names it in the progress line.
     */
    ModelEvaluation.Scores score(
        String method,
        String step,
        Transformer model,
        Hooks hooks,
        Hooks scoringHooks,
        String prefix) {
      ModelEvaluation.Scores s =
          ModelEvaluation.evaluate(
              method,
              model,
              tokenizer,
              hooks,
              scoringHooks,
              prefix,
              in.prompts(),
              scorer,
              in.clean(),
              in.pairs(),
              in.settings(),
              model == plainModel && scoringHooks == Hooks.none() ? plain : null);
      if (scoringHooks == Hooks.none() && plain == null) {
        plainModel = model;
        plain = s;
      }
      done++;
      double elapsed = (System.nanoTime() - start) / 1e9;
      log.printf(
          "%s: %d/%d evaluated (%s), %s, about %s left%n",
          run,
          done,
          total,
          step,
          Numerics.clock(elapsed),
          Numerics.clock(elapsed / done * Math.max(0, total - done)));
      log.flush();
      return s;
    }
  }

  /** The mean row of a method's random draws (per prompt too, where the draws keep prompts). */
  private static ResultsTable.Row meanOf(List<ResultsTable.Row> draws) {
    ResultsTable.Row first = draws.get(0);
    ToDoubleFunction<ToDoubleFunction<ResultsTable.Row>> mean =
        g -> draws.stream().mapToDouble(g).average().orElse(Double.NaN);
    double[] perPrompt = null;
    if (draws.stream().allMatch(d -> d.promptToxicity100() != null)) {
      perPrompt = new double[first.promptToxicity100().length];
      for (ResultsTable.Row d : draws) {
        for (int i = 0; i < perPrompt.length; i++) {
          perPrompt[i] += d.promptToxicity100()[i] / draws.size();
        }
      }
    }
    return new ResultsTable.Row(
        first.share(),
        first.seed(),
        first.method(),
        mean.applyAsDouble(ResultsTable.Row::toxicity100),
        mean.applyAsDouble(ResultsTable.Row::expectedMaxToxicity),
        mean.applyAsDouble(ResultsTable.Row::toxicityProbability),
        mean.applyAsDouble(ResultsTable.Row::crossEntropy),
        mean.applyAsDouble(ResultsTable.Row::kl),
        mean.applyAsDouble(ResultsTable.Row::minimalPairs),
        perPrompt);
  }

  /**
   * SFT's detoxification data: the clean texts of the probes' fit side (the fit side of the ToxiGen
   * groups), tokenized with the run's tokenizer, each ended by end-of-text, a tenth (at least one
   * window) held out for validation.
   */
  static void packDetox(List<String> texts, BpeTokenizer tok, int context, long seed, Path dir) {
    if (Files.isRegularFile(dir.resolve(PackedTokens.SIDECAR))) {
      return;
    }
    List<Integer> ids = new ArrayList<>();
    List<String> shuffled = new ArrayList<>(texts);
    Collections.shuffle(shuffled, new Random(seed));
    for (String t : shuffled) {
      for (int id : tok.encode(t)) {
        ids.add(id);
      }
      ids.add(tok.eotId());
    }
    int held = Math.max(context + 2, ids.size() / 10);
    if (ids.size() < held + context + 2) {
      throw new BadInputException(
          "SFT: the "
              + texts.size()
              + " clean fit texts hold "
              + ids.size()
              + " tokens, too"
              + " few for training and validation windows of "
              + (context + 1)
              + "; give more probe texts per class");
    }
    int[] all = ids.stream().mapToInt(Integer::intValue).toArray();
    PackedTokens.packIds(
        Map.of(
            "train",
            Arrays.copyOfRange(all, 0, all.length - held),
            "validation",
            Arrays.copyOfRange(all, all.length - held, all.length)),
        tok.vocabSize(),
        tok.eotId(),
        "sft-detox",
        dir);
  }

  /**
   * DPO's pairs from the fit side, preferred and rejected for the same prompt: each hateful fit
   * statement of a ToxiGen group is the rejected continuation of one of that group's hateful
   * prompts (taken in turn), one of the group's neutral fit statements (in turn) the preferred one.
   * Continuations keep their first quarter of the context at most, prompts their last tokens that
   * fit beside them. Groups without neutral statements or prompts give no pairs.
   */
  static List<Dpo.Pair> preferencePairs(
      List<Document> fit, Map<String, List<String>> promptsByGroup, BpeTokenizer tok, int context) {
    int cap = Math.max(2, context / 4);
    Map<String, List<String>> hateful = new TreeMap<>();
    Map<String, List<String>> neutral = new TreeMap<>();
    for (Document d : fit) {
      (d.isToxic() ? hateful : neutral)
          .computeIfAbsent(String.valueOf(d.category()), g -> new ArrayList<>())
          .add(d.text());
    }
    List<Dpo.Pair> pairs = new ArrayList<>();
    for (Map.Entry<String, List<String>> group : hateful.entrySet()) {
      List<String> prompts = promptsByGroup.getOrDefault(group.getKey(), List.of());
      List<String> good = neutral.getOrDefault(group.getKey(), List.of());
      for (int i = 0; i < group.getValue().size() && !prompts.isEmpty() && !good.isEmpty(); i++) {
        int[] rejected = first(tok.encode(" " + group.getValue().get(i)), cap);
        int[] preferred = first(tok.encode(" " + good.get(i % good.size())), cap);
        int[] p = tok.encode(prompts.get(i % prompts.size()));
        int keep = context - Math.max(rejected.length, preferred.length);
        int[] prompt = Arrays.copyOfRange(p, Math.max(0, p.length - keep), p.length);
        if (prompt.length > 0 && rejected.length > 0 && preferred.length > 0) {
          pairs.add(new Dpo.Pair(prompt, preferred, rejected));
        }
      }
    }
    if (pairs.isEmpty()) {
      throw new BadInputException(
          "DPO: no ToxiGen group of the fit side has hateful and neutral fit texts and hateful"
              + " prompts to make preference pairs from; give more probe texts per class");
    }
    return pairs;
  }

  private static int[] first(int[] ids, int n) {
    return Arrays.copyOf(ids, Math.min(n, ids.length));
  }

  /**
   * Fine-tuning from a pre-trained run: a third of its peak learning rate, a tenth of the steps
   * warming up.
   */
  private static TrainConfig sftConfig(TrainConfig base, int steps) {
    int tenth = Math.max(1, steps / 10);
    return base.toBuilder()
        .steps(steps)
        .lr(base.lr() / 3)
        .minLrRatio(1.0)
        .warmupSteps(tenth)
        .evalEvery(steps)
        .logEvery(tenth)
        .checkpointEvery(steps)
        .keepCheckpoints(1)
        .build();
  }

  /**
   * What makes one run's results: its weights (by checksum, so a moved study folder still hits),
   * the scorer, the plan (SFT and DPO data come from its probe texts), the sampling settings and
   * the probe seed, and the ToxiGen group split (its fit groups are fitted on, its score groups
   * scored).
   */
  private static String key(Path run, String scorerId, Plan plan, long seed, GroupSplit groups) {
    Path weights = run.resolve("model.safetensors");
    if (!Files.isRegularFile(weights)
        && Files.isRegularFile(run.resolve("model.safetensors.index.json"))) {
      weights = run.resolve("model.safetensors.index.json"); // a sharded Hugging Face checkpoint
    }
    if (!Files.isRegularFile(weights)) {
      throw new BadInputException(
          run + ": no model.safetensors; is the run finished? (./antidote train resumes it)");
    }
    return String.join(
        "|",
        KEY_FORMAT,
        Checksums.sha256(weights),
        scorerId,
        plan.toString(),
        SAMPLING.toString(),
        "probe seed " + seed,
        "toxigen groups " + groups.describe(),
        "minimal pairs: BLiMP");
  }

  private static String trim(double alpha) {
    return alpha == Math.rint(alpha) ? String.valueOf((long) alpha) : String.valueOf(alpha);
  }
}
