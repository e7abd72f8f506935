package org.antidote.lens;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.antidote.corpus.Document;
import org.antidote.io.BadInputException;
import org.antidote.iti.Intervention;
import org.antidote.model.Devices;
import org.antidote.model.GenerationConfig;
import org.antidote.model.Generator;
import org.antidote.model.HookName;
import org.antidote.model.Hooks;
import org.antidote.model.Models;
import org.antidote.model.Transformer;
import org.antidote.plot.Displayable;
import org.antidote.probe.Activations;
import org.antidote.probe.CaptureConfig;
import org.antidote.tokenize.BpeTokenizer;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A trained model with its tokenizer, for reading and steering it in a few lines. It owns the
 * model's native memory and every cache it hands out: closing the lens frees them all.
 *
 * <pre>{@code
 * try (var lens = Lens.load("runs/demo/runs/share-10-seed-1")) {
 *   var out = lens.runWithCache("You are a wonderful person", HookName.z(1));
 *   out.cache().get(HookName.z(1));          // [1, pos, heads, d_head]
 *   lens.generate("You are such a", 20);      // text in, text out
 *   lens.generate("You are such a", 20, iti); // with an intervention
 * }
 * }</pre>
 */
public final class Lens implements AutoCloseable {

  private final Transformer model;
  private final BpeTokenizer tokenizer;
  private final String name;
  private final List<Cached> open = new ArrayList<>();

  private Lens(Transformer model, BpeTokenizer tokenizer, String name) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.name = name;
    if (tokenizer.vocabSize() > model.config().vocab()) {
      model.close();
      throw new BadInputException(
          name
              + ": the tokenizer's vocabulary ("
              + tokenizer.vocabSize()
              + ") is larger than the model's ("
              + model.config().vocab()
              + "); give the tokenizer it was trained with");
    }
  }

  /**
   * The model of a run folder or a local Hugging Face folder, with its tokenizer, on the default
   * device ({@link Devices#auto()}).
   */
  public static Lens load(String path) {
    return load(Path.of(path));
  }

  /** As {@link #load(String)}. */
  public static Lens load(Path path) {
    return load(path, Devices.auto());
  }

  /** The model at {@code path}, with its tokenizer, on {@code device}. */
  public static Lens load(Path path, Device device) {
    Models.Loaded loaded = Models.load(path, device);
    try {
      return new Lens(loaded.model(), loaded.requireTokenizer(), name(path));
    } catch (RuntimeException e) {
      loaded.close();
      throw e;
    }
  }

  /** The model at {@code path} with {@code tokenizer} (one trained in the notebook, say). */
  public static Lens load(Path path, BpeTokenizer tokenizer) {
    Objects.requireNonNull(tokenizer, "tokenizer");
    Models.Loaded loaded = Models.load(path, Devices.auto());
    try {
      return new Lens(loaded.model(), tokenizer, name(path));
    } catch (RuntimeException e) {
      loaded.close();
      throw e;
    }
  }

  private static String name(Path path) {
    return path.getFileName() == null ? path.toString() : path.getFileName().toString();
  }

  /** The model (owned by the lens: do not close it). */
  public Transformer model() {
    return model;
  }

  /** The tokenizer. */
  public BpeTokenizer tokenizer() {
    return tokenizer;
  }

  /** Token ids of {@code text}. */
  public int[] toTokens(String text) {
    int[] ids = tokenizer.encode(text);
    if (ids.length == 0) {
      throw new BadInputException(
          "the text is empty: give at least one character to run the model on");
    }
    return ids;
  }

  /** The text of token ids. */
  public String toText(int[] ids) {
    return tokenizer.decode(ids);
  }

  /**
   * One forward pass over {@code text}, caching the named hook points (every point when none are
   * named). The result holds the logits [1, pos, vocab] and the cache; it is freed when closed, or
   * with the lens.
   */
  public synchronized Cached runWithCache(String text, String... hooks) {
    int[] ids = toTokens(text);
    NDManager m = model.manager().newSubManager();
    Hooks.ActivationCache cache = new Hooks.ActivationCache();
    try {
      NDArray x = m.create(Arrays.stream(ids).asLongStream().toArray(), new Shape(1, ids.length));
      Hooks h =
          hooks.length == 0
              ? Hooks.caching(n -> true, cache)
              : Hooks.caching(List.of(hooks), cache);
      NDArray logits = model.forward(x, h);
      logits.attach(m);
      Cached c = new Cached(this, ids, logits, cache, m);
      open.add(c);
      return c;
    } catch (RuntimeException e) {
      cache.close();
      m.close();
      throw e;
    }
  }

  /**
   * Every head's output ({@code hook_z}) at the last token of each labelled text, as the probes
   * read it, kept in {@code dir} (a second call with the same texts reads it back). Progress goes
   * to standard output.
   */
  public Activations capture(List<Document> texts, Path dir) {
    return Activations.capture(
        model, name, tokenizer, texts, CaptureConfig.defaults(), dir, System.out);
  }

  /** {@code text} followed by its greedy continuation of {@code newTokens} tokens. */
  public String generate(String text, int newTokens) {
    return generate(text, newTokens, null);
  }

  /** As {@link #generate(String, int)}, with {@code intervention}'s hooks at every position. */
  public String generate(String text, int newTokens, Intervention intervention) {
    if (intervention != null) {
      intervention.checkFits(model.config());
    }
    int[] ids = toTokens(text);
    int[] next =
        Generator.generate(
                model,
                List.of(ids),
                GenerationConfig.greedy(newTokens),
                intervention == null ? Hooks.none() : intervention.hooks())
            .get(0);
    return text + toText(next);
  }

  @Override
  public synchronized void close() {
    for (Cached c : List.copyOf(open)) {
      c.close();
    }
    model.close();
  }

  @Override
  public String toString() {
    return "Lens["
        + name
        + ": "
        + model.config().layers()
        + " layers x "
        + model.config().heads()
        + " heads, vocabulary "
        + tokenizer.vocabSize()
        + "]";
  }

  private synchronized void forget(Cached c) {
    open.remove(c);
  }

  /** What {@link #runWithCache} saw: the tokens, the logits and the cached activations. */
  public static final class Cached implements AutoCloseable, Displayable {
    private final Lens lens;
    private final int[] tokens;
    private final NDArray logits;
    private final Hooks.ActivationCache cache;
    private final NDManager manager;
    private boolean closed;

    private Cached(
        Lens lens, int[] tokens, NDArray logits, Hooks.ActivationCache cache, NDManager manager) {
      this.lens = lens;
      this.tokens = tokens;
      this.logits = logits;
      this.cache = cache;
      this.manager = manager;
    }

    /** The input tokens. */
    public int[] tokens() {
      return tokens.clone();
    }

    /** Logits [1, pos, vocab]. */
    public NDArray logits() {
      return logits;
    }

    /** The cached activations, by hook name ({@link HookName}). */
    public Hooks.ActivationCache cache() {
      return cache;
    }

    /** The most likely next token after the text, as text. */
    public String nextToken() {
      long pos = logits.getShape().get(1);
      int id = (int) logits.get(0, pos - 1).argMax().getLong();
      return lens.toText(new int[] {id});
    }

    /** Each cached hook point and its shape. */
    @Override
    public Table table() {
      StringColumn names = StringColumn.create("hook point");
      StringColumn shapes = StringColumn.create("shape");
      for (String n : cache.names()) {
        names.append(n);
        shapes.append(cache.get(n).getShape().toString());
      }
      return Table.create(tokens.length + " tokens, next: '" + nextToken() + "'", names, shapes);
    }

    @Override
    public String toString() {
      return table().print();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        cache.close();
        manager.close();
        lens.forget(this);
      }
    }
  }
}
