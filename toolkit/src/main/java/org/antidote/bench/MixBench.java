package org.antidote.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Corpus;
import org.antidote.corpus.Document;
import org.antidote.corpus.DocumentStream;
import org.antidote.corpus.DocumentWriter;
import org.antidote.io.AtomicFiles;
import org.antidote.io.Json;
import org.antidote.mix.MixConfig;
import org.antidote.mix.MixManifest;
import org.antidote.mix.Mixer;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.BpeTrainerConfig;
import org.antidote.tokenize.PackedTokens;
import org.antidote.tokenize.TokenCounter;

/**
 * Memory benchmark of mixing and packing: builds a large corpus from the bundled text (each copy
 * tagged so no two documents are equal), then mixes it at 10% toxic and packs it in a child JVM
 * with a fixed heap limit, and reports time and peak heap. Passing at all proves the streaming
 * design: the corpus is larger than the heap.
 */
public final class MixBench {

  private MixBench() {}

  /** What the child measured. */
  public record Measure(
      long textBytes, double mixSeconds, double packSeconds, long tokens, long peakHeapBytes) {}

  /** Runs the benchmark and returns its table. */
  public static String run(int megabytes, String heap, PrintStream log)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("antidote-mixbench-");
    try {
      log.println("building a " + megabytes + " MB corpus in " + dir + " ...");
      Corpora.Bundled data = Corpora.bundled();
      long cleanBytes = megabytes * 1_000_000L * 9 / 10;
      long toxicBytes = megabytes * 1_000_000L - cleanBytes;
      long written =
          replicate(data.clean(), dir.resolve("clean.jsonl"), cleanBytes)
              + replicate(data.toxic(), dir.resolve("toxic.jsonl"), toxicBytes);
      List<String> sample = new ArrayList<>();
      try (DocumentStream s = Corpora.concat(data.clean())) {
        for (int i = 0; i < 3000 && s.hasNext(); i++) {
          sample.add(s.next().text());
        }
      }
      BpeTokenizer.train(sample.iterator(), BpeTrainerConfig.of(4096))
          .save(dir.resolve("tokenizer.json"));

      log.println("mixing and packing in a child JVM with -Xmx" + heap + " ...");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p =
          new ProcessBuilder(
                  java,
                  "-Xmx" + heap,
                  "-cp",
                  System.getProperty("java.class.path"),
                  MixBench.class.getName(),
                  dir.toString())
              .redirectErrorStream(true)
              .start();
      String last = null;
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          log.println("  | " + l);
          last = l;
        }
      }
      if (p.waitFor() != 0 || last == null || !last.startsWith("{")) {
        return "the child JVM failed (exit " + p.exitValue() + "): see its output above";
      }
      Measure m = Json.MAPPER.readValue(last, Measure.class);
      return String.format(
          """
          bench mix  (%s, %s, %d cores, child heap limit -Xmx%s)
          | text in   | mix     | pack    | tokens      | peak heap      |
          |-----------|---------|---------|-------------|----------------|
          | %6.1f MB | %5.1f s | %5.1f s | %,11d | %8.0f MB      |
          goal: mixing and packing 100 MB of text under 1 GB of heap%s""",
          System.getProperty("java.vm.name"),
          System.getProperty("java.version"),
          Runtime.getRuntime().availableProcessors(),
          heap,
          written / 1e6,
          m.mixSeconds(),
          m.packSeconds(),
          m.tokens(),
          m.peakHeapBytes() / 1e6,
          m.peakHeapBytes() < 1_000_000_000L ? " (met)" : " (MISSED)");
    } finally {
      AtomicFiles.deleteTree(dir);
    }
  }

  /** Copies documents round and round until {@code bytes} are written, tagging each copy. */
  private static long replicate(List<Corpus> corpora, Path out, long bytes) {
    long written = 0;
    try (DocumentWriter w = DocumentWriter.create(out)) {
      for (int copy = 0; written < bytes; copy++) {
        try (DocumentStream s = Corpora.concat(corpora)) {
          while (s.hasNext() && written < bytes) {
            Document d = s.next();
            String text = copy == 0 ? d.text() : d.text() + " (" + copy + ")";
            w.write(new Document(text, d.source(), d.label(), d.category()));
            written += text.length();
          }
        }
      }
      w.commit();
    }
    return written;
  }

  /** The child: mix and pack, then print one JSON line of measurements. */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    BpeTokenizer tok = BpeTokenizer.load(dir.resolve("tokenizer.json"));
    long t0 = System.nanoTime();
    MixManifest m =
        Mixer.mix(
            List.of(Corpus.file(dir.resolve("clean.jsonl"))),
            List.of(Corpus.file(dir.resolve("toxic.jsonl"))),
            MixConfig.addToxic(0.10),
            new TokenCounter(tok.id(), tok::countTokens),
            dir.resolve("mix"),
            System.out);
    long t1 = System.nanoTime();
    PackedTokens.Sidecar s = Mixer.pack(dir.resolve("mix"), tok, dir.resolve("mix"), System.out);
    long t2 = System.nanoTime();
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    long tokens = s.splits().values().stream().mapToLong(PackedTokens.SplitFile::tokens).sum();
    long textBytes = m.train().tokens();
    System.out.println(
        Json.line(new Measure(textBytes, (t1 - t0) / 1e9, (t2 - t1) / 1e9, tokens, peak)));
  }
}
