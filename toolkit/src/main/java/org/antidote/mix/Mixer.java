package org.antidote.mix;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.antidote.corpus.Corpus;
import org.antidote.corpus.Document;
import org.antidote.corpus.DocumentStream;
import org.antidote.corpus.DocumentWriter;
import org.antidote.corpus.HeldOut;
import org.antidote.io.AtomicFiles;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.io.Checksums;
import org.antidote.io.Json;
import org.antidote.io.Versions;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.PackedTokens;
import org.antidote.tokenize.TokenCounter;

/**
 * Makes a mixture folder: {@code documents.jsonl} (training documents in a seeded random order),
 * {@code validation.jsonl}, and {@code manifest.json}.
 *
 * <p>Two streaming passes keep memory at a few bytes per document whatever the corpus size. Pass 1
 * counts each document's tokens and decides how often it is used (0, 1, or more when the toxic pool
 * must be upsampled). Pass 2 writes the chosen documents into temporary buckets at random; each
 * bucket is then shuffled in memory and appended to the output. Validation documents are chosen by
 * a hash of their text, and the validation part's selection does not depend on the seed, so
 * mixtures of the same corpora and share validate on the same texts whatever their seed.
 */
public final class Mixer {

  /** Text per shuffle bucket: small enough to shuffle in memory, large enough to mix well. */
  private static final long BUCKET_CHARS = 32L << 20;

  /** Fixed seed of the validation selection (see {@link #mix}). */
  private static final long VALIDATION_SEED = 20250507;

  private Mixer() {}

  /**
   * Mixes {@code clean} and {@code toxic} corpora into {@code outDir}. If the folder already holds
   * the same mixture it is returned as is; if it holds a different one, or other files, this fails
   * without touching it.
   */
  public static MixManifest mix(
      List<Corpus> clean,
      List<Corpus> toxic,
      MixConfig config,
      TokenCounter counter,
      Path outDir,
      PrintStream log) {
    Check.input(
        !clean.isEmpty(), "no clean corpus given; a mixture needs at least one (--clean PATH)");
    Check.input(
        !toxic.isEmpty() || config.toxicShare() == 0,
        "toxic share " + config.toxicShare() + " needs at least one toxic corpus (--toxic PATH)");
    List<Corpus> all = new ArrayList<>(clean);
    all.addAll(toxic);

    List<MixManifest.Source> sourcesIn = new ArrayList<>();
    for (int c = 0; c < all.size(); c++) {
      Corpus corpus = all.get(c);
      sourcesIn.add(
          new MixManifest.Source(
              corpus.name(),
              c < clean.size() ? "clean" : "toxic",
              corpus.file().toString(),
              corpus.view(),
              corpus.sha256(),
              0,
              0,
              0,
              0,
              0));
    }
    MixManifest existing = existingManifest(outDir);
    if (existing != null) {
      MixManifest probe =
          new MixManifest(
              MixManifest.FORMAT,
              config,
              counter.id(),
              sourcesIn,
              null,
              null,
              List.of(),
              Versions.all());
      if (existing.sameRecipe(probe)) {
        log.println(outDir + " already holds this mixture; nothing to do");
        return existing;
      }
      throw new BadInputException(
          outDir
              + " already holds a different mixture ("
              + existing.config()
              + ", tokenizer "
              + existing.tokenizer()
              + "); choose another --out or delete that folder");
    }

    // Pass 1: what is there (after the check above, so reusing a mixture costs no tokenizing).
    log.println("counting tokens (" + counter.id() + ") in " + all.size() + " corpora ...");
    Pool pool = Pool.count(all, clean.size(), counter, config.validationFraction());

    // Decide how often each document is used.
    List<String> warnings = new ArrayList<>();
    Random rng = new Random(config.seed());
    int[] uses = new int[pool.size()];
    for (boolean validation : new boolean[] {false, true}) {
      long cleanTokens = pool.tokens(false, validation);
      long toxicTokens = pool.tokens(true, validation);
      long cleanTarget;
      long toxicTarget;
      if (config.protocol() == Protocol.ADD_TOXIC) {
        cleanTarget = cleanTokens;
        toxicTarget = Math.round(config.toxicShare() / (1 - config.toxicShare()) * cleanTokens);
      } else {
        long budget =
            config.totalTokens() > 0
                ? Math.round(
                    config.totalTokens()
                        * (validation
                            ? config.validationFraction() / (1 - config.validationFraction())
                            : 1))
                : cleanTokens;
        cleanTarget = Math.round((1 - config.toxicShare()) * budget);
        toxicTarget = Math.round(config.toxicShare() * budget);
      }
      String part = validation ? "validation" : "training";
      if (toxicTarget > 0 && toxicTokens == 0) {
        if (!validation) {
          throw new BadInputException(
              "the toxic corpora have no "
                  + part
                  + " documents to reach share "
                  + config.toxicShare());
        }
        warnings.add(
            "the toxic corpora are too small to give validation documents"
                + " (validation fraction "
                + config.validationFraction()
                + "); validation is clean only");
        toxicTarget = 0;
      }
      if (toxicTarget > toxicTokens) {
        warnings.add(
            String.format(
                "%s: toxic pool (%d tokens) is smaller than the %d tokens share %.3f needs;"
                    + " toxic documents are upsampled %.2fx",
                part,
                toxicTokens,
                toxicTarget,
                config.toxicShare(),
                (double) toxicTarget / toxicTokens));
      }
      if (cleanTarget > cleanTokens) {
        warnings.add(
            String.format(
                "%s: clean pool (%d tokens) is smaller than the %d tokens asked for;"
                    + " clean documents are upsampled %.2fx",
                part, cleanTokens, cleanTarget, (double) cleanTarget / cleanTokens));
      }
      // Validation ignores the seed, so runs with different seeds validate on the same texts.
      Random pick = validation ? new Random(VALIDATION_SEED) : rng;
      pool.select(false, validation, cleanTarget, pick, uses);
      pool.select(true, validation, toxicTarget, pick, uses);
    }
    warnings.forEach(w -> log.println("warning: " + w));

    // Pass 2: write. A failure (a full disk) removes the folder this call made, so a refused or
    // failed mix leaves the file system as it found it.
    boolean created = !Files.exists(outDir);
    try {
      try {
        Files.createDirectories(outDir);
      } catch (IOException e) {
        throw new UncheckedIOException("could not create " + outDir, e);
      }
      long[] selectedDocs = new long[all.size()];
      long[] selectedTokens = new long[all.size()];
      long[] availableDocs = new long[all.size()];
      long[] availableTokens = new long[all.size()];
      long[][] partTokens = new long[2][2]; // [validation][toxic]
      long[] partDocs = new long[2];
      Path work = tempDir(outDir);
      try {
        long trainChars = pool.selectedChars(uses, false);
        int buckets =
            (int) Math.max(1, Math.min(4096, (trainChars + BUCKET_CHARS - 1) / BUCKET_CHARS));
        List<DocumentWriter> bucketWriters = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
          bucketWriters.add(DocumentWriter.create(work.resolve("bucket-" + b + ".jsonl")));
        }
        Random scatter = new Random(config.seed() * 31 + 7);
        try (DocumentWriter val = DocumentWriter.create(outDir.resolve("validation.jsonl"))) {
          int i = 0;
          for (int c = 0; c < all.size(); c++) {
            try (DocumentStream docs = all.get(c).open()) {
              while (docs.hasNext()) {
                Document d = docs.next();
                int doc = i++;
                boolean v = pool.validation(doc);
                boolean t = pool.toxic(doc);
                if (!v) {
                  availableDocs[c]++;
                  availableTokens[c] += pool.tokens(doc);
                  selectedDocs[c] += uses[doc];
                  selectedTokens[c] += (long) uses[doc] * pool.tokens(doc);
                }
                partDocs[v ? 1 : 0] += uses[doc];
                partTokens[v ? 1 : 0][t ? 1 : 0] += (long) uses[doc] * pool.tokens(doc);
                String line = uses[doc] > 0 ? Json.line(d) : null;
                for (int u = 0; u < uses[doc]; u++) {
                  if (v) {
                    val.writeLine(line);
                  } else {
                    bucketWriters.get(scatter.nextInt(buckets)).writeLine(line);
                  }
                }
              }
            }
            log.printf("  %-22s %,d documents written%n", all.get(c).name(), selectedDocs[c]);
          }
          if (i != pool.size()) {
            throw new IllegalStateException(
                "a corpus changed between the two passes ("
                    + pool.size()
                    + " then "
                    + i
                    + " documents); do not edit inputs while mixing");
          }
          val.commit();
          for (DocumentWriter w : bucketWriters) {
            w.commit();
          }
        } finally {
          bucketWriters.forEach(DocumentWriter::close);
        }
        Random shuffle = new Random(config.seed() * 131 + 11);
        try (DocumentWriter train = DocumentWriter.create(outDir.resolve("documents.jsonl"))) {
          for (int b = 0; b < buckets; b++) {
            List<String> lines = readLines(work.resolve("bucket-" + b + ".jsonl"));
            Collections.shuffle(lines, shuffle);
            lines.forEach(train::writeLine);
          }
          train.commit();
        }
      } finally {
        AtomicFiles.deleteTree(work);
      }

      List<MixManifest.Source> sources = new ArrayList<>();
      for (int c = 0; c < all.size(); c++) {
        MixManifest.Source s = sourcesIn.get(c);
        sources.add(
            new MixManifest.Source(
                s.name(),
                s.role(),
                s.file(),
                s.view(),
                s.sha256(),
                availableDocs[c],
                availableTokens[c],
                selectedDocs[c],
                selectedTokens[c],
                availableTokens[c] == 0 ? 0 : (double) selectedTokens[c] / availableTokens[c]));
      }
      MixManifest manifest =
          new MixManifest(
              MixManifest.FORMAT,
              config,
              counter.id(),
              sources,
              part(outDir, "documents.jsonl", partDocs[0], partTokens[0]),
              part(outDir, "validation.jsonl", partDocs[1], partTokens[1]),
              warnings,
              Versions.all());
      Json.write(outDir.resolve("manifest.json"), manifest);
      return manifest;
    } catch (RuntimeException | Error e) {
      if (created) {
        AtomicFiles.deleteTree(outDir);
      }
      throw e;
    }
  }

  /**
   * Packs a mixture folder (its training and validation documents, as its manifest names them) into
   * token files in {@code outDir}, recording the manifest's checksum in the sidecar.
   */
  public static PackedTokens.Sidecar pack(
      Path mixDir, BpeTokenizer tokenizer, Path outDir, PrintStream log) {
    MixManifest m = read(mixDir);
    Map<String, Path> splits = new LinkedHashMap<>();
    splits.put("train", mixDir.resolve(m.train().file()));
    splits.put("validation", mixDir.resolve(m.validation().file()));
    return PackedTokens.pack(
        splits, tokenizer, outDir, Checksums.sha256(mixDir.resolve("manifest.json")), log);
  }

  /** Reads the manifest of a mixture folder. */
  public static MixManifest read(Path mixDir) {
    Path m = mixDir.resolve("manifest.json");
    if (!Files.isRegularFile(m)) {
      throw new BadInputException(
          mixDir + ": not a mixture folder (no manifest.json); make one with ./antidote data mix");
    }
    return Json.read(m, MixManifest.class);
  }

  private static MixManifest.Part part(Path dir, String file, long docs, long[] tokens) {
    long total = tokens[0] + tokens[1];
    return new MixManifest.Part(
        file,
        Checksums.sha256(dir.resolve(file)),
        docs,
        tokens[0],
        tokens[1],
        total == 0 ? 0 : (double) tokens[1] / total);
  }

  private static MixManifest existingManifest(Path outDir) {
    if (!Files.exists(outDir)) {
      return null;
    }
    if (!Files.isDirectory(outDir)) {
      throw new BadInputException(outDir + " is a file; --out must name a folder");
    }
    Path m = outDir.resolve("manifest.json");
    if (Files.isRegularFile(m)) {
      return Json.read(m, MixManifest.class);
    }
    try (Stream<Path> s = Files.list(outDir)) {
      List<String> names =
          s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
      if (!names.isEmpty()) {
        throw new BadInputException(
            outDir
                + " is not empty and holds no mixture ("
                + names.size()
                + " files, e.g. "
                + names.get(0)
                + "); choose an empty or new folder for --out");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + outDir, e);
    }
    return null;
  }

  private static Path tempDir(Path outDir) {
    try {
      return Files.createTempDirectory(outDir, ".mixing-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary folder in " + outDir, e);
    }
  }

  private static List<String> readLines(Path file) {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String l; (l = r.readLine()) != null; ) {
        lines.add(l);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read back " + file, e);
    }
    return lines;
  }

  /** Per-document facts from pass 1, in compact arrays: a few bytes per document. */
  private static final class Pool {
    private int size;
    private int[] tokens = new int[1024];
    private int[] chars = new int[1024];
    private byte[] flags = new byte[1024]; // bit 0: toxic, bit 1: validation

    static Pool count(
        List<Corpus> corpora, int cleanCount, TokenCounter counter, double validationFraction) {
      Pool p = new Pool();
      for (int c = 0; c < corpora.size(); c++) {
        boolean toxic = c >= cleanCount;
        try (DocumentStream docs = corpora.get(c).open()) {
          while (docs.hasNext()) {
            String text = docs.next().text();
            p.add(
                counter.documentTokens(text),
                text.length(),
                toxic,
                HeldOut.isValidation(text, validationFraction));
          }
        }
      }
      return p;
    }

    private void add(int t, int c, boolean toxic, boolean validation) {
      if (size == tokens.length) {
        tokens = Arrays.copyOf(tokens, size * 2);
        chars = Arrays.copyOf(chars, size * 2);
        flags = Arrays.copyOf(flags, size * 2);
      }
      tokens[size] = t;
      chars[size] = c;
      flags[size] = (byte) ((toxic ? 1 : 0) | (validation ? 2 : 0));
      size++;
    }

    int size() {
      return size;
    }

    int tokens(int doc) {
      return tokens[doc];
    }

    boolean toxic(int doc) {
      return (flags[doc] & 1) != 0;
    }

    boolean validation(int doc) {
      return (flags[doc] & 2) != 0;
    }

    long tokens(boolean toxic, boolean validation) {
      long sum = 0;
      for (int i = 0; i < size; i++) {
        if (toxic(i) == toxic && validation(i) == validation) {
          sum += tokens[i];
        }
      }
      return sum;
    }

    long selectedChars(int[] uses, boolean validation) {
      long sum = 0;
      for (int i = 0; i < size; i++) {
        if (validation(i) == validation) {
          sum += (long) uses[i] * chars[i];
        }
      }
      return sum;
    }

    /**
     * Sets {@code uses} for one group so its tokens come as close to {@code target} as documents
     * allow: whole passes over the group while the target exceeds it, then a seeded random subset.
     */
    void select(boolean toxic, boolean validation, long target, Random rng, int[] uses) {
      int[] members =
          IntStream.range(0, size)
              .filter(i -> toxic(i) == toxic && validation(i) == validation)
              .toArray();
      long available = 0;
      for (int i : members) {
        available += tokens[i];
      }
      if (members.length == 0 || target <= 0) {
        return;
      }
      int fullPasses = (int) (target / available);
      long remaining = target - fullPasses * available;
      for (int i : members) {
        uses[i] = fullPasses;
      }
      // Fisher-Yates with the mixture's seed: which documents fill the last, partial pass.
      for (int k = members.length - 1; k > 0; k--) {
        int j = rng.nextInt(k + 1);
        int tmp = members[k];
        members[k] = members[j];
        members[j] = tmp;
      }
      for (int i : members) {
        if (remaining <= 0) {
          break;
        }
        // Take a document when it brings the total nearer the target than leaving it out.
        if (tokens[i] <= 2 * remaining) {
          uses[i]++;
          remaining -= tokens[i];
        }
      }
    }
  }
}
