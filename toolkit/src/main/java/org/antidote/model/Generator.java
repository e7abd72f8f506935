package org.antidote.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.antidote.io.BadInputException;
import org.antidote.math.Numerics;

/**
 * Continues prompts with a model: greedy, temperature or nucleus sampling, seeded. The batch is
 * left-padded so every prompt ends at the same position; padded keys are masked out, and rotary
 * positions need no correction because attention depends only on relative positions. With the KV
 * cache each position is computed once; without it (the reference path) every step recomputes the
 * whole sequence, one prompt at a time. Hooks apply at every position in both.
 */
public final class Generator {

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
    boolean sameLength = prompts.stream().allMatch(p -> p.length == prompts.get(0).length);
    // Left padding would shift learned absolute positions (GPT-2); rotary ones are relative.
    if (!useCache || (model.architecture().learnedPositions() && !sameLength)) {
      List<int[]> out = new ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) {
        out.add(withoutCache(model, prompts.get(i), config, hooks, i));
      }
      return out;
    }
    return withCache(model, prompts, longest, config, hooks);
  }

  private static List<int[]> withCache(
      Transformer model, List<int[]> prompts, int longest, GenerationConfig config, Hooks hooks) {
    int b = prompts.size();
    long[] ids = new long[b * longest];
    float[] keyMask = new float[b * longest];
    for (int i = 0; i < b; i++) {
      int[] p = prompts.get(i);
      int pad = longest - p.length;
      // Finite, not -inf: a padding query sees only padding keys, and an all -inf row would
      // turn into NaN that then leaks through the zero attention weights of real queries.
      Arrays.fill(keyMask, i * longest, i * longest + pad, -1e9f);
      for (int j = 0; j < p.length; j++) {
        ids[i * longest + pad + j] = p[j];
      }
    }
    Sampler sampler = new Sampler(config, b);
    try (NDManager m = model.manager().newSubManager();
        KvCache cache = new KvCache(m, model.config().layers())) {
      cache.keyMask(m.create(keyMask, new Shape(b, 1, 1, longest)));
      int[] next;
      try (NDManager step = m.newSubManager()) {
        NDArray logits = model.forward(step.create(ids, new Shape(b, longest)), hooks, cache);
        next = sampler.next(lastPosition(logits, b, longest, model.config().vocab()));
      }
      for (int n = 1; n < config.maxNewTokens() && !sampler.allStopped(); n++) {
        cache.keyMask(cache.keyMask().concat(m.zeros(new Shape(b, 1, 1, 1)), 3));
        long[] col = new long[b];
        for (int i = 0; i < b; i++) {
          col[i] = next[i];
        }
        try (NDManager step = m.newSubManager()) {
          NDArray logits = model.forward(step.create(col, new Shape(b, 1)), hooks, cache);
          next = sampler.next(lastPosition(logits, b, 1, model.config().vocab()));
        }
      }
    }
    return sampler.results();
  }

  private static int[] withoutCache(
      Transformer model, int[] prompt, GenerationConfig config, Hooks hooks, int row) {
    Sampler sampler = new Sampler(config, 1, row);
    int[] seq = Arrays.copyOf(prompt, prompt.length + config.maxNewTokens());
    int len = prompt.length;
    for (int n = 0; n < config.maxNewTokens() && !sampler.allStopped(); n++) {
      try (NDManager step = model.manager().newSubManager()) {
        long[] ids = new long[len];
        for (int j = 0; j < len; j++) {
          ids[j] = seq[j];
        }
        NDArray logits = model.forward(step.create(ids, new Shape(1, len)), hooks, null);
        seq[len++] = sampler.next(lastPosition(logits, 1, len - 1, model.config().vocab()))[0];
      }
    }
    return sampler.results().get(0);
  }

  /** The logits of the last position of each row, copied to Java. */
  private static float[][] lastPosition(NDArray logits, int b, int t, int vocab) {
    float[] all = logits.get(":, -1, :").toFloatArray();
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

    Sampler(GenerationConfig config, int rows) {
      this(config, rows, 0);
    }

    Sampler(GenerationConfig config, int rows, int firstRow) {
      this.config = config;
      this.rngs = new SplittableRandom[rows];
      this.stopped = new boolean[rows];
      for (int i = 0; i < rows; i++) {
        rngs[i] = new SplittableRandom(config.seed() * 1_000_003L + firstRow + i);
        out.add(new ArrayList<>());
      }
    }

    int[] next(float[][] logits) {
      int[] chosen = new int[logits.length];
      for (int i = 0; i < logits.length; i++) {
        if (config.stopToken() >= 0 && out.get(i).size() < config.minNewTokens()) {
          logits[i][config.stopToken()] = Float.NEGATIVE_INFINITY;
        }
        chosen[i] = config.temperature() == 0 ? argMax(logits[i]) : sample(logits[i], rngs[i]);
        if (!stopped[i]) {
          if (chosen[i] == config.stopToken()) {
            stopped[i] = true;
          } else {
            out.get(i).add(chosen[i]);
          }
        }
      }
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
   * A draw from the nucleus of {@code p}: the most likely tokens, in descending probability and
   * ascending id among equals, until their mass reaches {@code topP} (at least one token). Sorting
   * the probabilities alone gives the same mass and the same running sums as sorting the ids by
   * them (equal values are interchangeable in a sum), so only the chosen value's id is looked up
   * afterwards: a tenth of the time of sorting boxed ids, the same draws.
   */
  static int nucleus(double[] p, double topP, SplittableRandom rng) {
    double[] sorted = p.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double mass = 0;
    int keep = 0;
    while (keep < n && (keep == 0 || mass < topP)) {
      mass += sorted[n - 1 - keep++];
    }
    double u = rng.nextDouble() * mass;
    int chosen = keep - 1;
    for (int k = 0; k < keep; k++) {
      u -= sorted[n - 1 - k];
      if (u <= 0) {
        chosen = k;
        break;
      }
    }
    double value = sorted[n - 1 - chosen];
    int first = chosen;
    while (first > 0 && sorted[n - first] == value) {
      first--;
    }
    // The (chosen - first)-th token of that probability, by ascending id.
    int skip = chosen - first;
    for (int i = 0; i < p.length; i++) {
      if (p[i] == value && skip-- == 0) {
        return i;
      }
    }
    throw new IllegalStateException("no token has the chosen probability " + value);
  }
}
