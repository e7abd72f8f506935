package org.antidote.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.antidote.corpus.Document;
import org.antidote.io.BadInputException;
import org.antidote.io.Checksums;
import org.antidote.io.Json;
import org.antidote.io.SafeTensors;
import org.antidote.io.Versions;
import org.antidote.model.HookName;
import org.antidote.model.Hooks;
import org.antidote.model.Transformer;
import org.antidote.tokenize.BpeTokenizer;

/**
 * Every head's output ({@code blocks.{l}.attn.hook_z}) for each labelled text, at its last token
 * (or averaged over its tokens): {@code [texts, layers, heads, d_head]}. Captured in batches and
 * written in chunks of safetensors beside a manifest naming the model, the dataset's checksum and
 * the position rule; capturing again with nothing changed reuses the files.
 */
public final class Activations {

  /** Manifest format tag. */
  public static final String FORMAT = "antidote-activations/1";

  /**
   * The manifest ({@code manifest.json}).
   *
   * @param format format tag
   * @param model where the model came from (a run folder, say)
   * @param modelFingerprint SHA-256 of the model's weights: activations belong to exactly one model
   * @param datasetSha256 SHA-256 of the labelled texts in order
   * @param position the position rule
   * @param layers layers
   * @param heads heads per layer
   * @param dHead width of a head
   * @param count texts
   * @param chunks chunk files in order
   * @param versions versions that wrote them
   */
  public record Manifest(
      String format,
      String model,
      String modelFingerprint,
      String datasetSha256,
      String position,
      int layers,
      int heads,
      int dHead,
      int count,
      List<String> chunks,
      List<String> chunkSha256,
      Map<String, String> versions) {}

  /** One text's label and category, kept beside the activations. */
  public record Meta(int label, String category) {}

  private final int layers;
  private final int heads;
  private final int dHead;
  private final float[] z;
  private final int[] labels;
  private final String[] categories;

  private Activations(
      int layers, int heads, int dHead, float[] z, int[] labels, String[] categories) {
    this.layers = layers;
    this.heads = heads;
    this.dHead = dHead;
    this.z = z;
    this.labels = labels;
    this.categories = categories;
    if ((long) labels.length * layers * heads * dHead != z.length) {
      throw new BadInputException(
          "activations: "
              + z.length
              + " values do not make "
              + labels.length
              + " texts of "
              + layers
              + " x "
              + heads
              + " x "
              + dHead);
    }
  }

  /**
   * Activations from arrays (synthetic data, tests): {@code z} is [texts, layers, heads, dHead]
   * flat.
   */
  public static Activations of(
      int layers, int heads, int dHead, float[] z, int[] labels, String[] categories) {
    return new Activations(layers, heads, dHead, z, labels, categories);
  }

  /**
   * Captures the activations of {@code texts} (labels required) with {@code model}, or reuses
   * {@code dir} when it already holds them for the same model, texts and position rule.
   */
  public static Activations capture(
      Transformer model,
      String modelName,
      BpeTokenizer tokenizer,
      List<Document> texts,
      CaptureConfig config,
      Path dir,
      PrintStream log) {
    if (texts.isEmpty()) {
      throw new BadInputException("no labelled texts to capture activations for");
    }
    String datasetSha = datasetSha256(texts);
    String fingerprint = fingerprint(model);
    Path manifestFile = dir.resolve("manifest.json");
    if (Files.isRegularFile(manifestFile)) {
      // A damaged cache (truncated, edited, a chunk whose checksum does not match) is captured
      // again, with a note; it is never used as it is.
      try {
        Manifest m = Json.read(manifestFile, Manifest.class);
        if (m.modelFingerprint().equals(fingerprint)
            && m.datasetSha256().equals(datasetSha)
            && m.position().equals(config.position().name())) {
          Activations cached = load(dir, fingerprint);
          log.println("reusing activations in " + dir);
          return cached;
        }
        log.println(
            "activations in "
                + dir
                + " are for another model, dataset or position; capturing again");
      } catch (BadInputException | IllegalArgumentException e) {
        log.println(
            "note: the activation cache in "
                + dir
                + " is damaged ("
                + e.getMessage()
                + "); capturing again");
      }
    }
    int layers = model.config().layers();
    int heads = model.config().heads();
    int dHead = model.config().dHead();
    int per = layers * heads * dHead;
    int maxTokens = Math.min(config.maxTokens(), model.config().context());
    List<String> hookNames = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      hookNames.add(HookName.z(l));
    }
    List<String> chunks = new ArrayList<>();
    float[] chunk = new float[Math.min(config.chunkSize(), texts.size()) * per];
    int inChunk = 0;
    long start = System.nanoTime();
    for (int from = 0; from < texts.size(); from += config.batchSize()) {
      List<Document> batch = texts.subList(from, Math.min(texts.size(), from + config.batchSize()));
      float[] got = forward(model, tokenizer, batch, maxTokens, hookNames, config.position());
      for (int b = 0; b < batch.size(); b++) {
        System.arraycopy(got, b * per, chunk, inChunk * per, per);
        inChunk++;
        if (inChunk * per == chunk.length) {
          chunks.add(writeChunk(dir, chunks.size(), chunk, inChunk, layers, heads, dHead));
          inChunk = 0;
        }
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new CancellationException("activation capture interrupted");
      }
      int done = Math.min(texts.size(), from + config.batchSize());
      // Redraw in place on a console; elsewhere (logs, notebooks) a line per quarter.
      boolean console = System.console() != null;
      int quarter = Math.max(1, texts.size() / 4);
      if (console || done / quarter != (done - batch.size()) / quarter || done == texts.size()) {
        log.printf(
            console
                ? "\rcapturing activations: %d/%d texts (%.0f texts/s)"
                : "capturing activations: %d/%d texts (%.0f texts/s)%n",
            done,
            texts.size(),
            done / Math.max(1e-9, (System.nanoTime() - start) / 1e9));
      }
    }
    if (System.console() != null) {
      log.println();
    }
    if (inChunk > 0) {
      chunks.add(writeChunk(dir, chunks.size(), chunk, inChunk, layers, heads, dHead));
    }
    Json.write(
        dir.resolve("meta.json"),
        texts.stream().map(d -> new Meta(d.label(), d.category())).toList());
    Json.write(
        manifestFile,
        new Manifest(
            FORMAT,
            modelName,
            fingerprint,
            datasetSha,
            config.position().name(),
            layers,
            heads,
            dHead,
            texts.size(),
            chunks,
            chunks.stream().map(c -> Checksums.sha256(dir.resolve(c))).toList(),
            Versions.all()));
    return load(dir, fingerprint);
  }

  /** Loads captured activations, refusing ones captured with another model. */
  public static Activations load(Path dir, String expectedModelFingerprint) {
    Path mf = dir.resolve("manifest.json");
    if (!Files.isRegularFile(mf)) {
      throw new BadInputException(dir + ": no activations (no manifest.json)");
    }
    Manifest m = Json.read(mf, Manifest.class);
    if (expectedModelFingerprint != null
        && !expectedModelFingerprint.equals(m.modelFingerprint())) {
      throw new BadInputException(
          dir
              + ": these activations were captured with another model ("
              + m.model()
              + "); capture them again for this one");
    }
    int per = m.layers() * m.heads() * m.dHead();
    float[] z = new float[m.count() * per];
    int at = 0;
    if (m.chunkSha256() == null || m.chunkSha256().size() != m.chunks().size()) {
      throw BadInputException.in(
          mf, "lists no checksum for each chunk (written by an older version); capture again");
    }
    for (int i = 0; i < m.chunks().size(); i++) {
      String c = m.chunks().get(i);
      if (!Files.isRegularFile(dir.resolve(c))
          || !Checksums.sha256(dir.resolve(c)).equals(m.chunkSha256().get(i))) {
        throw BadInputException.in(
            dir.resolve(c),
            "its checksum does not match " + mf + "; the file was changed or cut short");
      }
      float[] part = SafeTensors.read(dir.resolve(c)).tensors().get("z").floats();
      if (at + part.length > z.length) {
        throw BadInputException.in(
            dir.resolve(c), "holds more values than the " + m.count() + " texts " + mf + " lists");
      }
      System.arraycopy(part, 0, z, at, part.length);
      at += part.length;
    }
    Meta[] meta = Json.read(dir.resolve("meta.json"), Meta[].class);
    int[] labels = new int[meta.length];
    String[] categories = new String[meta.length];
    for (int i = 0; i < meta.length; i++) {
      labels[i] = meta[i].label();
      categories[i] = meta[i].category();
    }
    return new Activations(m.layers(), m.heads(), m.dHead(), z, labels, categories);
  }

  /** SHA-256 of a model's weights. */
  public static String fingerprint(Transformer model) {
    MessageDigest md = Checksums.sha256();
    model
        .state()
        .forEach(
            (name, t) -> {
              md.update(name.getBytes(StandardCharsets.UTF_8));
              md.update(t.data());
            });
    return Checksums.hex(md.digest());
  }

  private static String datasetSha256(List<Document> texts) {
    MessageDigest md = Checksums.sha256();
    for (Document d : texts) {
      if (d.label() == null) {
        throw new BadInputException(
            "text without a label (source " + d.source() + "): probes need labelled texts");
      }
      md.update((d.label() + "\t" + d.text() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return Checksums.hex(md.digest());
  }

  /** One batch through the model; returns [batch, layers, heads, dHead] at the chosen positions. */
  private static float[] forward(
      Transformer model,
      BpeTokenizer tokenizer,
      List<Document> batch,
      int maxTokens,
      List<String> hookNames,
      CaptureConfig.Position position) {
    int b = batch.size();
    int[][] ids = new int[b][];
    int longest = 1;
    for (int i = 0; i < b; i++) {
      int[] t = tokenizer.encode(batch.get(i).text());
      ids[i] =
          t.length == 0
              ? new int[] {tokenizer.eotId()}
              : Arrays.copyOf(t, Math.min(t.length, maxTokens));
      longest = Math.max(longest, ids[i].length);
    }
    // Right padding: attention is causal, so padding after a text never reaches its own positions.
    long[] flat = new long[b * longest];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < ids[i].length; j++) {
        flat[i * longest + j] = ids[i][j];
      }
    }
    int layers = model.config().layers();
    int heads = model.config().heads();
    int dHead = model.config().dHead();
    int hd = heads * dHead;
    float[] out = new float[b * layers * hd];
    try (NDManager m = model.manager().newSubManager();
        var cache = new Hooks.ActivationCache()) {
      model.forward(m.create(flat, new Shape(b, longest)), Hooks.caching(hookNames, cache));
      for (int l = 0; l < layers; l++) {
        NDArray z = cache.get(HookName.z(l)); // [b, T, H, dh]
        float[] v = z.toFloatArray();
        for (int i = 0; i < b; i++) {
          int len = ids[i].length;
          int dst = (i * layers + l) * hd;
          if (position == CaptureConfig.Position.LAST) {
            System.arraycopy(v, (i * longest + len - 1) * hd, out, dst, hd);
          } else {
            for (int p = 0; p < len; p++) {
              for (int k = 0; k < hd; k++) {
                out[dst + k] += v[(i * longest + p) * hd + k] / len;
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static String writeChunk(
      Path dir, int index, float[] chunk, int n, int layers, int heads, int dHead) {
    String name = String.format("chunk-%04d.safetensors", index);
    float[] used =
        n * layers * heads * dHead == chunk.length
            ? chunk
            : Arrays.copyOf(chunk, n * layers * heads * dHead);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + dir, e);
    }
    SafeTensors.write(
        dir.resolve(name),
        Map.of("z", SafeTensors.Tensor.f32(new long[] {n, layers, heads, dHead}, used)),
        Map.of());
    return name;
  }

  /** Number of texts. */
  public int count() {
    return labels.length;
  }

  public int layers() {
    return layers;
  }

  public int heads() {
    return heads;
  }

  public int dHead() {
    return dHead;
  }

  /** Labels (1 toxic, 0 clean) in text order. */
  public int[] labels() {
    return labels.clone();
  }

  /** Categories in text order (null where none). */
  public String[] categories() {
    return categories.clone();
  }

  /** The activation of text {@code n} at (layer, head): a copy of its d_head values. */
  public float[] head(int n, int layer, int head) {
    float[] v = new float[dHead];
    System.arraycopy(z, ((n * layers + layer) * heads + head) * dHead, v, 0, dHead);
    return v;
  }

  /** The raw values [texts, layers, heads, dHead] (not a copy: do not modify). */
  float[] raw() {
    return z;
  }
}
