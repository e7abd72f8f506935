package org.antidote.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.antidote.bench.GpuBench;
import org.antidote.bench.HfBench;
import org.antidote.bench.MemoryBench;
import org.antidote.bench.MixBench;
import org.antidote.bench.ProbeBench;
import org.antidote.bench.ScoreBench;
import org.antidote.bench.TokenizeBench;
import org.antidote.bench.TrainBench;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Corpus;
import org.antidote.corpus.DocumentStream;
import org.antidote.io.BadInputException;
import org.antidote.model.Devices;
import org.antidote.model.Preset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./antidote bench ...}: benchmarks that print a table. Never part of the test run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmarks: print a table of measured numbers, with the peer measured in the same run.",
    subcommands = {
      BenchCommand.Tokenize.class,
      BenchCommand.Mix.class,
      BenchCommand.Train.class,
      BenchCommand.Probe.class,
      BenchCommand.Generate.class,
      BenchCommand.Score.class,
      BenchCommand.Memory.class,
      BenchCommand.Gpu.class,
      BenchCommand.Hf.class
    })
final class BenchCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "tokenize",
      mixinStandardHelpOptions = true,
      description =
          "Encode throughput (MB/s) of our BPE against DJL's Hugging Face tokenizer (Rust), same vocabulary and text.")
  static final class Tokenize implements Callable<Integer> {
    @Option(
        names = "--vocab-size",
        defaultValue = "8192",
        description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(
        names = "--mb",
        defaultValue = "16",
        description = "Megabytes of bundled text to use (default: ${DEFAULT-VALUE}).")
    int megabytes;

    @Override
    public Integer call() {
      List<String> texts = bundledTexts(megabytes * 1_000_000L);
      TokenizeBench.Result r = TokenizeBench.run(texts, vocabSize, System.out);
      System.out.println(r.toTable());
      return 0;
    }
  }

  @Command(
      name = "mix",
      mixinStandardHelpOptions = true,
      description =
          "Mix and pack a large synthetic corpus in a child JVM limited to --heap; report time and peak heap.")
  static final class Mix implements Callable<Integer> {
    @Option(
        names = "--mb",
        defaultValue = "100",
        description = "Megabytes of text to mix (default: ${DEFAULT-VALUE}).")
    int megabytes;

    @Option(
        names = "--heap",
        defaultValue = "1g",
        description = "Heap limit of the child JVM (default: ${DEFAULT-VALUE}).")
    String heap;

    @Override
    public Integer call() throws Exception {
      System.out.println(MixBench.run(megabytes, heap, System.out));
      return 0;
    }
  }

  @Command(
      name = "train",
      mixinStandardHelpOptions = true,
      description = {
        "Training tokens/s, step time, peak memory and MFU of the tiny and small presets, against",
        "PyTorch 2.x eager and torch.compile (the launcher's environment) on the same model and batch;",
        "generation with and without KV cache."
      })
  static final class Train implements Callable<Integer> {
    @Option(
        names = "--steps",
        defaultValue = "40",
        description = "Timed steps per side (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
        names = "--batch-size",
        defaultValue = "16",
        description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
        names = "--presets",
        split = ",",
        defaultValue = "tiny,small",
        description = "Presets (default: ${DEFAULT-VALUE}).")
    List<String> presets;

    @Override
    public Integer call() throws Exception {
      if (steps < 1 || batch < 1) {
        throw new BadInputException(
            "--steps and --batch-size must be 1 or more, got " + steps + " and " + batch);
      }
      Path root = Path.of(System.getProperty("antidote.root", "."));
      System.out.println(
          TrainBench.run(
              presets.stream().map(Preset::parse).toList(), steps, batch, root, System.out));
      return 0;
    }
  }

  @Command(
      name = "gpu",
      mixinStandardHelpOptions = true,
      description = {
        "The GPU check (bench/gpu-check.sh runs it): gpt2-124m in the fastest half precision for --steps,",
        "tokens/s and MFU against --peak-tflops, then --compare-steps losses against float32 on the CPU.",
        "Exits 1 unless MFU >= 40 %."
      })
  static final class Gpu implements Callable<Integer> {
    @Option(
        names = "--device",
        defaultValue = "gpu",
        description = "gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(
        names = "--steps",
        defaultValue = "200",
        description = "Timed training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
        names = "--compare-steps",
        defaultValue = "20",
        description = "Steps compared with the CPU (default: ${DEFAULT-VALUE}).")
    int compareSteps;

    @Option(
        names = "--compare-batch",
        defaultValue = "2",
        description = "Micro-batch of the comparison (default: ${DEFAULT-VALUE}).")
    int compareBatch;

    @Option(
        names = "--peak-tflops",
        defaultValue = "989.4",
        description =
            "The GPU's dense half-precision peak (default: H100/H200 SXM, ${DEFAULT-VALUE}).")
    double peakTflops;

    @Option(
        names = "--out",
        defaultValue = "runs/gpu-check",
        description = "Where data, runs and gpu-check.json go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
      GpuBench.Result r =
          GpuBench.run(
              Devices.parse(device),
              steps,
              compareSteps,
              compareBatch,
              peakTflops,
              out,
              System.out);
      System.out.println(GpuBench.report(r));
      if (r.mfu() < 0.4) {
        System.out.printf("FAIL: MFU %.1f %% is below 40 %%%n", 100 * r.mfu());
        return 1;
      }
      System.out.println("PASS");
      return 0;
    }
  }

  @Command(
      name = "memory",
      mixinStandardHelpOptions = true,
      description =
          "The plan's activation estimate against resident memory measured on the CPU; checkpointing's saving.")
  static final class Memory implements Callable<Integer> {
    @Option(
        names = "--preset",
        defaultValue = "small",
        description = "Preset (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(
        names = "--batch-size",
        defaultValue = "16",
        description = "Sequences per micro-batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws Exception {
      System.out.println(MemoryBench.run(Preset.parse(preset), batch, System.out));
      return 0;
    }
  }

  @Command(
      name = "probe",
      mixinStandardHelpOptions = true,
      description =
          "Fitting every head of a 12 x 12 model on 9,000 activations vs scikit-learn head by head.")
  static final class Probe implements Callable<Integer> {
    @Option(
        names = "--texts",
        defaultValue = "9000",
        description = "Activations (default: ${DEFAULT-VALUE}).")
    int texts;

    @Override
    public Integer call() throws Exception {
      System.out.println(
          ProbeBench.probes(Path.of(System.getProperty("antidote.root", ".")), texts, System.out));
      return 0;
    }
  }

  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description =
          "Generation tokens/s with and without an intervention (tiny and small presets), against PyTorch with a KV cache.")
  static final class Generate implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      System.out.println(
          ProbeBench.generation(
              List.of(Preset.TINY, Preset.SMALL),
              Path.of(System.getProperty("antidote.root", ".")),
              System.out));
      return 0;
    }
  }

  @Command(
      name = "hf",
      mixinStandardHelpOptions = true,
      description = {
        "Load time, resident memory and forward tokens/s of a GPT-2-small-shaped Hugging Face checkpoint",
        "(random weights, made by transformers) against transformers on torch 2.13, same batch and threads."
      })
  static final class Hf implements Callable<Integer> {
    @Option(
        names = "--batch-size",
        defaultValue = "4",
        description = "Sequences per pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
        names = "--seq",
        defaultValue = "128",
        description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
    int seq;

    @Option(
        names = "--reps",
        defaultValue = "10",
        description = "Timed forward passes (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(
        names = "--threads",
        defaultValue = "2",
        description = "Threads of each side (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
      System.out.println(
          HfBench.run(
              Path.of(System.getProperty("antidote.root", ".")),
              batch,
              seq,
              reps,
              threads,
              System.out));
      return 0;
    }
  }

  @Command(
      name = "score",
      mixinStandardHelpOptions = true,
      description =
          "Texts per second of the toxicity scorers, and of the MiniLM encoder against Python ONNX Runtime.")
  static final class Score implements Callable<Integer> {
    @Option(
        names = "--texts",
        defaultValue = "2000",
        description = "Bundled texts to score (default: ${DEFAULT-VALUE}).")
    int texts;

    @Override
    public Integer call() throws Exception {
      System.out.println(
          ScoreBench.run(Path.of(System.getProperty("antidote.root", ".")), texts, System.out));
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
