package org.antidote.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.antidote.bench.MixBench;
import org.antidote.bench.TokenizeBench;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Corpus;
import org.antidote.corpus.DocumentStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./antidote bench ...}: benchmarks that print a table. Never part of the test run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: print a table of measured numbers, with the peer measured in the same run.",
    subcommands = {BenchCommand.Tokenize.class, BenchCommand.Mix.class, BenchCommand.Train.class,
        BenchCommand.Probe.class, BenchCommand.Generate.class, BenchCommand.Score.class})
final class BenchCommand implements Runnable {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "tokenize", mixinStandardHelpOptions = true,
      description = "Encode throughput (MB/s) of our BPE against DJL's Hugging Face tokenizer (Rust), same vocabulary and text.")
  static final class Tokenize implements Callable<Integer> {
    @Option(names = "--vocab-size", defaultValue = "8192", description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(names = "--mb", defaultValue = "16", description = "Megabytes of bundled text to use (default: ${DEFAULT-VALUE}).")
    int megabytes;

    @Override
    public Integer call() {
      List<String> texts = bundledTexts(megabytes * 1_000_000L);
      TokenizeBench.Result r = TokenizeBench.run(texts, vocabSize, System.out);
      System.out.println(r.toTable());
      return 0;
    }
  }

  @Command(name = "mix", mixinStandardHelpOptions = true,
      description = "Mix and pack a large synthetic corpus in a child JVM limited to --heap; report time and peak heap.")
  static final class Mix implements Callable<Integer> {
    @Option(names = "--mb", defaultValue = "100", description = "Megabytes of text to mix (default: ${DEFAULT-VALUE}).")
    int megabytes;

    @Option(names = "--heap", defaultValue = "1g", description = "Heap limit of the child JVM (default: ${DEFAULT-VALUE}).")
    String heap;

    @Override
    public Integer call() throws Exception {
      System.out.println(MixBench.run(megabytes, heap, System.out));
      return 0;
    }
  }

  @Command(name = "train", mixinStandardHelpOptions = true,
      description = {"Training tokens/s, step time, peak memory and MFU of the tiny and small presets, against",
          "PyTorch 2.x eager and torch.compile (the launcher's environment) on the same model and batch;",
          "generation with and without KV cache."})
  static final class Train implements Callable<Integer> {
    @Option(names = "--steps", defaultValue = "40", description = "Timed steps per side (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch-size", defaultValue = "16", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--presets", split = ",", defaultValue = "tiny,small", description = "Presets (default: ${DEFAULT-VALUE}).")
    List<String> presets;

    @Override
    public Integer call() throws Exception {
      java.nio.file.Path root = java.nio.file.Path.of(System.getProperty("antidote.root", "."));
      System.out.println(org.antidote.bench.TrainBench.run(
          presets.stream().map(org.antidote.model.Preset::parse).toList(), steps, batch, root, System.out));
      return 0;
    }
  }

  @Command(name = "probe", mixinStandardHelpOptions = true,
      description = "Fitting every head of a 12 x 12 model on 9,000 activations vs scikit-learn head by head.")
  static final class Probe implements Callable<Integer> {
    @Option(names = "--texts", defaultValue = "9000", description = "Activations (default: ${DEFAULT-VALUE}).")
    int texts;

    @Override
    public Integer call() throws Exception {
      System.out.println(org.antidote.bench.ProbeBench.probes(
          java.nio.file.Path.of(System.getProperty("antidote.root", ".")), texts, System.out));
      return 0;
    }
  }

  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Generation tokens/s with and without an intervention (tiny and small presets), against PyTorch with a KV cache.")
  static final class Generate implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      System.out.println(org.antidote.bench.ProbeBench.generation(
          List.of(org.antidote.model.Preset.TINY, org.antidote.model.Preset.SMALL),
          java.nio.file.Path.of(System.getProperty("antidote.root", ".")), System.out));
      return 0;
    }
  }

  @Command(name = "score", mixinStandardHelpOptions = true,
      description = "Texts per second of the toxicity scorers, and of the MiniLM encoder against Python ONNX Runtime.")
  static final class Score implements Callable<Integer> {
    @Option(names = "--texts", defaultValue = "2000", description = "Bundled texts to score (default: ${DEFAULT-VALUE}).")
    int texts;

    @Override
    public Integer call() throws Exception {
      System.out.println(org.antidote.bench.ScoreBench.run(
          java.nio.file.Path.of(System.getProperty("antidote.root", ".")), texts, System.out));
      return 0;
    }
  }

  /** About {@code bytes} of bundled clean and toxic text, in corpus order. */
  static List<String> bundledTexts(long bytes) {
    Corpora.Bundled data = Corpora.bundled();
    List<Corpus> all = new ArrayList<>(data.clean());
    all.addAll(data.toxic());
    List<String> texts = new ArrayList<>();
    long total = 0;
    // Interleave sources so a small budget still sees every kind of text.
    List<DocumentStream> streams = all.stream().map(Corpus::open).toList();
    try {
      boolean any = true;
      while (total < bytes && any) {
        any = false;
        for (DocumentStream s : streams) {
          if (s.hasNext() && total < bytes) {
            String t = s.next().text();
            texts.add(t);
            total += t.length();
            any = true;
          }
        }
      }
    } finally {
      streams.forEach(DocumentStream::close);
    }
    return texts;
  }
}
