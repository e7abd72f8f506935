package org.antidote.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.antidote.corpus.Document;
import org.antidote.io.AtomicFiles;
import org.antidote.io.Check;
import org.antidote.iti.Intervention;
import org.antidote.iti.ItiSweep;
import org.antidote.model.ModelConfig;
import org.antidote.model.Transformer;
import org.antidote.probe.CaptureConfig;
import org.antidote.probe.Directions;
import org.antidote.study.RunProbes;
import org.antidote.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./antidote iti}: sweep inference-time intervention over K heads and alpha. */
@Command(
    name = "iti",
    mixinStandardHelpOptions = true,
    description = {
      "Inference-time intervention on a trained run: probes (reused from ./antidote probe when",
      "present), a direction per head, then a grid over K (best heads) and alpha (sigmas), scored by the",
      "log-probability of held-out toxic and clean continuations. Saves the strongest intervention."
    })
final class ItiCommand implements Callable<Integer> {

  @Option(
      names = {"--run", "--model"},
      required = true,
      paramLabel = "DIR",
      description =
          "A finished training run folder (--run), or a Hugging Face model folder (--model).")
  Path run;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: RUN/iti).")
  Path out;

  @Option(
      names = "--k",
      split = ",",
      defaultValue = "1,4,8",
      description = "Numbers of heads (default: ${DEFAULT-VALUE}).")
  List<Integer> ks;

  @Option(
      names = "--alpha",
      split = ",",
      defaultValue = "0,2,4,8,12",
      description = "Strengths in sigmas (default: ${DEFAULT-VALUE}).")
  List<Double> alphas;

  @Option(
      names = "--direction",
      defaultValue = "mass-mean",
      description = "mass-mean, probe or random (default: ${DEFAULT-VALUE}).")
  String direction;

  @Option(
      names = "--per-class",
      defaultValue = "1000",
      description = "Bundled texts per class for the probes (default: ${DEFAULT-VALUE}).")
  int perClass;

  @Mixin LabelledFlags labelled = new LabelledFlags();

  @Option(
      names = "--test-texts",
      defaultValue = "300",
      description = "Held-out test texts per class to score (default: ${DEFAULT-VALUE}).")
  int testTexts;

  @Mixin DeviceOption device = new DeviceOption();

  @Option(
      names = "--positions",
      defaultValue = "generated",
      description =
          "Where to shift: generated (the last"
              + " prompt token and each generated one, as honest_llama) or all (every position, as a baked bias) (default:"
              + " ${DEFAULT-VALUE}).")
  String positions;

  @Option(
      names = "--random-draws",
      defaultValue = "3",
      description =
          "Random-direction controls per cell: the same"
              + " heads and sigmas, random unit directions (default: ${DEFAULT-VALUE}; 0: none).")
  int randomDraws;

  @Override
  public Integer call() {
    Intervention.Positions where = Intervention.Positions.parse(positions);
    Check.atLeast("--random-draws", randomDraws, 0);
    for (double a : alphas) {
      Check.input(
          a >= 0 && Double.isFinite(a), "--alpha values must be finite numbers >= 0, got " + a);
    }
    // Everything a user gave is checked before the probes capture anything into the run folder.
    Directions.Kind kind = Directions.Kind.parse(direction);
    ModelConfig shape = Trainer.readConfig(run).train().model();
    for (int k : ks) {
      Directions.checkK(k, shape.layers() * shape.heads());
    }
    Path dir = out != null ? out : run.resolve("iti");
    LabelledFlags.Split texts = labelled.threeWays(perClass, testTexts, 1);
    RunProbes.Fitted f =
        RunProbes.fit(
            run,
            null,
            texts.fitAndTune(),
            CaptureConfig.Position.LAST,
            1,
            device.device(),
            System.out);
    try (Transformer model = f.model()) {
      List<Directions.HeadDirection> dirs =
          Directions.compute(f.fit(), f.probes(), kind, f.tuning(), 1);
      List<Document> test = texts.test();
      ItiSweep.Result r =
          ItiSweep.run(
              f.model(),
              run.toString(),
              f.tokenizer(),
              f.probes(),
              dirs,
              ks,
              alphas,
              test.stream().filter(Document::isToxic).map(Document::text).toList(),
              test.stream().filter(d -> !d.isToxic()).map(Document::text).toList(),
              where,
              randomDraws,
              1);
      System.out.println(r.table().print());
      AtomicFiles.writeString(dir.resolve("iti-sweep.csv"), r.table().write().toString("csv"));
      r.chart().saveHtml(dir.resolve("iti-sweep.html"));
      Intervention strongest =
          Intervention.topHeads(
              run.toString(),
              f.probes(),
              dirs,
              ks.get(ks.size() - 1),
              alphas.get(alphas.size() - 1),
              f.model().config().dHead());
      strongest.save(dir.resolve("intervention"));
      System.out.println(
          "wrote "
              + dir.resolve("iti-sweep.csv")
              + ", the chart and "
              + dir.resolve("intervention"));
    }
    return 0;
  }
}
