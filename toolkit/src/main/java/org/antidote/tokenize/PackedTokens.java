package org.antidote.tokenize;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.antidote.corpus.Document;
import org.antidote.corpus.DocumentReader;
import org.antidote.io.AtomicFiles;
import org.antidote.io.BadInputException;
import org.antidote.io.Checksums;
import org.antidote.io.Json;
import org.antidote.io.Versions;

/**
 * Packed token files in the layout nanoGPT and OLMo use: each split is one flat file of
 * little-endian token ids ({@code uint16} when the vocabulary fits, else {@code uint32}), every
 * document followed by the end-of-document token, described by a JSON sidecar ({@code
 * tokens.json}). Reading memory-maps the file, so a window costs no copy of the corpus.
 */
public final class PackedTokens implements AutoCloseable {

  /** Sidecar file name. */
  public static final String SIDECAR = "tokens.json";

  /** Sidecar format tag. */
  public static final String FORMAT = "antidote-tokens/1";

  private static final long CHUNK = 1L << 30;

  /**
   * The sidecar: how to read the files and where they came from.
   *
   * @param format format tag
   * @param dtype {@code uint16} or {@code uint32}
   * @param vocabSize vocabulary size of the tokenizer
   * @param eotId end-of-document token id
   * @param tokenizer tokenizer id
   * @param tokenizerFile tokenizer file name beside the packed files
   * @param mixtureSha256 checksum of the mixture manifest packed (empty if packed from plain files)
   * @param splits split name to its file, tokens, documents and checksum
   * @param versions versions that wrote it
   */
  public record Sidecar(
      String format,
      String dtype,
      int vocabSize,
      int eotId,
      String tokenizer,
      String tokenizerFile,
      String mixtureSha256,
      Map<String, SplitFile> splits,
      Map<String, String> versions) {

    /** Bytes per token. */
    public int bytesPerToken() {
      return dtype.equals("uint16") ? 2 : 4;
    }
  }

  /** One packed split. */
  public record SplitFile(String file, long tokens, long documents, String sha256) {}

  private final Sidecar sidecar;
  private final String split;
  private final long length;
  private final List<MappedByteBuffer> chunks = new ArrayList<>();
  private final int width;

  private PackedTokens(Path dir, Sidecar sidecar, String split) {
    this.sidecar = sidecar;
    this.split = split;
    SplitFile f = sidecar.splits().get(split);
    if (f == null) {
      throw new BadInputException(
          dir.resolve(SIDECAR)
              + ": no split '"
              + split
              + "' (has "
              + sidecar.splits().keySet()
              + ")");
    }
    this.width = sidecar.bytesPerToken();
    Path file = dir.resolve(f.file());
    if (!Files.isRegularFile(file)) {
      throw BadInputException.in(
          file,
          (Files.exists(file) ? "is not a file" : "missing")
              + "; "
              + SIDECAR
              + " lists it as the "
              + split
              + " split; pack the folder again with ./antidote data tokenize");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long bytes = ch.size();
      if (bytes != f.tokens() * width) {
        throw new BadInputException(
            file
                + ": holds "
                + bytes
                + " bytes but the sidecar says "
                + f.tokens()
                + " tokens of "
                + width
                + " bytes; the file is truncated or from another packing");
      }
      this.length = f.tokens();
      // Chunks overlap by nothing; a token never straddles two because CHUNK is a multiple of 4.
      for (long pos = 0; pos < bytes; pos += CHUNK) {
        MappedByteBuffer m =
            ch.map(FileChannel.MapMode.READ_ONLY, pos, Math.min(CHUNK, bytes - pos));
        m.order(ByteOrder.LITTLE_ENDIAN);
        chunks.add(m);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not map " + file + ": " + e, e);
    }
  }

  /** Opens one split ("train" or "validation") of a packed folder. */
  public static PackedTokens open(Path dir, String split) {
    return new PackedTokens(dir, readSidecar(dir), split);
  }

  /** Reads the sidecar of a packed folder. */
  public static Sidecar readSidecar(Path dir) {
    Path f = dir.resolve(SIDECAR);
    if (!Files.isRegularFile(f)) {
      throw new BadInputException(
          dir + ": no " + SIDECAR + "; pack it first with ./antidote data tokenize");
    }
    Sidecar s = Json.read(f, Sidecar.class);
    if (!FORMAT.equals(s.format())) {
      throw new BadInputException(f + ": format '" + s.format() + "', expected " + FORMAT);
    }
    return s;
  }

  /** The sidecar. */
  public Sidecar sidecar() {
    return sidecar;
  }

  /** The split this reader reads. */
  public String split() {
    return split;
  }

  /** Number of tokens in the split. */
  public long length() {
    return length;
  }

  /** The token at {@code index}. */
  public int get(long index) {
    long byteIndex = index * width;
    MappedByteBuffer m = chunks.get((int) (byteIndex / CHUNK));
    int at = (int) (byteIndex % CHUNK);
    return width == 2 ? Short.toUnsignedInt(m.getShort(at)) : m.getInt(at);
  }

  /** {@code length} tokens starting at {@code offset}. */
  public int[] window(long offset, int length) {
    if (offset < 0 || offset + length > this.length) {
      throw new IndexOutOfBoundsException(
          "window [" + offset + ", " + (offset + length) + ") outside 0.." + this.length);
    }
    int[] out = new int[length];
    for (int i = 0; i < length; i++) {
      out[i] = get(offset + i);
    }
    return out;
  }

  /**
   * A seeded stream of windows of {@code length} tokens at uniformly random offsets: the training
   * sampler of nanoGPT and OLMo. The same seed gives the same windows.
   */
  public WindowSampler sampler(int length, long seed) {
    if (length < 1 || length > this.length) {
      throw new BadInputException(
          "window length "
              + length
              + " does not fit the "
              + split
              + " split of "
              + this.length
              + " tokens; use a shorter context or more data");
    }
    return new WindowSampler(this, length, seed);
  }

  @Override
  public void close() {
    chunks.clear(); // Mappings are released by the garbage collector; drop our references.
  }

  /** Random windows over one split; its position (draws so far) can be saved and restored. */
  public static final class WindowSampler {
    private final PackedTokens tokens;
    private final int length;
    private final long seed;
    private SplittableRandom rng;
    private long drawn;

    private WindowSampler(PackedTokens tokens, int length, long seed) {
      this.tokens = tokens;
      this.length = length;
      this.seed = seed;
      this.rng = new SplittableRandom(seed);
    }

    /** The next window. */
    public int[] next() {
      drawn++;
      return tokens.window(rng.nextLong(tokens.length - length + 1), length);
    }

    /** How many windows were drawn (the data position to checkpoint). */
    public long drawn() {
      return drawn;
    }

    /** Repositions after {@code n} draws from the start, as when resuming a run. */
    public void skipTo(long n) {
      rng = new SplittableRandom(seed);
      for (long i = 0; i < n; i++) {
        rng.nextLong(tokens.length - length + 1);
      }
      drawn = n;
    }
  }

  // ---- packing --------------------------------------------------------------------------------

  /**
   * Packs JSONL document files (split name to file) with {@code tokenizer} into {@code outDir},
   * writing the packed files, a copy of the tokenizer and the sidecar. Each file is written to a
   * temporary name and renamed once complete.
   */
  public static Sidecar pack(
      Map<String, Path> splits,
      BpeTokenizer tokenizer,
      Path outDir,
      String mixtureSha256,
      PrintStream log) {
    String dtype = tokenizer.vocabSize() <= 65536 ? "uint16" : "uint32";
    int eot = tokenizer.eotId();
    Map<String, SplitFile> files = new TreeMap<>();
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + outDir, e);
    }
    for (Map.Entry<String, Path> e : splits.entrySet()) {
      String name = e.getKey() + ".bin";
      long[] counts = new long[1];
      long start = System.nanoTime();
      AtomicFiles.write(
          outDir.resolve(name),
          raw -> {
            OutputStream out = new BufferedOutputStream(raw, 1 << 16);
            try (DocumentReader docs = DocumentReader.open(e.getValue())) {
              while (docs.hasNext()) {
                Document d = docs.next();
                for (int id : tokenizer.encode(d.text())) {
                  writeToken(out, id, dtype);
                }
                writeToken(out, eot, dtype);
                counts[0]++;
              }
            }
            out.flush();
          });
      long tokens = sizeOf(outDir.resolve(name)) / (dtype.equals("uint16") ? 2 : 4);
      files.put(
          e.getKey(),
          new SplitFile(name, tokens, counts[0], Checksums.sha256(outDir.resolve(name))));
      log.printf(
          "  %-10s %,d documents -> %,d tokens (%s) in %.1f s%n",
          e.getKey(), counts[0], tokens, name, (System.nanoTime() - start) / 1e9);
    }
    tokenizer.save(outDir.resolve("tokenizer.json"));
    Sidecar s =
        new Sidecar(
            FORMAT,
            dtype,
            tokenizer.vocabSize(),
            eot,
            tokenizer.id(),
            "tokenizer.json",
            mixtureSha256 == null ? "" : mixtureSha256,
            files,
            Versions.all());
    Json.write(outDir.resolve(SIDECAR), s);
    return s;
  }

  /**
   * Packs token ids that are already known (synthetic data, the toy experiment, tests) with the
   * same layout and sidecar as {@link #pack}.
   */
  public static Sidecar packIds(
      Map<String, int[]> splits, int vocabSize, int eotId, String tokenizerId, Path outDir) {
    String dtype = vocabSize <= 65536 ? "uint16" : "uint32";
    Map<String, SplitFile> files = new TreeMap<>();
    for (Map.Entry<String, int[]> e : splits.entrySet()) {
      String name = e.getKey() + ".bin";
      int[] ids = e.getValue();
      long documents = Arrays.stream(ids).filter(id -> id == eotId).count();
      for (int id : ids) {
        if (id < 0 || id >= vocabSize) {
          throw new BadInputException(
              "token id " + id + " is outside the vocabulary of " + vocabSize);
        }
      }
      AtomicFiles.write(
          outDir.resolve(name),
          raw -> {
            OutputStream out = new BufferedOutputStream(raw, 1 << 16);
            for (int id : ids) {
              writeToken(out, id, dtype);
            }
            out.flush();
          });
      files.put(
          e.getKey(),
          new SplitFile(name, ids.length, documents, Checksums.sha256(outDir.resolve(name))));
    }
    Sidecar s =
        new Sidecar(FORMAT, dtype, vocabSize, eotId, tokenizerId, "", "", files, Versions.all());
    Json.write(outDir.resolve(SIDECAR), s);
    return s;
  }

  private static void writeToken(OutputStream out, int id, String dtype) throws IOException {
    out.write(id & 0xff);
    out.write((id >>> 8) & 0xff);
    if (dtype.equals("uint32")) {
      out.write((id >>> 16) & 0xff);
      out.write((id >>> 24) & 0xff);
    }
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
