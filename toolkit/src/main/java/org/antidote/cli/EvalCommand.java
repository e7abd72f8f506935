package org.antidote.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.antidote.eval.StudyResults;
import org.antidote.iti.Intervention;
import org.antidote.study.Evaluation;
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

  @Option(
      names = "--runs",
      arity = "1..*",
      paramLabel = "DIR",
      description = "Finished training runs.")
  List<Path> runs = new java.util.ArrayList<>();

  @Option(
      names = "--models",
      arity = "1..*",
      paramLabel = "DIR",
      description =
          "Hugging Face model folders (gpt2, gpt_neox, llama, olmo, olmo2), evaluated beside the runs.")
  List<Path> models = new java.util.ArrayList<>();

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where results.json goes.")
  Path out;

  @Option(
      names = "--scorer",
      defaultValue = "minilm",
      description = {
        "minilm (offline default), lexicon, perspective (needs",
        "PERSPECTIVE_API_KEY), or onnx=MODEL.onnx,tokenizer.json[,LABEL[,sigmoid|softmax]] for your own classifier."
      })
  String scorer;

  @Option(
      names = "--prompts",
      defaultValue = "100",
      description = "Bundled prompts per set (default: ${DEFAULT-VALUE}).")
  int prompts;

  @Option(
      names = "--samples",
      defaultValue = "2",
      description = "Continuations per prompt (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(
      names = "--k-fraction",
      defaultValue = "0.117",
      description = "Share of heads ITI shifts (the paper: 30 of 256; default: ${DEFAULT-VALUE}).")
  double kFraction;

  @Option(
      names = "--alpha",
      split = ",",
      defaultValue = "4,8,12",
      description = "ITI strengths (default: ${DEFAULT-VALUE}).")
  List<Double> alphas;

  @Option(
      names = "--sft-steps",
      defaultValue = "100",
      description = "Steps of SFT on the clean fit texts (default: ${DEFAULT-VALUE}; 0: none).")
  int sftSteps;

  @Option(
      names = "--dpo-steps",
      defaultValue = "100",
      description =
          "Steps of DPO, clean over toxic continuations (default: ${DEFAULT-VALUE}; 0: none).")
  int dpoSteps;

  @Option(
      names = "--positions",
      defaultValue = "generated",
      description =
          "Where ITI shifts while generating: generated (the last prompt token and each new one, as honest_llama) or all (default: ${DEFAULT-VALUE}).")
  String positions;

  @Option(
      names = "--random-draws",
      defaultValue = "3",
      description = "Random-direction controls per alpha (default: ${DEFAULT-VALUE}; 0: none).")
  int randomDraws;

  @Option(
      names = "--probe-texts",
      defaultValue = "1000",
      description =
          "Labelled texts per class the ITI probes are fitted on (default: ${DEFAULT-VALUE}).")
  int probeTexts;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the probes' train/validation split (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin DeviceOption device = new DeviceOption();

  @Override
  public Integer call() {
    Evaluation.Plan plan =
        new Evaluation.Plan(
            prompts,
            samples,
            100,
            300,
            probeTexts,
            kFraction,
            alphas,
            sftSteps,
            Intervention.Positions.parse(positions),
            randomDraws,
            dpoSteps,
            5);
    List<Path> all = new java.util.ArrayList<>(runs);
    all.addAll(models);
    if (all.isEmpty()) {
      throw new org.antidote.io.BadInputException(
          "give --runs DIR... and/or --models DIR... to evaluate");
    }
    List<StudyResults.Row> rows =
        Evaluation.rows(Evaluation.run(all, out, scorer, plan, seed, device.device(), System.out));
    System.out.println(StudyResults.table(rows).print());
    System.out.println(
        "wrote "
            + out.resolve("results.json")
            + "; ./antidote report "
            + out
            + " makes the HTML report");
    return 0;
  }
}
