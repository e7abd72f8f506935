package org.antidote.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.antidote.io.AtomicFiles;
import org.antidote.io.Json;
import org.antidote.model.Transformer;
import org.antidote.probe.CaptureConfig;
import org.antidote.probe.ProbeConfig;
import org.antidote.probe.ProbeResult;
import org.antidote.probe.SurfaceBaseline;
import org.antidote.study.RunProbes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./antidote probe}: capture every head's activations and fit one probe per head. */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = {
      "Capture blocks.{l}.attn.hook_z at the last token of labelled texts (a bundled set, ToxiGen's",
      "statements by default, or --labelled FILE), fit one logistic-regression probe per head, and write the",
      "accuracy table, heatmap and histogram into --out, with two surface baselines fitted on the same split."
    })
final class ProbeCommand implements Callable<Integer> {

  @Option(
      names = {"--run", "--model"},
      required = true,
      paramLabel = "DIR",
      description =
          "A finished training run folder (--run), or a Hugging Face model folder (--model).")
  Path run;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where to write (default: RUN/probes).")
  Path out;

  @Option(
      names = "--per-class",
      defaultValue = "1000",
      description = "Bundled texts per class to fit on, at most (default: ${DEFAULT-VALUE}).")
  int perClass;

  @Option(
      names = "--position",
      defaultValue = "last",
      description = "last (the paper's) or mean over tokens.")
  String position;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the 4:1 train/validation split (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin DeviceOption device = new DeviceOption();

  @Mixin LabelledFlags labelled = new LabelledFlags();

  @Override
  public Integer call() {
    RunProbes.Texts texts = labelled.fitAndTune(perClass, seed);
    RunProbes.Fitted f =
        RunProbes.fit(
            run,
            out,
            texts,
            CaptureConfig.Position.parse(position),
            seed,
            device.device(),
            System.out);
    try (Transformer model = f.model()) {
      ProbeResult p = f.probes();
      SurfaceBaseline surface =
          SurfaceBaseline.fit(texts.fit(), ProbeConfig.defaults().withSeed(seed));
      System.out.println(p);
      System.out.printf(
          Locale.ROOT,
          "majority rate of the validation texts: %.3f%s%n",
          surface.majorityRate(),
          surface.majorityRate() == 0.5
              ? " (balanced: accuracy is balanced accuracy)"
              : " (unbalanced: a head's accuracy must beat this, not 0.5; see the balanced accuracy of the baselines)");
      System.out.println(p.table().first(10).print());
      System.out.println(surface.table().print());
      Path dir = f.dir();
      AtomicFiles.writeString(dir.resolve("probe-accuracy.csv"), csv(p));
      Json.write(
          dir.resolve("probes.json"),
          new Summary(run.toString(), p.summary(), surface, p.ranked()));
      p.heatmap().saveHtml(dir.resolve("probe-heatmap.html"));
      p.histogram().saveHtml(dir.resolve("probe-histogram.html"));
      System.out.println("wrote " + dir.resolve("probes.json") + ", probe-accuracy.csv and charts");
    }
    return 0;
  }

  /** What probes.json holds. */
  record Summary(
      String run,
      Map<String, Double> summary,
      SurfaceBaseline surface,
      List<ProbeResult.HeadScore> heads) {}

  private static String csv(ProbeResult p) {
    StringBuilder b = new StringBuilder("layer,head,accuracy,auc\n");
    for (ProbeResult.HeadScore h : p.ranked()) {
      b.append(h.layer())
          .append(',')
          .append(h.head())
          .append(',')
          .append(h.accuracy())
          .append(',')
          .append(h.auc())
          .append('\n');
    }
    return b.toString();
  }
}
