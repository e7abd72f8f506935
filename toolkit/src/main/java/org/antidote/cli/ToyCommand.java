package org.antidote.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.antidote.toy.MarkovConfig;
import org.antidote.toy.ProbeConfig;
import org.antidote.toy.Superposition;
import org.antidote.toy.SuperpositionConfig;
import org.antidote.toy.ToyConfig;
import org.antidote.toy.ToySweep;
import org.antidote.toy.ToyTrainConfig;
import org.antidote.train.TrainListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./antidote toy}: the toy experiments of the study's section 1. */
@Command(
    name = "toy",
    mixinStandardHelpOptions = true,
    description = {
      "The toy experiments of the study's section 1:",
      "  markov         entanglement of Markov-chain features vs. the share of one chain",
      "  superposition  the superposition toy with one feature's frequency varied"
    },
    subcommands = {ToyCommand.Markov.class, ToyCommand.Superpose.class})
final class ToyCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code ./antidote toy markov}. */
  @Command(
      name = "markov",
      mixinStandardHelpOptions = true,
      description = {
        "Entanglement of Markov-chain features vs. the share of one chain.",
        "Trains one tiny transformer per (share, seed) on cyclic Markov chains,",
        "probes its residual stream, and prints mean +- std entanglement of the",
        "rare chain's features and of the others. Resumable: finished cells in",
        "OUT are skipped. Writes OUT/probe-*/summary.csv and entanglement.html."
      })
  static final class Markov implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Sweep folder.")
    Path out;

    @Option(
        names = "--shares",
        split = ",",
        description = "Shares of the rare chain (default: 0.05,0.10,...,0.45).")
    List<Double> shares;

    @Option(
        names = "--seeds",
        defaultValue = "10",
        description = "Seeds 1..N (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
        names = "--chains",
        defaultValue = "3",
        description = "Markov chains (default: ${DEFAULT-VALUE}).")
    int chains;

    @Option(
        names = "--vocab",
        defaultValue = "4",
        description = "Shared vocabulary (default: ${DEFAULT-VALUE}).")
    int vocab;

    @Option(
        names = "--rare-chain",
        defaultValue = "0",
        description = "Which chain is rare (default: ${DEFAULT-VALUE}).")
    int rareChain;

    @Option(
        names = "--stay",
        defaultValue = "0.9",
        description = "Probability of following the cycle (default: ${DEFAULT-VALUE}).")
    double stay;

    @Option(
        names = "--doc-length",
        defaultValue = "256",
        description = "Tokens per one-chain document (default: ${DEFAULT-VALUE}).")
    int docLength;

    @Option(
        names = "--train-tokens",
        defaultValue = "100000",
        description = "Training tokens (default: ${DEFAULT-VALUE}).")
    int trainTokens;

    @Option(
        names = "--layers",
        defaultValue = "4",
        description = "Transformer blocks (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(
        names = "--d-model",
        defaultValue = "4",
        description = "Residual width (default: ${DEFAULT-VALUE}).")
    int dModel;

    @Option(
        names = "--heads",
        defaultValue = "2",
        description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(
        names = "--d-mlp",
        defaultValue = "16",
        description = "MLP width (default: ${DEFAULT-VALUE}).")
    int dMlp;

    @Option(
        names = "--seq-len",
        defaultValue = "32",
        description = "Training window and probe length (default: ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(
        names = "--optimizer",
        defaultValue = "adamw",
        description = "adamw or adam (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(
        names = "--lr",
        defaultValue = "1e-2",
        description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(
        names = "--steps",
        defaultValue = "1000",
        description = "Optimiser steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
        names = "--batch",
        defaultValue = "32",
        description = "Windows per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", description = "Warm-up steps (default: 5%% of steps).")
    Integer warmup;

    @Option(
        names = "--weight-decay",
        description = "Weight decay (default: 0.1 for adamw, 0 for adam).")
    Double weightDecay;

    @Option(
        names = "--beta1",
        defaultValue = "0.9",
        description = "Adam beta1 (default: ${DEFAULT-VALUE}).")
    double beta1;

    @Option(
        names = "--beta2",
        defaultValue = "0.95",
        description = "Adam beta2 (default: ${DEFAULT-VALUE}).")
    double beta2;

    @Option(
        names = "--grad-clip",
        defaultValue = "1.0",
        description = "Gradient clip, 0 = off (default: ${DEFAULT-VALUE}).")
    double gradClip;

    @Option(
        names = "--init-std",
        defaultValue = "0.3",
        description = "Std of the initial weights (default: ${DEFAULT-VALUE}).")
    double initStd;

    @Option(
        names = "--first-seed",
        defaultValue = "1",
        description = "First seed; seeds run first..first+N-1 (default: ${DEFAULT-VALUE}).")
    long firstSeed;

    @Option(
        names = "--probe-layer",
        description = "Block whose resid_post is probed (default: the last).")
    Integer probeLayer;

    @Option(
        names = "--probe-per-feature",
        defaultValue = "200",
        description = "Probe sequences per (chain, last token) (default: ${DEFAULT-VALUE}).")
    int perFeature;

    @Option(
        names = "--probe-iterations",
        defaultValue = "500",
        description = "Probe gradient-descent iterations (default: ${DEFAULT-VALUE}).")
    int probeIterations;

    @Option(
        names = "--probe-lr",
        defaultValue = "0.5",
        description = "Probe step size (default: ${DEFAULT-VALUE}).")
    double probeLr;

    @Option(
        names = "--probe-l2",
        defaultValue = "1e-3",
        description = "Probe L2 penalty (default: ${DEFAULT-VALUE}).")
    double probeL2;

    @Option(
        names = "--reading",
        defaultValue = "features",
        description =
            "features (the paper's: a probe per feature"
                + " against the other 11, normals averaged over the vocabulary) or chains (chain vs the other chains, the"
                + " earlier reading) (default: ${DEFAULT-VALUE}).")
    String reading;

    @Override
    public Integer call() {
      List<Double> s = shares == null ? ToySweep.defaultShares() : shares;
      double wd =
          weightDecay != null ? weightDecay : optimizer.strip().equalsIgnoreCase("adam") ? 0 : 0.1;
      ToyTrainConfig train =
          new ToyTrainConfig(
              layers,
              dModel,
              heads,
              dMlp,
              seqLen,
              optimizer,
              lr,
              steps,
              batch,
              warmup != null ? warmup : Math.max(1, steps / 20),
              wd,
              beta1,
              beta2,
              gradClip,
              initStd);
      ProbeConfig probe =
          new ProbeConfig(
              probeLayer != null ? probeLayer : layers - 1,
              perFeature,
              probeIterations,
              probeLr,
              probeL2);
      ToyConfig base =
          new ToyConfig(
              new MarkovConfig(chains, vocab, rareChain, s.get(0), stay, docLength, trainTokens),
              train,
              probe,
              1,
              ToyConfig.Reading.parse(reading));
      ToySweep.Summary summary =
          ToySweep.run(
              base,
              s,
              ToySweep.seeds(firstSeed, seeds),
              out,
              TrainListener.silent(),
              r ->
                  System.err.printf(
                      Locale.ROOT,
                      "share %.3f seed %d: rare %.3f others %.3f, random vectors %.3f (probe acc"
                          + " %.3f, val loss %.3f, %.1f s)%n",
                      r.config().data().rareShare(),
                      r.config().seed(),
                      r.rareMean(),
                      r.othersMean(),
                      r.randomBaseline(),
                      r.probeAccuracy(),
                      r.valLoss(),
                      r.seconds()));
      System.out.println(summary);
      return 0;
    }
  }

  /** {@code ./antidote toy superposition}. */
  @Command(
      name = "superposition",
      mixinStandardHelpOptions = true,
      description = {
        "The superposition toy of Elhage et al. (2022) with one frequency varied.",
        "n sparse features through m < n dimensions, x' = ReLU(W^T W x + b).",
        "Varies the activation probability of feature 0 and prints, mean +- std",
        "over seeds, its interference (max |cos| with another represented",
        "column), its overlap (sum over j != 0 of (W_0/|W_0| . W_j)^2) and |W_0|."
      })
  static final class Superpose implements Callable<Integer> {
    @Option(
        names = "--n",
        defaultValue = "20",
        description = "Features (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(
        names = "--m",
        defaultValue = "5",
        description = "Hidden dimensions (default: ${DEFAULT-VALUE}).")
    int m;

    @Option(
        names = "--p",
        defaultValue = "0.05",
        description = "Activation probability of every other feature (default: ${DEFAULT-VALUE}).")
    double p;

    @Option(
        names = "--importance-decay",
        defaultValue = "1.0",
        description = "Importance of feature i = decay^i (default: ${DEFAULT-VALUE}).")
    double decay;

    @Option(
        names = "--p0",
        split = ",",
        defaultValue = "0.01,0.02,0.05,0.1,0.2,0.5,1.0",
        description = "Activation probabilities of feature 0 (default: ${DEFAULT-VALUE}).")
    List<Double> p0;

    @Option(
        names = "--seeds",
        defaultValue = "5",
        description = "Seeds 1..N (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
        names = "--steps",
        defaultValue = "4000",
        description = "Adam steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
        names = "--batch",
        defaultValue = "512",
        description = "Samples per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
        names = "--lr",
        defaultValue = "1e-2",
        description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Override
    public Integer call() {
      SuperpositionConfig c =
          new SuperpositionConfig(n, m, p, decay, p0.get(0), steps, batch, lr, 1);
      System.out.println(Superposition.sweep(c, p0, ToySweep.seeds(seeds)).printAll());
      return 0;
    }
  }
}
