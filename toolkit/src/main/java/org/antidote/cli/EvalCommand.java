package org.antidote.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.antidote.eval.ResultsTable;
import org.antidote.eval.ScorerSpec;
import org.antidote.io.BadInputException;
import org.antidote.iti.Intervention;
import org.antidote.study.RunsEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./antidote eval}: toxicity and capability of trained runs, with and without
 * detoxification.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate runs as the paper does: sample continuations of held-out prompts and score their",
      "toxicity; cross-entropy, KL and minimal pairs for capability; methods: none, the safety prompt, ITI at",
      "the top K-fraction of heads for each alpha, and SFT on clean data. Writes OUT/results.json."
    })
final class EvalCommand implements Callable<Integer> {

  /** The plan's defaults: the fields start at them, and {@code --help} shows them. */
  private static final RunsEvaluation.Plan DEFAULTS = RunsEvaluation.Plan.builder().build();

  @Option(
      names = "--runs",
      arity = "1..*",
      paramLabel = "DIR",
      description = "Finished training runs.")
  List<Path> runs = new ArrayList<>();

  @Option(
      names = "--models",
      arity = "1..*",
      paramLabel = "DIR",
      description =
          "Hugging Face model folders (gpt2, gpt_neox, llama, olmo, olmo2), evaluated beside the runs.")
  List<Path> models = new ArrayList<>();

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where results.json goes.")
  Path out;

  @Option(
      names = "--scorer",
      description = {
        "minilm (offline default), lexicon, perspective (needs",
        "PERSPECTIVE_API_KEY), or onnx=MODEL.onnx,tokenizer.json[,LABEL[,sigmoid|softmax]] for your own classifier."
      })
  String scorer = ScorerSpec.DEFAULT.spec();

  @Option(names = "--prompts", description = "Bundled prompts per set (default: ${DEFAULT-VALUE}).")
  int prompts = DEFAULTS.promptsPerSet();

  @Option(
      names = "--samples",
      description = "Continuations per prompt (default: ${DEFAULT-VALUE}).")
  int samples = DEFAULTS.samplesPerPrompt();

  @Option(
      names = "--k-fraction",
      description = "Share of heads ITI shifts (the paper: 30 of 256; default: ${DEFAULT-VALUE}).")
  double kFraction = DEFAULTS.headFraction();

  @Option(
      names = "--alpha",
      split = ",",
      description = "ITI strengths (default: ${DEFAULT-VALUE}).")
  List<Double> alphas = DEFAULTS.alphas();

  @Option(
      names = "--sft-steps",
      description = "Steps of SFT on the clean fit texts (default: ${DEFAULT-VALUE}; 0: none).")
  int sftSteps = DEFAULTS.sftSteps();

  @Option(
      names = "--dpo-steps",
      description =
          "Steps of DPO, clean over toxic continuations (default: ${DEFAULT-VALUE}; 0: none).")
  int dpoSteps = DEFAULTS.dpoSteps();

  @Option(
      names = "--positions",
      description =
          "Where ITI shifts while generating: generated (the last prompt token and each new one, as honest_llama) or all (default: ${DEFAULT-VALUE}).")
  String positions = DEFAULTS.positions().name().toLowerCase(Locale.ROOT);

  @Option(
      names = "--random-draws",
      description = "Random-direction controls per alpha (default: ${DEFAULT-VALUE}; 0: none).")
  int randomDraws = DEFAULTS.randomDraws();

  @Option(
      names = "--probe-texts",
      description =
          "Labelled texts per class the ITI probes are fitted on (default: ${DEFAULT-VALUE}).")
  int probeTexts = DEFAULTS.probeTextsPerClass();

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the probes' train/validation split (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin DeviceOption device = new DeviceOption();

  @Override
  public Integer call() {
    RunsEvaluation.Plan plan = plan();
    ScorerSpec spec = ScorerSpec.parse(scorer);
    List<Path> all = new ArrayList<>(runs);
    all.addAll(models);
    if (all.isEmpty()) {
      throw new BadInputException("give --runs DIR... and/or --models DIR... to evaluate");
    }
    List<ResultsTable.Row> rows =
        RunsEvaluation.rows(
            RunsEvaluation.run(all, out, spec, plan, seed, device.device(), System.out));
    System.out.println(ResultsTable.table(rows).print());
    System.out.println(
        "wrote "
            + out.resolve("results.json")
            + "; ./antidote report "
            + out
            + " makes the HTML report");
    return 0;
  }

  /** The plan's defaults with the flags given. */
  RunsEvaluation.Plan plan() {
    return DEFAULTS.toBuilder()
        .promptsPerSet(prompts)
        .samplesPerPrompt(samples)
        .probeTextsPerClass(probeTexts)
        .headFraction(kFraction)
        .alphas(alphas)
        .sftSteps(sftSteps)
        .positions(Intervention.Positions.parse(positions))
        .randomDraws(randomDraws)
        .dpoSteps(dpoSteps)
        .build();
  }
}
