package org.antidote.toy;

/**
 * One cell of the toy experiment: data, model and training, probes, and the seed that drives all
 * three (data with {@code seed}, weights and window order with {@code seed}, probe data with {@code
 * seed + 1_000_003}).
 *
 * @param data the Markov chains and the rare share
 * @param train the model and its training
 * @param probe the probes
 * @param seed the cell's seed
 * @param reading how feature directions are read (null only in cells stored before readings
 *     existed)
 */
public record ToyConfig(
    MarkovConfig data, ToyTrainConfig train, ProbeConfig probe, long seed, Reading reading) {

  /** How feature directions are read off the residual stream. */
  public enum Reading {
    /**
     * The paper's: per context token, a probe for each of the 12 features (chain x current token)
     * against the other 11; a feature's direction is the mean of its unit normals over the
     * vocabulary ({@link FeatureReading}).
     */
    FEATURES,
    /**
     * The earlier reading: per last token, "this chain vs the other chains" probes ({@link
     * MarkovToy}).
     */
    CHAINS;

    /** Parses "features" or "chains". */
    public static Reading parse(String s) {
      return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "features" -> FEATURES;
        case "chains" -> CHAINS;
        default ->
            throw new org.antidote.io.BadInputException(
                "--reading '" + s + "' is not features or chains");
      };
    }
  }

  /** A cell read the paper's way. */
  public ToyConfig(MarkovConfig data, ToyTrainConfig train, ProbeConfig probe, long seed) {
    this(data, train, probe, seed, Reading.FEATURES);
  }

  public ToyConfig {
    if (data == null || train == null || probe == null) {
      throw new IllegalArgumentException(
          "toy config: data, train and probe configs are all required");
    }
    if (probe.layer() >= train.layers()) {
      throw new IllegalArgumentException(
          "toy config: probe layer must be in [0, layers = "
              + train.layers()
              + "), got "
              + probe.layer());
    }
    // Each probe sees chains x perFeature points in d_model dimensions and has d_model + 1 weights.
    int minimum = 2 * (train.dModel() + 1);
    if (probe.perFeature() < minimum) {
      throw new IllegalArgumentException(
          "toy config: "
              + data.features()
              + " features (chains "
              + data.chains()
              + " x vocab "
              + data.vocab()
              + ") cannot be separated by probes with "
              + probe.perFeature()
              + " sequences per feature in d_model = "
              + train.dModel()
              + " dimensions; give per feature >= "
              + minimum
              + " (twice the probe's d_model + 1 weights)");
    }
  }

  /** The paper's shape with the default budget, at {@code share} and {@code seed}. */
  public static ToyConfig defaults(double share, long seed) {
    ToyTrainConfig t = ToyTrainConfig.defaults();
    return new ToyConfig(MarkovConfig.defaults(share), t, ProbeConfig.defaults(t.layers()), seed);
  }

  /** The same at another share and seed. */
  public ToyConfig at(double share, long s) {
    return new ToyConfig(data.withShare(share), train, probe, s, reading);
  }

  /** The same with other probes. */
  public ToyConfig withProbe(ProbeConfig p) {
    return new ToyConfig(data, train, p, seed, reading);
  }

  /** The same with other training. */
  public ToyConfig withTrain(ToyTrainConfig t) {
    return new ToyConfig(data, t, probe, seed, reading);
  }

  /** The same read another way. */
  public ToyConfig withReading(Reading r) {
    return new ToyConfig(data, train, probe, seed, r);
  }
}
