package org.antidote.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.antidote.io.BadInputException;
import org.antidote.math.Numerics;

/**
 * Continues prompts with a model: greedy, temperature or nucleus sampling, seeded. Prompts go
 * through in batches of up to {@value #BATCH}, grouped by length so little is padded; each batch is
 * left-padded so every prompt ends at the same position, padded keys are masked out, and rotary
 * positions need no correction because attention depends only on relative positions (learned
 * positions are grouped by exact length instead). Prompt i draws from its own random stream, seeded
 * by the config's seed and i, so which prompts share a batch changes no draw. With the KV cache
 * each position is computed once; without it (the reference path) every step recomputes the whole
 * sequence, one prompt at a time. Hooks apply at every position in both.
 */
public final class Generator {

  /**
   * Rows per forward call. Per-call overhead dominates small models, and a batch of this size holds
   * under 100 MB of keys and values at the CPU study's shape.
   */
  static final int BATCH = 128;

  private Generator() {}

  /** Continuations (new tokens only, cut at the stop token) of each prompt, using the KV cache. */
  public static List<int[]> generate(
      Transformer model, List<int[]> prompts, GenerationConfig config, Hooks hooks) {
    return generate(model, prompts, config, hooks, true);
  }

  /** As {@link #generate(Transformer, List, GenerationConfig, Hooks)}, choosing the path. */
  public static List<int[]> generate(
      Transformer model,
      List<int[]> prompts,
      GenerationConfig config,
      Hooks hooks,
      boolean useCache) {
    if (prompts.isEmpty()) {
      throw new BadInputException("no prompts to continue");
    }
    int longest = 0;
    for (int[] p : prompts) {
      if (p.length == 0) {
        throw new BadInputException(
            "a prompt is empty; give at least one token (e.g. end-of-document)");
      }
      longest = Math.max(longest, p.length);
    }
    if (config.stopToken() >= model.config().vocab()) {
      throw new BadInputException(
          "stop token "
              + config.stopToken()
              + " is outside the vocabulary of "
              + model.config().vocab());
    }
    if (longest + config.maxNewTokens() > model.config().context()) {
      throw new BadInputException(
          "prompt ("
              + longest
              + " tokens) + "
              + config.maxNewTokens()
              + " new tokens exceed the model's context of "
              + model.config().context());
    }
    List<int[]> out = new ArrayList<>(Collections.nCopies(prompts.size(), (int[]) null));
    if (!useCache) {
      for (int i = 0; i < prompts.size(); i++) {
        out.set(i, withoutCache(model, prompts.get(i), config, hooks, i));
      }
      return out;
    }
    Integer[] order = new Integer[prompts.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> prompts.get(i).length));
    // Left padding would shift learned absolute positions (GPT-2): such batches hold one length.
    boolean exact = model.architecture().learnedPositions();
    for (int from = 0; from < order.length; ) {
      int to = from + 1;
      while (to < order.length
          && to - from < BATCH
          && (!exact || prompts.get(order[to]).length == prompts.get(order[from]).length)) {
        to++;
      }
      int[] rows = new int[to - from];
      List<int[]> batch = new ArrayList<>(rows.length);
      for (int j = 0; j < rows.length; j++) {
        rows[j] = order[from + j];
        batch.add(prompts.get(rows[j]));
      }
      List<int[]> done = withCache(model, batch, rows, config, hooks);
      for (int j = 0; j < rows.length; j++) {
        out.set(rows[j], done.get(j));
      }
      from = to;
    }
    return out;
  }

  private static List<int[]> withCache(
      Transformer model, List<int[]> prompts, int[] rows, GenerationConfig config, Hooks hooks) {
    int b = prompts.size();
    // Each distinct prompt is computed once; its samples share its keys, values and first logits.
    Map<IntBuffer, Integer> seen = new HashMap<>();
    List<int[]> distinct = new ArrayList<>();
    long[] of = new long[b];
    for (int i = 0; i < b; i++) {
      int[] p = prompts.get(i);
      of[i] =
          seen.computeIfAbsent(
              IntBuffer.wrap(p),
              key -> {
                distinct.add(p);
                return distinct.size() - 1;
              });
    }
    int u = distinct.size();
    int longest = prompts.get(b - 1).length; // sorted by length
    long[] ids = new long[u * longest];
    float[] keyMask = new float[u * longest];
    for (int i = 0; i < u; i++) {
      int[] p = distinct.get(i);
      int pad = longest - p.length;
      // Finite, not -inf: a padding query sees only padding keys, and an all -inf row would
      // turn into NaN that then leaks through the zero attention weights of real queries.
      Arrays.fill(keyMask, i * longest, i * longest + pad, -1e9f);
      for (int j = 0; j < p.length; j++) {
        ids[i * longest + pad + j] = p[j];
      }
    }
    Sampler sampler = new Sampler(config, rows);
    int vocab = model.config().vocab();
    try (NDManager m = model.manager().newSubManager();
        KvCache cache = new KvCache(m, model.config().layers())) {
      if (longest > prompts.get(0).length) {
        cache.keyMask(m.create(keyMask, new Shape(u, 1, 1, longest)));
      }
      int[] next;
      try (NDManager step = m.newSubManager()) {
        NDArray logits = model.forwardLast(step.create(ids, new Shape(u, longest)), hooks, cache);
        float[][] first = rows(logits, u, vocab);
        float[][] each = new float[b][];
        for (int i = 0; i < b; i++) {
          each[i] = first[(int) of[i]].clone();
        }
        if (u < b) {
          cache.select(step.create(of));
        }
        next = sampler.next(each);
      }
      for (int n = 1; n < config.maxNewTokens() && !sampler.allStopped(); n++) {
        if (cache.keyMask() != null) {
          cache.keyMask(cache.keyMask().concat(m.zeros(new Shape(b, 1, 1, 1)), 3));
        }
        long[] col = new long[b];
        for (int i = 0; i < b; i++) {
          col[i] = next[i];
        }
        try (NDManager step = m.newSubManager()) {
          NDArray logits = model.forwardLast(step.create(col, new Shape(b, 1)), hooks, cache);
          next = sampler.next(rows(logits, b, vocab));
        }
      }
    }
    return sampler.results();
  }

  private static int[] withoutCache(
      Transformer model, int[] prompt, GenerationConfig config, Hooks hooks, int row) {
    Sampler sampler = new Sampler(config, new int[] {row});
    int[] seq = Arrays.copyOf(prompt, prompt.length + config.maxNewTokens());
    int len = prompt.length;
    for (int n = 0; n < config.maxNewTokens() && !sampler.allStopped(); n++) {
      try (NDManager step = model.manager().newSubManager()) {
        long[] ids = new long[len];
        for (int j = 0; j < len; j++) {
          ids[j] = seq[j];
        }
        NDArray logits = model.forwardLast(step.create(ids, new Shape(1, len)), hooks, null);
        seq[len++] = sampler.next(rows(logits, 1, model.config().vocab()))[0];
      }
    }
    return sampler.results().get(0);
  }

  /** Logits [B, vocab], copied to Java. */
  private static float[][] rows(NDArray logits, int b, int vocab) {
    float[] all = logits.toFloatArray();
    float[][] rows = new float[b][];
    for (int i = 0; i < b; i++) {
      rows[i] = Arrays.copyOfRange(all, i * vocab, (i + 1) * vocab);
    }
    return rows;
  }

  /** Chooses tokens from logits on the Java side, so decoding is exact and seeded on any device. */
  private static final class Sampler {
    private final GenerationConfig config;
    private final SplittableRandom[] rngs;
    private final List<List<Integer>> out = new ArrayList<>();
    private final boolean[] stopped;

    /** Row i of the batch is prompt {@code rows[i]} of the call, whose stream it draws from. */
    Sampler(GenerationConfig config, int[] rows) {
      this.config = config;
      this.rngs = new SplittableRandom[rows.length];
      this.stopped = new boolean[rows.length];
      for (int i = 0; i < rows.length; i++) {
        rngs[i] = new SplittableRandom(config.seed() * 1_000_003L + rows[i]);
        out.add(new ArrayList<>());
      }
    }

    /** The next token of every row; rows are independent, so they are drawn in parallel. */
    int[] next(float[][] logits) {
      int[] chosen = new int[logits.length];
      IntStream.range(0, logits.length)
          .parallel()
          .forEach(
              i -> {
                if (config.stopToken() >= 0 && out.get(i).size() < config.minNewTokens()) {
                  logits[i][config.stopToken()] = Float.NEGATIVE_INFINITY;
                }
                chosen[i] =
                    config.temperature() == 0 ? argMax(logits[i]) : sample(logits[i], rngs[i]);
                if (!stopped[i]) {
                  if (chosen[i] == config.stopToken()) {
                    stopped[i] = true;
                  } else {
                    out.get(i).add(chosen[i]);
                  }
                }
              });
      return chosen;
    }

    boolean allStopped() {
      for (boolean s : stopped) {
        if (!s) {
          return false;
        }
      }
      return true;
    }

    List<int[]> results() {
      return out.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
    }

    private static int argMax(float[] v) {
      int best = 0;
      for (int i = 1; i < v.length; i++) {
        if (v[i] > v[best]) {
          best = i;
        }
      }
      return best;
    }

    private int sample(float[] logits, SplittableRandom rng) {
      return nucleus(Numerics.softmax(logits, config.temperature()), config.topP(), rng);
    }
  }

  /**
   * A draw from the nucleus of {@code p}: the most likely tokens (ascending id among equals) until
   * their mass reaches {@code topP}, at least one, never a token of probability 0; within it, token
   * i with probability proportional to p_i. The nucleus is found by selection (a three-way
   * partition around a pivot, descending only into the part that holds the boundary), which is
   * linear where sorting the vocabulary at every step cost more than the model's forward pass.
   */
  static int nucleus(double[] p, double topP, SplittableRandom rng) {
    int n = p.length;
    int[] idx = new int[n];
    int live = 0;
    for (int i = 0; i < n; i++) {
      if (p[i] > 0) {
        idx[live++] = i;
      }
    }
    boolean[] in = new boolean[n];
    int lo = 0; // idx[0, lo) is in the nucleus; the boundary lies in idx[lo, hi)
    int hi = live;
    double above = 0; // their mass
    while (lo < hi) {
      double pivot = p[idx[lo + (hi - lo) / 2]];
      // Three-way partition of idx[lo, hi): greater, then equal, then smaller than the pivot.
      int gt = lo;
      int lt = hi;
      double sumGreater = 0;
      double sumEqual = 0;
      for (int i = lo; i < lt; ) {
        double v = p[idx[i]];
        if (v > pivot) {
          sumGreater += v;
          swap(idx, i++, gt++);
        } else if (v < pivot) {
          swap(idx, i, --lt);
        } else {
          sumEqual += v;
          i++;
        }
      }
      if (gt > lo && above + sumGreater >= topP) {
        hi = gt; // the boundary lies among the greater ones
      } else if (above + sumGreater + sumEqual >= topP) {
        // It lies among the equal ones: the fewest of them, by ascending id, that reach topP.
        Arrays.sort(idx, gt, lt);
        double mass = above + sumGreater;
        int take = gt;
        while (take < lt && (take == gt || mass < topP)) {
          mass += pivot;
          take++;
        }
        lo = take;
        break;
      } else {
        above += sumGreater + sumEqual;
        lo = lt;
      }
    }
    double mass = 0;
    for (int i = 0; i < lo; i++) {
      in[idx[i]] = true;
    }
    for (int i = 0; i < n; i++) {
      if (in[i]) {
        mass += p[i];
      }
    }
    double u = rng.nextDouble() * mass;
    int last = -1;
    for (int i = 0; i < n; i++) {
      if (in[i]) {
        last = i;
        u -= p[i];
        if (u <= 0) {
          return i;
        }
      }
    }
    if (last < 0) {
      throw new IllegalStateException("no token has a positive probability");
    }
    return last;
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
