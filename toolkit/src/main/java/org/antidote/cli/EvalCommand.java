package org.antidote.cli;

import ai.djl.Device;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.DocumentStream;
import org.antidote.eval.Evaluator;
import org.antidote.eval.LexiconScorer;
import org.antidote.eval.MiniLmScorer;
import org.antidote.eval.MinimalPair;
import org.antidote.eval.MinimalPairs;
import org.antidote.eval.OnnxClassifierScorer;
import org.antidote.eval.PerspectiveScorer;
import org.antidote.eval.Prompts;
import org.antidote.eval.StudyResults;
import org.antidote.eval.ToxicityScorer;
import org.antidote.io.Json;
import org.antidote.iti.Intervention;
import org.antidote.mix.Mixer;
import org.antidote.model.Hooks;
import org.antidote.model.Transformer;
import org.antidote.probe.CaptureConfig;
import org.antidote.probe.Directions;
import org.antidote.train.TrainConfig;
import org.antidote.train.TrainListener;
import org.antidote.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./antidote eval}: toxicity and capability of trained runs, with and without detoxification. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Evaluate runs as the paper does: sample continuations of held-out prompts and score their",
        "toxicity; cross-entropy, KL and minimal pairs for capability; methods: none, the safety prompt, ITI at",
        "the top K-fraction of heads for each alpha, and SFT on clean data. Writes OUT/results.json."})
final class EvalCommand implements Callable<Integer> {

  @Option(names = "--runs", required = true, arity = "1..*", paramLabel = "DIR", description = "Finished training runs.")
  List<Path> runs;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where results.json goes.")
  Path out;

  @Option(names = "--scorer", defaultValue = "minilm", description = {"minilm (offline default), lexicon, perspective (needs",
      "PERSPECTIVE_API_KEY), or onnx=MODEL.onnx,tokenizer.json[,LABEL[,sigmoid|softmax]] for your own classifier."})
  String scorer;

  @Option(names = "--prompts", defaultValue = "100", description = "Bundled prompts per set (default: ${DEFAULT-VALUE}).")
  int prompts;

  @Option(names = "--samples", defaultValue = "2", description = "Continuations per prompt (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--k-fraction", defaultValue = "0.117", description = "Share of heads ITI shifts (the paper: 30 of 256; default: ${DEFAULT-VALUE}).")
  double kFraction;

  @Option(names = "--alpha", split = ",", defaultValue = "4,8,12", description = "ITI strengths (default: ${DEFAULT-VALUE}).")
  List<Double> alphas;

  @Option(names = "--sft-data", paramLabel = "DIR", description = "Packed clean data for the SFT baseline (skipped if absent).")
  Path sftData;

  @Option(names = "--sft-steps", defaultValue = "100", description = "SFT steps (default: ${DEFAULT-VALUE}).")
  int sftSteps;

  @Override
  public Integer call() {
    List<StudyResults.Row> rows = evaluate(runs, out, scorer(scorer), prompts, samples, kFraction, alphas, sftData,
        sftSteps, System.out);
    System.out.println(StudyResults.table(rows).print());
    System.out.println("wrote " + out.resolve("results.json") + "; ./antidote report " + out + " makes the HTML report");
    return 0;
  }

  static ToxicityScorer scorer(String name) {
    if (name.startsWith("onnx=")) {
      String[] p = name.substring("onnx=".length()).split(",");
      if (p.length < 2) {
        throw new IllegalArgumentException("--scorer onnx=MODEL.onnx,tokenizer.json[,LABEL[,sigmoid|softmax]], got " + name);
      }
      return new OnnxClassifierScorer(new OnnxClassifierScorer.Config(Path.of(p[0]), Path.of(p[1]),
          p.length > 2 ? Integer.parseInt(p[2]) : 1, p.length > 3 ? OnnxClassifierScorer.Link.parse(p[3])
              : OnnxClassifierScorer.Link.SIGMOID, 512));
    }
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "minilm" -> MiniLmScorer.bundled();
      case "lexicon" -> LexiconScorer.bundled();
      case "perspective" -> PerspectiveScorer.fromEnvironment(PerspectiveScorer.Config.defaults());
      default -> throw new IllegalArgumentException("--scorer must be minilm, lexicon, perspective or onnx=..., got "
          + name);
    };
  }

  /** Evaluates every run with every method; results are also written to OUT/results.json. */
  static List<StudyResults.Row> evaluate(List<Path> runs, Path out, ToxicityScorer scorer, int perSet, int samples,
      double kFraction, List<Double> alphas, Path sftData, int sftSteps, PrintStream log) {
    Corpora.Bundled data = Corpora.bundled();
    List<Prompts.Prompt> prompts = Prompts.bundled(data, perSet);
    List<String> clean = new ArrayList<>();
    try (DocumentStream s = Corpora.concat(List.of(data.sourceHeldOut("sotu"), data.sourceHeldOut("moby-dick")))) {
      while (s.hasNext() && clean.size() < 100) {
        clean.add(s.next().text());
      }
    }
    List<MinimalPair> pairs = MinimalPairs.fromLanguageTool().sample(300, 1);
    Evaluator.Settings settings = new Evaluator.Settings(samples, 20, 1.0, 0.9, 1, 128);
    List<StudyResults.Row> rows = new ArrayList<>();
    for (Path run : runs) {
      Trainer.RunConfig rc = Trainer.readConfig(run);
      Path mix = Path.of(rc.data().dir());
      double share = Files.isRegularFile(mix.resolve("manifest.json")) ? Mixer.read(mix).config().toxicShare() : Double.NaN;
      long seed = rc.train().seed();
      ProbeCommand.Fitted f = ProbeCommand.fit(run, run.resolve("probes"), null, new DataCommand.ReadFlags(), 1000,
          CaptureConfig.Position.LAST, 1, log);
      try (Transformer model = f.model()) {
        int heads = model.config().layers() * model.config().heads();
        int k = Math.max(1, (int) Math.round(kFraction * heads));
        List<Directions.HeadDirection> dirs = Directions.compute(f.fit(), f.probes(), Directions.Kind.MASS_MEAN,
            f.tuning(), 1);
        log.printf("%s (share %.0f%%, seed %d): none, prompt, ITI K=%d at %s%s%n", run.getFileName(), 100 * share, seed, k,
            alphas, sftData != null ? ", SFT" : "");
        rows.add(StudyResults.Row.of(share, seed, "none", Evaluator.evaluate("none", model, f.tokenizer(), Hooks.none(),
            "", prompts, scorer, clean, pairs, settings)));
        rows.add(StudyResults.Row.of(share, seed, "prompt", Evaluator.evaluate("prompt", model, f.tokenizer(),
            Hooks.none(), Evaluator.SAFETY_PROMPT, prompts, scorer, clean, pairs, settings)));
        for (double alpha : alphas) {
          Intervention iti = Intervention.topHeads(run.toString(), f.probes(), dirs, k, alpha, model.config().dHead());
          String method = String.format("ITI a=%.0f", alpha);
          rows.add(StudyResults.Row.of(share, seed, method, Evaluator.evaluate(method, model, f.tokenizer(),
              iti.hooks(), "", prompts, scorer, clean, pairs, settings)));
        }
        if (sftData != null) {
          Path sftRun = out.resolve("sft").resolve(run.getFileName());
          TrainConfig base = rc.train();
          TrainConfig sft = new TrainConfig(base.model(), base.seed(), base.batchSize(), base.gradAccum(), sftSteps,
              base.lr() / 3, 1.0, Math.max(1, sftSteps / 10), base.weightDecay(), base.beta1(), base.beta2(), base.eps(),
              base.gradClip(), sftSteps, base.evalBatches(), Math.max(1, sftSteps / 10), sftSteps, 1, base.bf16());
          Trainer.train(sft, sftData, sftRun, TrainListener.silent(), Device.cpu(), run.resolve("model.safetensors"));
          try (Transformer tuned = Trainer.loadModel(sftRun, Device.cpu())) {
            rows.add(StudyResults.Row.of(share, seed, "SFT", Evaluator.evaluate("SFT", tuned, f.tokenizer(),
                Hooks.none(), "", prompts, scorer, clean, pairs, settings)));
          }
        }
      }
      Json.write(out.resolve("results.json"), rows);
    }
    return rows;
  }
}
