package org.antidote.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.antidote.corpus.Document;
import org.antidote.corpus.DocumentReader;
import org.antidote.io.AtomicFiles;
import org.antidote.io.Json;
import org.antidote.model.Transformer;
import org.antidote.probe.CaptureConfig;
import org.antidote.probe.ProbeResult;
import org.antidote.study.RunProbes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./antidote probe}: capture every head's activations and fit one probe per head. */
@Command(name = "probe", mixinStandardHelpOptions = true,
    description = {"Capture blocks.{l}.attn.hook_z at the last token of labelled texts (the bundled held-out",
        "set, or --labelled FILE such as ToxiGen CSV/JSONL), fit one logistic-regression probe per head,",
        "and write the accuracy table, heatmap and histogram into --out."})
final class ProbeCommand implements Callable<Integer> {

  @Option(names = {"--run", "--model"}, required = true, paramLabel = "DIR",
      description = "A finished training run folder (--run), or a Hugging Face model folder (--model).")
  Path run;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: RUN/probes).")
  Path out;

  @Option(names = "--labelled", paramLabel = "FILE", description = "Labelled texts of your own (default: the bundled held-out set).")
  Path labelled;

  @Option(names = "--per-class", defaultValue = "1000", description = "Bundled texts per class to fit on (default: ${DEFAULT-VALUE}).")
  int perClass;

  @Option(names = "--position", defaultValue = "last", description = "last (the paper's) or mean over tokens.")
  String position;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the 4:1 train/validation split (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin
  DeviceOption device = new DeviceOption();

  @Mixin
  DataCommand.ReadFlags read = new DataCommand.ReadFlags();

  @Override
  public Integer call() {
    RunProbes.Texts texts = labelled == null ? RunProbes.Texts.bundled(perClass) : labelledTexts();
    RunProbes.Fitted f = RunProbes.fit(run, out, texts, CaptureConfig.Position.parse(position), seed, device.device(),
        System.out);
    try (Transformer model = f.model()) {
      ProbeResult p = f.probes();
      System.out.println(p);
      System.out.println(p.table().first(10).print());
      Path dir = f.dir();
      AtomicFiles.writeString(dir.resolve("probe-accuracy.csv"), csv(p));
      Json.write(dir.resolve("probes.json"), new Summary(run.toString(), p.summary(), p.ranked()));
      p.heatmap().saveHtml(dir.resolve("probe-heatmap.html"));
      p.histogram().saveHtml(dir.resolve("probe-histogram.html"));
      System.out.println("wrote " + dir.resolve("probes.json") + ", probe-accuracy.csv and charts");
    }
    return 0;
  }

  /** What probes.json holds. */
  record Summary(String run, java.util.Map<String, Double> summary, List<ProbeResult.HeadScore> heads) {}

  /** The user's labelled file, for fitting and for tuning alike. */
  private RunProbes.Texts labelledTexts() {
    List<Document> all = new ArrayList<>();
    try (DocumentReader r = DocumentReader.open(labelled, read.options())) {
      r.forEachRemaining(all::add);
    }
    return new RunProbes.Texts(all, all);
  }

  private static String csv(ProbeResult p) {
    StringBuilder b = new StringBuilder("layer,head,accuracy,auc\n");
    for (ProbeResult.HeadScore h : p.ranked()) {
      b.append(h.layer()).append(',').append(h.head()).append(',').append(h.accuracy()).append(',').append(h.auc())
          .append('\n');
    }
    return b.toString();
  }
}
