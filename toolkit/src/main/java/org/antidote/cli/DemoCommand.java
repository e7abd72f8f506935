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
import org.antidote.io.Checksums;
import org.antidote.mix.MixConfig;
import org.antidote.mix.MixManifest;
import org.antidote.mix.Mixer;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.PackedTokens;
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
        "and summary tables. Resumable: finished steps are skipped, interrupted training resumes."})
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
        Map<String, Path> splits = new LinkedHashMap<>();
        splits.put("train", dir.resolve("documents.jsonl"));
        splits.put("validation", dir.resolve("validation.jsonl"));
        PackedTokens.pack(splits, tok, dir, Checksums.sha256(dir.resolve("manifest.json")), System.out);
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
    }
    System.out.printf("done in %.0f s; mixtures and token files under %s%n", (System.nanoTime() - start) / 1e9, out);
    return 0;
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
