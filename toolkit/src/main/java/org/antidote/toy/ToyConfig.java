package org.antidote.toy;

/**
 * One cell of the toy experiment: data, model and training, probes, and the seed that drives all
 * three (data with {@code seed}, weights and window order with {@code seed}, probe data with
 * {@code seed + 1_000_003}).
 *
 * @param data the Markov chains and the rare share
 * @param train the model and its training
 * @param probe the probes
 * @param seed the cell's seed
 */
public record ToyConfig(MarkovConfig data, ToyTrainConfig train, ProbeConfig probe, long seed) {

  public ToyConfig {
    if (data == null || train == null || probe == null) {
      throw new IllegalArgumentException("toy config: data, train and probe configs are all required");
    }
    if (probe.layer() >= train.layers()) {
      throw new IllegalArgumentException("toy config: probe layer must be in [0, layers = " + train.layers() + "), got "
          + probe.layer());
    }
    // Each probe sees chains x perFeature points in d_model dimensions and has d_model + 1 weights.
    int minimum = 2 * (train.dModel() + 1);
    if (probe.perFeature() < minimum) {
      throw new IllegalArgumentException("toy config: " + data.features() + " features (chains " + data.chains()
          + " x vocab " + data.vocab() + ") cannot be separated by probes with " + probe.perFeature()
          + " sequences per feature in d_model = " + train.dModel() + " dimensions; give per feature >= "
          + minimum + " (twice the probe's d_model + 1 weights)");
    }
  }

  /** The paper's shape with the default budget, at {@code share} and {@code seed}. */
  public static ToyConfig defaults(double share, long seed) {
    ToyTrainConfig t = ToyTrainConfig.defaults();
    return new ToyConfig(MarkovConfig.defaults(share), t, ProbeConfig.defaults(t.layers()), seed);
  }

  /** The same at another share and seed. */
  public ToyConfig at(double share, long s) {
    return new ToyConfig(data.withShare(share), train, probe, s);
  }

  /** The same with other probes. */
  public ToyConfig withProbe(ProbeConfig p) {
    return new ToyConfig(data, train, p, seed);
  }

  /** The same with other training. */
  public ToyConfig withTrain(ToyTrainConfig t) {
    return new ToyConfig(data, t, probe, seed);
  }
}
