package org.antidote.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Corpus;
import org.antidote.mix.MixConfig;
import org.antidote.mix.MixManifest;
import org.antidote.mix.Mixer;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.PackedTokens;
import org.antidote.eval.Report;
import org.antidote.io.AtomicFiles;
import org.antidote.eval.StudyResults;
import org.antidote.probe.CaptureConfig;
import org.antidote.probe.ProbeResult;
import org.antidote.train.Sweep;
import org.antidote.train.TrainListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./antidote demo}: the main job on the bundled data. For now: fetch, train a tokenizer,
 * mix at the paper's toxic shares, pack token files, and print what each mixture holds. Later
 * stages (training, probes, ITI, evaluation) extend it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"The study on the bundled data: fetch, tokenizer, one mixture per toxic share",
        "(the paper's 0, 5, 10, 15, 20, 25 %), packed token files, one small model pre-trained per share,",
        "per-head probes of each, and summary tables. Resumable: finished steps are skipped, interrupted",
        "training resumes, captured activations are reused."})
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--out", defaultValue = "runs/demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--shares", split = ",", defaultValue = "0,0.05,0.10,0.15,0.20,0.25",
      description = "Toxic shares (default: ${DEFAULT-VALUE}).")
  List<Double> shares;

  @Option(names = "--vocab-size", defaultValue = "4096", description = "BPE vocabulary size (default: ${DEFAULT-VALUE}).")
  int vocabSize;

  @Option(names = "--seed", defaultValue = "1", description = "Mixing and training seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @picocli.CommandLine.Mixin
  TrainFlags train = new TrainFlags();

  @Option(names = "--scorer", defaultValue = "minilm", description = "Toxicity scorer: minilm, lexicon or perspective (default: ${DEFAULT-VALUE}).")
  String scorer;

  @Option(names = "--eval-prompts", defaultValue = "100", description = "Bundled prompts per set (default: ${DEFAULT-VALUE}).")
  int evalPrompts;

  @Option(names = "--no-train", description = "Stop after the mixtures (data only).")
  boolean noTrain;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    System.out.println("== 1. data: the bundled corpora");
    Corpora.Bundled data = Corpora.bundled();
    List<Corpus> clean = data.clean();
    List<Corpus> toxic = data.toxic();

    System.out.println("== 2. tokenizer: byte-level BPE on the pre-training pool");
    Files.createDirectories(out);
    Path tokFile = out.resolve("tokenizer.json");
    BpeTokenizer tok;
    if (Files.isRegularFile(tokFile)) {
      tok = BpeTokenizer.load(tokFile);
      System.out.println("reusing " + tokFile + " (" + tok.id() + ")");
    } else {
      List<Corpus> pool = new ArrayList<>(clean);
      pool.addAll(toxic);
      tok = DataCommand.trainTokenizer(pool, vocabSize);
      tok.save(tokFile);
    }

    System.out.println("== 3. mixtures: clean tokens fixed, toxic documents added to each share");
    List<MixManifest> manifests = new ArrayList<>();
    for (double share : shares) {
      Path dir = out.resolve(String.format("mix-%02d", Math.round(share * 100)));
      System.out.printf("-- toxic share %.0f%% -> %s%n", share * 100, dir);
      MixManifest m = Mixer.mix(clean, toxic, MixConfig.addToxic(share).withSeed(seed), DataCommand.counterOf(tok),
          dir, System.out);
      if (!Files.isRegularFile(dir.resolve(PackedTokens.SIDECAR))) {
        PackedTokens.packMixture(dir, tok, dir, System.out);
      }
      manifests.add(m);
    }

    System.out.println();
    System.out.println(summaryTable(manifests));

    if (!noTrain) {
      System.out.println();
      System.out.println("== 4. pre-training: one " + train.preset + " model per share (resumable)");
      List<Path> dirs = new ArrayList<>();
      for (double share : shares) {
        dirs.add(out.resolve(String.format("mix-%02d", Math.round(share * 100))));
      }
      List<Sweep.Row> rows = Sweep.run(dirs, List.of(seed), train.config(dirs.get(0), seed), out.resolve("runs"),
          TrainListener.console(), train.device());
      System.out.println();
      System.out.println(Sweep.table(rows));

      System.out.println();
      System.out.println("== 5. probes: one logistic probe per head, on held-out labelled texts");
      Map<String, ProbeResult> probes = new LinkedHashMap<>();
      for (Sweep.Row row : rows) {
        Path runDir = out.resolve("runs").resolve(row.run());
        ProbeCommand.Fitted f = ProbeCommand.fit(runDir, runDir.resolve("probes"), null, new DataCommand.ReadFlags(),
            1000, CaptureConfig.Position.LAST, seed, System.out);
        f.model().close();
        probes.put(String.format("%.0f%%", 100 * row.share()), f.probes());
      }
      System.out.println(probeTable(probes));
      ProbeResult.histograms(probes).saveHtml(out.resolve("head-accuracy.html"));

      System.out.println();
      System.out.println("== 6. evaluation: toxicity of continuations and capability, with and without detoxification");
      List<Path> runDirs = rows.stream().map(r -> out.resolve("runs").resolve(r.run())).toList();
      Path cleanData = out.resolve(String.format("mix-%02d", Math.round(shares.get(0) * 100)));
      List<StudyResults.Row> results = EvalCommand.evaluate(runDirs, out.resolve("eval"), EvalCommand.scorer(scorer),
          evalPrompts, 2, 0.117, List.of(4.0, 8.0, 12.0), shares.get(0) == 0 ? cleanData : null, 100, System.out);
      System.out.println(StudyResults.table(results).print());
      List<Report.Section> sections = new ArrayList<>(ReportCommand.sections(results));
      sections.add(new Report.Section("Head accuracy per share", "Validation accuracy of one probe per head"
          + " (balanced held-out texts, chance 0.5); tests against 0%:\n" + probeTable(probes), null,
          ProbeResult.histograms(probes)));
      System.out.println("wrote " + Report.write(out.resolve("report.html"), "Antidote demo: the study at CPU scale",
          sections));
      ReportCommand.savePngs(sections, out.resolve("figures"));
      AtomicFiles.writeString(out.resolve("results.md"), markdown(StudyResults.table(results)));
    }
    System.out.printf("done in %.0f s; mixtures and token files under %s%n", (System.nanoTime() - start) / 1e9, out);
    return 0;
  }

  /** A table as Markdown (for the README). */
  static String markdown(tech.tablesaw.api.Table t) {
    StringBuilder b = new StringBuilder("|");
    t.columns().forEach(c -> b.append(' ').append(c.name()).append(" |"));
    b.append("\n|");
    t.columns().forEach(c -> b.append("---|"));
    b.append('\n');
    for (int r = 0; r < t.rowCount(); r++) {
      b.append('|');
      for (var c : t.columns()) {
        b.append(' ').append(c.getString(r)).append(" |");
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** Mean, max and top-K mean head accuracy per share, with tests of each share against 0%. */
  static String probeTable(Map<String, ProbeResult> probes) {
    StringBuilder b = new StringBuilder(String.format("%7s %9s %9s %11s %9s %14s %14s%n", "share", "mean acc", "max acc",
        "top-10% acc", "mean AUC", "MWU p vs 0%", "perm p vs 0%"));
    ProbeResult base = probes.values().iterator().next();
    for (Map.Entry<String, ProbeResult> e : probes.entrySet()) {
      ProbeResult p = e.getValue();
      Map<String, Double> s = p.summary();
      List<org.antidote.probe.Stats.Test> tests = p.compareTo(base);
      b.append(String.format("%7s %9.3f %9.3f %11.3f %9.3f %14.4f %14.4f%n", e.getKey(), p.meanAccuracy(),
          p.maxAccuracy(), p.topKMean(Math.max(1, p.accuracy().length / 10)), s.get("mean AUC"),
          tests.get(0).pValue(), tests.get(1).pValue()));
    }
    return b.append("validation accuracy of each head's probe (balanced classes: chance is 0.5)").toString();
  }

  /** One row per share: target and achieved share, training tokens per source, toxic repetition. */
  static String summaryTable(List<MixManifest> manifests) {
    List<String> names = manifests.get(0).sources().stream().map(MixManifest.Source::name).toList();
    StringBuilder b = new StringBuilder();
    b.append(String.format("%7s %9s", "target", "achieved"));
    for (String n : names) {
      b.append(String.format(" %12s", abbreviate(n)));
    }
    b.append(String.format(" %12s %8s %9s%n", "train total", "toxic x", "val share"));
    for (MixManifest m : manifests) {
      b.append(String.format("%6.1f%% %8.2f%%", 100 * m.config().toxicShare(), 100 * m.train().achievedShare()));
      double toxicRepeat = 0;
      long toxicAvailable = 0;
      for (MixManifest.Source s : m.sources()) {
        b.append(String.format(" %,12d", s.selectedTokens()));
        if (s.role().equals("toxic")) {
          toxicRepeat += s.selectedTokens();
          toxicAvailable += s.tokens();
        }
      }
      b.append(String.format(" %,12d %7.2fx %8.2f%%%n", m.train().tokens(),
          toxicAvailable == 0 ? 0 : toxicRepeat / toxicAvailable, 100 * m.validation().achievedShare()));
    }
    b.append("tokens per source in the training part (").append(manifests.get(0).tokenizer())
        .append(" tokens, end-of-document tokens included); toxic x = upsampling of the toxic pool");
    return b.toString();
  }

  private static String abbreviate(String name) {
    return name.length() <= 12 ? name : name.substring(0, 12);
  }
}
