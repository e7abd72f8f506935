package org.antidote.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.antidote.corpus.Balance;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Document;
import org.antidote.corpus.DocumentReader;
import org.antidote.corpus.HeldOut;
import org.antidote.study.RunProbes;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where a command's labelled texts come from: a bundled set ({@code --set}, ToxiGen's statements by
 * default) or the user's file ({@code --labelled}, read with the shared {@code --text-field /
 * --label-field / --toxic-label} flags), exactly balanced unless {@code --no-balance}.
 */
final class LabelledFlags {

  @Option(
      names = "--labelled",
      paramLabel = "FILE",
      description = "Labelled texts of your own (default: a bundled set, --set).")
  Path labelled;

  @Option(
      names = "--set",
      defaultValue = "toxigen",
      description = {
        "Bundled labelled set: toxigen (ToxiGen's statements, the paper's),",
        "davidson (Davidson's held-out tweets) or fortunes (default: ${DEFAULT-VALUE})."
      })
  String set;

  @Option(
      names = "--balance",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = {
        "Draw an exactly balanced subset of --labelled (seeded, stratified) and say how many texts it",
        "dropped (default); --no-balance keeps every text, and tables show the majority rate beside them."
      })
  boolean balance;

  @Mixin DataCommand.ReadFlags read = new DataCommand.ReadFlags();

  /** The user's file, balanced unless --no-balance (saying what it dropped). */
  List<Document> file(long seed) {
    List<Document> all = new ArrayList<>();
    try (DocumentReader r = DocumentReader.open(labelled, read.options())) {
      r.forEachRemaining(all::add);
    }
    if (!balance) {
      System.out.println(labelled + ": all " + all.size() + " texts, unbalanced (--no-balance)");
      return all;
    }
    Balance.Drawn drawn = Balance.exactly(all, 0, seed);
    System.out.println(labelled + ": " + drawn.describe() + " (--no-balance keeps them all)");
    return drawn.documents();
  }

  /**
   * Texts to fit probes on and to tune directions on: every text of a file, or a bundled set's
   * train and validation splits.
   */
  RunProbes.Texts fitAndTune(int perClass, long seed) {
    if (labelled == null) {
      return RunProbes.Texts.bundled(Corpora.LabelledSet.parse(set), perClass, seed);
    }
    List<Document> all = file(seed);
    return new RunProbes.Texts(all, all);
  }

  /**
   * Fit, tune and held-out test texts: a bundled set's three splits (from ToxiGen the two sides of
   * its group split, {@link Corpora.Bundled#testing}), or a file's texts split by the fixed hash of
   * {@link HeldOut#splitOf} (train and validation to fit and tune, test to score).
   */
  Split threeWays(int perClass, int testPerClass, long seed) {
    if (labelled == null) {
      Corpora.LabelledSet s = Corpora.LabelledSet.parse(set);
      return new Split(
          RunProbes.Texts.bundled(s, perClass, seed),
          Corpora.bundled().testing(s, testPerClass, seed));
    }
    List<Document> fit = new ArrayList<>();
    List<Document> test = new ArrayList<>();
    for (Document d : file(seed)) {
      (HeldOut.splitOf(d.text()) == HeldOut.Split.TEST ? test : fit).add(d);
    }
    return new Split(new RunProbes.Texts(fit, fit), test);
  }

  /** Texts to fit and tune on, and texts to test on. */
  record Split(RunProbes.Texts fitAndTune, List<Document> test) {}
}
