package org.antidote.toy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.antidote.model.HookName;
import org.antidote.model.Hooks;
import org.antidote.model.Transformer;
import org.antidote.tokenize.PackedTokens;
import org.antidote.train.TrainListener;
import org.antidote.train.TrainResult;
import org.antidote.train.Trainer;

/**
 * One cell of the toy experiment: make the data, train the model, probe it, measure entanglement.
 * The default reading is the paper's ({@link #probeFeatures}); the earlier one below stays as
 * {@link ToyConfig.Reading#CHAINS}.
 *
 * <p>Chain reading. Probe sequences are drawn afresh, balanced: {@code perFeature} sequences of
 * {@code context} tokens from each chain that end in each token (rejection sampling; no separator,
 * as in most training windows). For each last token t, the residual stream at the last position of
 * the sequences ending in t is probed one-vs-rest for each chain c ("is this sequence from chain
 * c?", with {@link FeatureReading#probe}, the paper's reading's probe). Feature (c, t)'s direction
 * v is that probe's unit normal: the paper's "probe per (feature, last token)". The paper then
 * averages "over the vocabulary"; here that average is taken over a chain's features when reporting
 * (the rare chain's mean E over its {@code vocab} features), and, as a second reading, {@link
 * MarkovResult#chainEntanglement()} averages the unit normals over t into one direction per chain.
 *
 * <pre>
 * cellDir/data-v2/   packed tokens (train.bin, validation.bin, tokens.json); separator = vocab
 * cellDir/run-v2/    the Trainer's run folder (config.json, metrics.jsonl, model.safetensors, ...)
 * </pre>
 */
public final class MarkovToy {

  private MarkovToy() {}

  /** Trains (or resumes, or reuses) the cell's model in {@code cellDir} and measures it. */
  public static MarkovResult run(ToyConfig config, Path cellDir, TrainListener listener) {
    long start = System.nanoTime();
    MarkovConfig data = config.data();
    // "-v2": the chains became distinct cycles (v1 shifted tokens by chain + 1), so older folders
    // are not reused.
    Path dataDir = cellDir.resolve("data-v2");
    Path runDir = cellDir.resolve("run-v2");
    if (!Files.isRegularFile(dataDir.resolve(PackedTokens.SIDECAR))) {
      pack(data, config.seed(), dataDir);
    }
    TrainResult trained = Trainer.train(config.train(), dataDir, runDir, listener, Device.cpu());
    double[][] directions;
    double accuracy;
    try (Transformer model = Trainer.loadModel(runDir, Device.cpu())) {
      Probed p =
          config.reading() == ToyConfig.Reading.CHAINS
              ? probe(model, config)
              : probeFeatures(model, config);
      directions = p.directions();
      accuracy = p.accuracy();
    }
    double[] e = Entanglement.of(directions);
    double rare = 0;
    double others = 0;
    for (int c = 0; c < data.chains(); c++) {
      for (int t = 0; t < data.vocab(); t++) {
        if (c == data.rareChain()) {
          rare += e[data.feature(c, t)] / data.vocab();
        } else {
          others += e[data.feature(c, t)] / (data.vocab() * (data.chains() - 1.0));
        }
      }
    }
    int dModel = config.train().model().dModel();
    double[][] chainDirs = new double[data.chains()][dModel];
    for (int c = 0; c < data.chains(); c++) {
      for (int t = 0; t < data.vocab(); t++) {
        double[] v = directions[data.feature(c, t)];
        for (int k = 0; k < v.length; k++) {
          chainDirs[c][k] += v[k] / data.vocab();
        }
      }
    }
    return new MarkovResult(
        config,
        e,
        rare,
        others,
        Entanglement.welchBound(data.features(), dModel),
        Entanglement.of(chainDirs),
        accuracy,
        trained.trainLoss(),
        trained.valLoss(),
        (System.nanoTime() - start) / 1e9,
        FeatureReading.randomBaseline(data.features(), dModel, 200, 1).estimate());
  }

  /**
   * The paper's reading ({@link ToyConfig.Reading#FEATURES}): fresh sequences from every chain,
   * bucketed by their last two tokens (context token, current token) until each bucket holds {@code
   * max(30, perFeature / vocab)}; per context token, the residuals at the last position go to
   * {@link FeatureReading}, each labelled with its feature (chain, current token).
   */
  static Probed probeFeatures(Transformer model, ToyConfig config) {
    MarkovConfig data = config.data();
    int len = config.train().model().context();
    int n = Math.max(30, config.probe().perFeature() / data.vocab());
    int v = data.vocab();
    List<List<int[]>> sequences = new ArrayList<>();
    List<List<Integer>> features = new ArrayList<>();
    for (int s = 0; s < v; s++) {
      sequences.add(new ArrayList<>());
      features.add(new ArrayList<>());
    }
    SplittableRandom rng = new SplittableRandom(config.seed() + 1_000_003L);
    for (int c = 0; c < data.chains(); c++) {
      int[][] filled = new int[v][v];
      int missing = v * v;
      while (missing > 0) {
        int[] seq = MarkovChains.sequence(data, c, len, rng);
        int context = seq[len - 2];
        int last = seq[len - 1];
        if (filled[context][last] < n) {
          sequences.get(context).add(seq);
          features.get(context).add(data.feature(c, last));
          if (++filled[context][last] == n) {
            missing--;
          }
        }
      }
    }
    List<double[][]> x = new ArrayList<>();
    List<int[]> labels = new ArrayList<>();
    for (int s = 0; s < v; s++) {
      x.add(residuals(model, sequences.get(s), config.probe().layer()));
      labels.add(features.get(s).stream().mapToInt(Integer::intValue).toArray());
    }
    FeatureReading.Result r =
        FeatureReading.directions(x, labels, data.features(), config.probe().fit(), config.seed());
    return new Probed(r.directions(), r.accuracy());
  }

  /**
   * Writes the training and validation streams (validation: a tenth as many tokens, another seed).
   */
  static void pack(MarkovConfig data, long seed, Path dir) {
    int[] train = MarkovChains.stream(data, data.trainTokens(), seed).ids();
    int[] validation =
        MarkovChains.stream(
                data,
                Math.max(data.trainTokens() / 10, 4 * (data.docLength() + 1)),
                seed ^ 0x5DEECE66DL)
            .ids();
    PackedTokens.packIds(
        Map.of("train", train, "validation", validation),
        data.vocab() + 1,
        data.separator(),
        "markov-toy",
        dir);
  }

  /** Unit probe normals per feature (chain * vocab + token) and the probes' mean accuracy. */
  record Probed(double[][] directions, double accuracy) {}

  /** Probes {@code model} as the class comment describes. */
  static Probed probe(Transformer model, ToyConfig config) {
    MarkovConfig data = config.data();
    ToyProbeConfig pc = config.probe();
    int len = config.train().model().context();
    int n = pc.perFeature();
    // sequences[t] holds, chain after chain, n sequences ending in t.
    List<List<int[]>> sequences = new ArrayList<>();
    for (int t = 0; t < data.vocab(); t++) {
      sequences.add(new ArrayList<>());
    }
    SplittableRandom rng = new SplittableRandom(config.seed() + 1_000_003L);
    for (int c = 0; c < data.chains(); c++) {
      int[] filled = new int[data.vocab()];
      int missing = data.vocab();
      while (missing > 0) {
        int[] s = MarkovChains.sequence(data, c, len, rng);
        int last = s[len - 1];
        if (filled[last] < n) {
          sequences.get(last).add(s);
          if (++filled[last] == n) {
            missing--;
          }
        }
      }
    }
    double[][] directions = new double[data.features()][];
    double accuracy = 0;
    for (int t = 0; t < data.vocab(); t++) {
      double[][] x = residuals(model, sequences.get(t), pc.layer());
      for (int c = 0; c < data.chains(); c++) {
        int[] labels = new int[x.length];
        for (int i = 0; i < x.length; i++) {
          labels[i] = i / n == c ? 1 : 0;
        }
        FeatureReading.Probe probe =
            FeatureReading.probe(x, labels, pc.fit().withSeed(config.seed() + t));
        directions[data.feature(c, t)] = probe.normal();
        accuracy += probe.accuracy() / data.features();
      }
    }
    return new Probed(directions, accuracy);
  }

  /** {@code blocks.{layer}.hook_resid_post} at the last position of each sequence. */
  static double[][] residuals(Transformer model, List<int[]> sequences, int layer) {
    String hook = HookName.residPost(layer);
    int len = sequences.get(0).length;
    double[][] out = new double[sequences.size()][];
    int chunk = 256;
    for (int from = 0; from < sequences.size(); from += chunk) {
      int b = Math.min(chunk, sequences.size() - from);
      long[] ids = new long[b * len];
      for (int i = 0; i < b; i++) {
        int[] s = sequences.get(from + i);
        for (int j = 0; j < len; j++) {
          ids[i * len + j] = s[j];
        }
      }
      try (NDManager m = model.manager().newSubManager();
          Hooks.ActivationCache cache = new Hooks.ActivationCache()) {
        NDArray tokens = m.create(ids, new Shape(b, len));
        model.forward(tokens, Hooks.caching(List.of(hook), cache));
        NDArray resid = cache.get(hook); // [b, len, d_model]
        int d = (int) resid.getShape().get(2);
        float[] last = resid.get(":, -1, :").toFloatArray();
        for (int i = 0; i < b; i++) {
          double[] row = new double[d];
          for (int k = 0; k < d; k++) {
            row[k] = last[i * d + k];
          }
          out[from + i] = row;
        }
      }
    }
    return out;
  }
}
