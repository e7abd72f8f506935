package org.antidote.study;

import ai.djl.Device;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.DocumentStream;
import org.antidote.eval.Evaluator;
import org.antidote.eval.MinimalPair;
import org.antidote.eval.MinimalPairs;
import org.antidote.eval.Prompts;
import org.antidote.eval.StudyResults;
import org.antidote.eval.ToxicityScorer;
import org.antidote.io.BadInputException;
import org.antidote.io.Checksums;
import org.antidote.io.Json;
import org.antidote.iti.Intervention;
import org.antidote.mix.Mixer;
import org.antidote.model.Hooks;
import org.antidote.model.Transformer;
import org.antidote.probe.CaptureConfig;
import org.antidote.probe.Directions;
import org.antidote.tokenize.PackedTokens;
import org.antidote.train.TrainConfig;
import org.antidote.train.TrainListener;
import org.antidote.train.Trainer;

/**
 * Evaluates trained runs the way the paper does, one run at a time: no intervention, the safety
 * prompt, ITI on the best fraction of heads at each alpha, and SFT on clean data. Each run's
 * results are kept in {@code out/RUN.json} with the plan that made them, so an interrupted
 * evaluation resumes at the next run and a second call returns at once.
 */
public final class Evaluation {

  /** Changes when what a stored result means changes, so older files are evaluated again. */
  // 2: continuations are always the full length (results of 1 may hold empty ones).
  private static final String KEY_FORMAT = "antidote-eval/2";

  /** Sampling and CE settings (20 new tokens, temperature 1, top-p 0.9, seed 1, CE on 128 tokens); samples per prompt come from the plan. */
  private static final Evaluator.Settings SAMPLING = Evaluator.Settings.defaults();

  private Evaluation() {}

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
   */
  public record Plan(int promptsPerSet, int samplesPerPrompt, int cleanTexts, int minimalPairs,
      int probeTextsPerClass, double headFraction, List<Double> alphas, int sftSteps) {

    /** Refuses counts below their minimum, a head fraction outside (0, 1] and alphas that are not positive. */
    public Plan {
      atLeast("prompts per set", promptsPerSet, 1);
      atLeast("samples per prompt", samplesPerPrompt, 1);
      atLeast("clean texts", cleanTexts, 1);
      atLeast("minimal pairs", minimalPairs, 0);
      atLeast("probe texts per class", probeTextsPerClass, 10);
      atLeast("SFT steps", sftSteps, 0);
      if (!(headFraction > 0 && headFraction <= 1)) {
        throw new IllegalArgumentException("evaluation plan: head fraction must be in (0, 1], got " + headFraction);
      }
      alphas = List.copyOf(alphas);
      for (double a : alphas) {
        if (!(a > 0) || Double.isInfinite(a)) {
          throw new IllegalArgumentException("evaluation plan: every alpha must be positive, got " + alphas);
        }
      }
    }

    private static void atLeast(String what, int v, int min) {
      if (v < min) {
        throw new IllegalArgumentException("evaluation plan: " + what + " must be >= " + min + ", got " + v);
      }
    }
  }

  /** One run's evaluation as stored: the key of what made it, the rows, a few continuations per method. */
  public record RunResult(String key, List<StudyResults.Row> rows, Map<String, List<String>> samples) {}

  /**
   * Evaluates every run (skipping those already evaluated with the same weights, plan, scorer and
   * SFT data) and writes all rows to {@code out/results.json}. The scorer is named as
   * {@link ToxicityScorer#named} reads it, made only when a run needs evaluating, and closed at
   * the end. Probes for ITI are fitted with {@code seed}; models run on {@code device}. SFT starts
   * from each run's weights and trains on the packed clean mixture {@code sftData} (skipped when
   * null or when the plan has no SFT steps).
   */
  public static List<RunResult> run(List<Path> runs, Path out, String scorerName, Plan plan, Path sftData, long seed,
      Device device, PrintStream log) {
    if (sftData != null && !Files.isRegularFile(sftData.resolve(PackedTokens.SIDECAR))) {
      throw new BadInputException(sftData + ": no packed token files (" + PackedTokens.SIDECAR + "); the SFT data must"
          + " be a packed mixture such as runs/demo/mix-00");
    }
    Set<Path> names = new HashSet<>();
    for (Path run : runs) {
      if (!names.add(run.getFileName())) {
        throw new BadInputException("two runs are called " + run.getFileName() + "; their results would share "
            + out.resolve(run.getFileName() + ".json") + ": evaluate them into different --out folders");
      }
    }
    String scorerId = ToxicityScorer.idOf(scorerName);
    Inputs inputs = null;
    ToxicityScorer scorer = null;
    List<RunResult> results = new ArrayList<>();
    List<StudyResults.Row> all = new ArrayList<>();
    try {
      for (Path run : runs) {
        Path file = out.resolve(run.getFileName() + ".json");
        String key = key(run, scorerId, plan, sftData, seed);
        RunResult cached = Files.isRegularFile(file) ? Json.read(file, RunResult.class) : null;
        if (cached != null && cached.key().equals(key)) {
          log.println(run.getFileName() + ": evaluated before, reusing " + file);
        } else {
          if (inputs == null) {
            inputs = Inputs.bundled(plan);
            scorer = ToxicityScorer.named(scorerName);
            if (!scorer.id().equals(scorerId)) {
              throw new IllegalStateException("the scorer " + scorerName + " changed since this evaluation started ("
                  + scorerId + ", now " + scorer.id() + "); run it again");
            }
          }
          cached = evaluate(run, out, key, scorer, plan, inputs, sftData, seed, device, log);
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

  /** Every row of {@code results}, in order. */
  public static List<StudyResults.Row> rows(List<RunResult> results) {
    return results.stream().flatMap(r -> r.rows().stream()).toList();
  }

  /** The prompts, clean texts and minimal pairs every run is evaluated on. */
  private record Inputs(List<Prompts.Prompt> prompts, List<String> clean, List<MinimalPair> pairs,
      Evaluator.Settings settings, RunProbes.Texts probeTexts) {

    static Inputs bundled(Plan plan) {
      Corpora.Bundled data = Corpora.bundled();
      List<String> clean = new ArrayList<>();
      try (DocumentStream s = Corpora.concat(List.of(data.sourceHeldOut("sotu"), data.sourceHeldOut("moby-dick")))) {
        while (s.hasNext() && clean.size() < plan.cleanTexts()) {
          clean.add(s.next().text());
        }
      }
      List<MinimalPair> pairs = plan.minimalPairs() == 0 ? List.of()
          : MinimalPairs.blimp(data).sample(plan.minimalPairs(), 1);
      return new Inputs(Prompts.bundled(data, plan.promptsPerSet()), clean, pairs,
          SAMPLING.withSamplesPerPrompt(plan.samplesPerPrompt()),
          RunProbes.Texts.bundled(plan.probeTextsPerClass()));
    }
  }

  private static RunResult evaluate(Path run, Path out, String key, ToxicityScorer scorer, Plan plan, Inputs in,
      Path sftData, long seed, Device device, PrintStream log) {
    Trainer.RunConfig rc = Trainer.readConfig(run);
    Path mix = Path.of(rc.data().dir());
    double share = Files.isRegularFile(mix.resolve("manifest.json")) ? Mixer.read(mix).config().toxicShare() : Double.NaN;
    long trainSeed = rc.train().seed();
    List<StudyResults.Row> rows = new ArrayList<>();
    Map<String, List<String>> samples = new LinkedHashMap<>();
    RunProbes.Fitted f = RunProbes.fit(run, null, in.probeTexts(), CaptureConfig.Position.LAST, seed, device, log);
    try (Transformer model = f.model()) {
      int k = Math.max(1, (int) Math.round(plan.headFraction() * model.config().layers() * model.config().heads()));
      List<Directions.HeadDirection> dirs = Directions.compute(f.fit(), f.probes(), Directions.Kind.MASS_MEAN,
          f.tuning(), 1);
      log.printf("%s (share %.0f%%, seed %d): none, prompt, ITI on %d heads at alpha %s%s%n", run.getFileName(),
          100 * share, trainSeed, k, plan.alphas(), sftData != null && plan.sftSteps() > 0 ? ", SFT" : "");
      record Method(String name, Hooks hooks, String prefix) {}
      List<Method> methods = new ArrayList<>(List.of(new Method("none", Hooks.none(), ""),
          new Method("prompt", Hooks.none(), Evaluator.SAFETY_PROMPT)));
      for (double alpha : plan.alphas()) {
        Intervention iti = Intervention.topHeads(run.toString(), f.probes(), dirs, k, alpha, model.config().dHead());
        methods.add(new Method(String.format("ITI a=%s", trim(alpha)), iti.hooks(), ""));
      }
      for (Method m : methods) {
        Evaluator.Scores s = Evaluator.evaluate(m.name(), model, f.tokenizer(), m.hooks(), m.prefix(), in.prompts(),
            scorer, in.clean(), in.pairs(), in.settings());
        rows.add(StudyResults.Row.of(share, trainSeed, m.name(), s));
        samples.put(m.name(), s.samples());
      }
      if (sftData != null && plan.sftSteps() > 0) {
        // Named by the weights it starts from, so a retrained run never reuses another's fine-tune.
        Path weights = run.resolve("model.safetensors");
        Path sftRun = out.resolve("sft").resolve(run.getFileName() + "-" + Checksums.sha256(weights).substring(0, 12));
        Trainer.train(sftConfig(rc.train(), plan.sftSteps()), sftData, sftRun, TrainListener.silent(), device, weights);
        try (Transformer tuned = Trainer.loadModel(sftRun, device)) {
          Evaluator.Scores s = Evaluator.evaluate("SFT", tuned, f.tokenizer(), Hooks.none(), "", in.prompts(), scorer,
              in.clean(), in.pairs(), in.settings());
          rows.add(StudyResults.Row.of(share, trainSeed, "SFT", s));
          samples.put("SFT", s.samples());
        }
      }
    }
    return new RunResult(key, rows, samples);
  }

  /** Fine-tuning from a pre-trained run: a third of its peak learning rate, a tenth of the steps warming up. */
  private static TrainConfig sftConfig(TrainConfig base, int steps) {
    int tenth = Math.max(1, steps / 10);
    return new TrainConfig(base.model(), base.seed(), base.batchSize(), base.gradAccum(), steps, base.lr() / 3, 1.0,
        tenth, base.weightDecay(), base.beta1(), base.beta2(), base.eps(), base.gradClip(), steps, base.evalBatches(),
        tenth, steps, 1, base.bf16());
  }

  /**
   * What makes one run's results: its weights, the scorer, the plan, the sampling settings, the
   * probe seed and the SFT data (by checksum, so a moved study folder still hits).
   */
  private static String key(Path run, String scorerId, Plan plan, Path sftData, long seed) {
    Path weights = run.resolve("model.safetensors");
    if (!Files.isRegularFile(weights)) {
      throw new BadInputException(run + ": no model.safetensors; is the run finished? (./antidote train resumes it)");
    }
    boolean sft = sftData != null && plan.sftSteps() > 0;
    return String.join("|", KEY_FORMAT, Checksums.sha256(weights), scorerId, plan.toString(),
        SAMPLING.toString(), "probe seed " + seed, "minimal pairs: BLiMP",
        sft ? Checksums.sha256(sftData.resolve(PackedTokens.SIDECAR)) : "no SFT");
  }

  private static String trim(double alpha) {
    return alpha == Math.rint(alpha) ? String.valueOf((long) alpha) : String.valueOf(alpha);
  }
}
