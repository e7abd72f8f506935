package org.antidote.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.antidote.io.AtomicFiles;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.BpeTrainerConfig;

/**
 * Trains our BPE on some texts, then compares its encoding speed with Hugging Face's Rust tokenizer
 * (through DJL) loaded from the tokenizer.json we saved: same texts, same vocabulary, one thread
 * each, one text per call. Also checks that both give the same number of tokens for every text.
 *
 * <pre>java -Dai.djl.offline=true -cp ... org.antidote.bench.TokenizeBench [--vocab 8192] FILE...
 * </pre>
 */
public final class TokenizeBench {

  private static final int WARMUP_PASSES = 1;
  private static final int TIMED_PASSES = 5;

  private TokenizeBench() {}

  /**
   * What one run measured.
   *
   * @param bytes UTF-8 bytes of all the texts; throughputs are these bytes per second
   * @param ratio oursMBps / rustMBps
   * @param tokenMismatches texts on which the two tokenizers gave different token counts
   */
  public record Result(
      int vocabSize,
      long bytes,
      double trainSeconds,
      double oursMBps,
      double rustMBps,
      double ratio,
      long tokenMismatches) {

    /** A small aligned table, headed by the machine it ran on. */
    public String toTable() {
      StringBuilder out = new StringBuilder();
      out.append(
          String.format(
              Locale.ROOT,
              "Tokenizer benchmark: Java %s, %s (%d cores)%n",
              System.getProperty("java.version"),
              cpuModel(),
              Runtime.getRuntime().availableProcessors()));
      out.append("Compared: BpeTokenizer.encode(String) vs DJL HuggingFaceTokenizer.encode(String)")
          .append(" (Rust),\n  one text per call, one thread each, addSpecialTokens=false,")
          .append(" no truncation;\n  median of ")
          .append(TIMED_PASSES)
          .append(" passes after ")
          .append(WARMUP_PASSES)
          .append(" warm-up; MB = 10^6 UTF-8 bytes of input\n");
      row(out, "vocabulary size", String.valueOf(vocabSize));
      row(out, "input", String.format(Locale.ROOT, "%.1f MB", bytes / 1e6));
      row(out, "train (ours)", String.format(Locale.ROOT, "%.2f s", trainSeconds));
      row(out, "encode, ours", String.format(Locale.ROOT, "%.1f MB/s", oursMBps));
      row(out, "encode, Rust via DJL", String.format(Locale.ROOT, "%.1f MB/s", rustMBps));
      row(out, "ours / Rust", String.format(Locale.ROOT, "%.2fx", ratio));
      row(out, "token count mismatches", String.valueOf(tokenMismatches));
      return out.toString();
    }

    private static void row(StringBuilder out, String name, String value) {
      out.append(String.format(Locale.ROOT, "  %-24s %12s%n", name, value));
    }
  }

  /** Runs the benchmark on {@code texts}, logging progress to {@code log}. */
  public static Result run(List<String> texts, int vocabSize, PrintStream log) {
    long bytes = texts.stream().mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length).sum();
    log.printf(
        Locale.ROOT,
        "%d texts, %.1f MB; training a %d-token vocabulary%n",
        texts.size(),
        bytes / 1e6,
        vocabSize);
    long start = System.nanoTime();
    BpeTokenizer ours = BpeTokenizer.train(texts.iterator(), BpeTrainerConfig.of(vocabSize));
    double trainSeconds = (System.nanoTime() - start) / 1e9;
    log.printf(Locale.ROOT, "trained %s in %.2f s%n", ours, trainSeconds);

    Path dir = null;
    try {
      dir = Files.createTempDirectory("tokenize-bench");
      Path file = dir.resolve("tokenizer.json");
      ours.save(file);
      try (HuggingFaceTokenizer rust =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(file)
              .optAddSpecialTokens(false)
              .optTruncation(false) // DJL otherwise cuts every text to 512 tokens
              .build()) {
        long mismatches = 0;
        for (String text : texts) {
          if (ours.countTokens(text) != rust.encode(text).getIds().length) {
            mismatches++;
          }
        }
        log.printf("token counts differ on %d of %d texts%n", mismatches, texts.size());
        double oursMBps = throughput("ours", texts, bytes, t -> ours.encode(t).length, log);
        double rustMBps =
            throughput(
                "Rust via DJL encode()", texts, bytes, t -> rust.encode(t).getIds().length, log);
        // Not in the table: the Rust encoder with as little Java around it as DJL allows (one
        // native encode, fetch the ids, free), to show how much is DJL's wrapper.
        long handle = rust.getHandle();
        throughput(
            "Rust via raw JNI, ids only",
            texts,
            bytes,
            t -> {
              long encoding = TokenizersLibrary.LIB.encode(handle, t, false);
              int n = TokenizersLibrary.LIB.getTokenIds(encoding).length;
              TokenizersLibrary.LIB.deleteEncoding(encoding);
              return n;
            },
            log);
        return new Result(
            ours.vocabSize(),
            bytes,
            trainSeconds,
            oursMBps,
            rustMBps,
            oursMBps / rustMBps,
            mismatches);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("benchmark could not save or load its tokenizer", e);
    } finally {
      if (dir != null) {
        AtomicFiles.deleteQuietly(dir.resolve("tokenizer.json"));
        AtomicFiles.deleteQuietly(dir);
      }
    }
  }

  /**
   * Median MB/s of {@code encoder} over all texts. Also logs CPU time over wall time: about 1.0
   * confirms the encoder ran on one thread (garbage collection adds a little).
   */
  private static double throughput(
      String name,
      List<String> texts,
      long bytes,
      ToLongFunction<String> encoder,
      PrintStream log) {
    double[] mbps = new double[TIMED_PASSES];
    long tokens = 0;
    for (int pass = -WARMUP_PASSES; pass < TIMED_PASSES; pass++) {
      long cpu = processCpuNanos();
      long start = System.nanoTime();
      tokens = 0;
      for (String text : texts) {
        tokens += encoder.applyAsLong(text);
      }
      long wall = System.nanoTime() - start;
      if (pass >= 0) {
        mbps[pass] = bytes / 1e6 / (wall / 1e9);
        log.printf(
            Locale.ROOT,
            "  %-28s pass %d: %7.2f MB/s, cpu/wall %.2f%n",
            name,
            pass + 1,
            mbps[pass],
            (processCpuNanos() - cpu) / (double) wall);
      }
    }
    Arrays.sort(mbps);
    double median = mbps[TIMED_PASSES / 2];
    log.printf(Locale.ROOT, "%s: median %.2f MB/s, %d tokens per pass%n", name, median, tokens);
    return median;
  }

  /** CPU time of the whole process, or 0 where the JVM cannot tell. */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }

  /** Usage: {@code [--vocab N] FILE...}; each file is cut into ~4 KB documents at blank lines. */
  public static void main(String[] args) throws IOException {
    int vocab = 8192;
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--vocab") && i + 1 < args.length) {
        vocab = Integer.parseInt(args[++i]);
      } else {
        texts.addAll(documents(Files.readString(Path.of(args[i])), 4000));
      }
    }
    if (texts.isEmpty()) {
      System.err.println("usage: TokenizeBench [--vocab N] FILE...  (plain UTF-8 text files)");
      System.exit(2);
    }
    System.out.print(run(texts, vocab, System.err).toTable());
  }

  /** Cuts {@code text} into pieces of at least {@code size} chars, ending at a blank line. */
  static List<String> documents(String text, int size) {
    List<String> documents = new ArrayList<>();
    for (int start = 0; start < text.length(); ) {
      int end = text.indexOf("\n\n", Math.min(text.length(), start + size));
      end = end < 0 ? text.length() : end + 2;
      documents.add(text.substring(start, end));
      start = end;
    }
    return documents;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // Not Linux, or not readable: fall through.
    }
    return System.getProperty("os.arch") + " CPU";
  }
}
