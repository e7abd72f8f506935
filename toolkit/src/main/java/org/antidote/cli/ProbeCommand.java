package org.antidote.cli;

import ai.djl.Device;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Document;
import org.antidote.corpus.DocumentReader;
import org.antidote.corpus.HeldOut;
import org.antidote.io.AtomicFiles;
import org.antidote.io.Json;
import org.antidote.model.Transformer;
import org.antidote.probe.Activations;
import org.antidote.probe.CaptureConfig;
import org.antidote.probe.ProbeConfig;
import org.antidote.probe.ProbeResult;
import org.antidote.probe.Probes;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.PackedTokens;
import org.antidote.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./antidote probe}: capture every head's activations and fit one probe per head. */
@Command(name = "probe", mixinStandardHelpOptions = true,
    description = {"Capture blocks.{l}.attn.hook_z at the last token of labelled texts (the bundled held-out",
        "set, or --labelled FILE such as ToxiGen CSV/JSONL), fit one logistic-regression probe per head,",
        "and write the accuracy table, heatmap and histogram into --out."})
final class ProbeCommand implements Callable<Integer> {

  @Option(names = "--run", required = true, paramLabel = "DIR", description = "A finished training run folder.")
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
  DataCommand.ReadFlags read = new DataCommand.ReadFlags();

  @Override
  public Integer call() {
    Fitted f = fit(run, out, labelled, read, perClass, CaptureConfig.Position.valueOf(position.toUpperCase()), seed,
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

  /** A run's model, tokenizer, fitted probes and activations. */
  record Fitted(Transformer model, BpeTokenizer tokenizer, Activations fit, Activations tuning, ProbeResult probes,
      Path dir) {}

  static Fitted fit(Path run, Path out, Path labelled, DataCommand.ReadFlags read, int perClass,
      CaptureConfig.Position position, long seed, PrintStream log) {
    Trainer.RunConfig rc = Trainer.readConfig(run);
    Path data = Path.of(rc.data().dir());
    BpeTokenizer tok = BpeTokenizer.load(data.resolve(PackedTokens.readSidecar(data).tokenizerFile()));
    Transformer model = Trainer.loadModel(run, Device.cpu());
    Path dir = out != null ? out : run.resolve("probes");
    List<Document> fitTexts;
    List<Document> tuneTexts;
    if (labelled != null) {
      List<Document> all = new ArrayList<>();
      try (DocumentReader r = DocumentReader.open(labelled, read.options())) {
        r.forEachRemaining(all::add);
      }
      fitTexts = all;
      tuneTexts = all;
    } else {
      Corpora.Bundled bundled = Corpora.bundled();
      fitTexts = bundled.balanced(HeldOut.Split.TRAIN, perClass);
      tuneTexts = bundled.balanced(HeldOut.Split.VALIDATION, Math.max(50, perClass / 2));
    }
    CaptureConfig capture = new CaptureConfig(position, 32, 128, 4096);
    Activations fit = Activations.capture(model, run.toString(), tok, fitTexts, capture, dir.resolve("activations-fit"), log);
    Activations tuning = Activations.capture(model, run.toString(), tok, tuneTexts, capture,
        dir.resolve("activations-tuning"), log);
    ProbeConfig pc = ProbeConfig.defaults().withSeed(seed);
    return new Fitted(model, tok, fit, tuning, Probes.fit(fit, pc), dir);
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
