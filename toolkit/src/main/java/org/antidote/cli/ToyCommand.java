package org.antidote.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.antidote.io.Check;
import org.antidote.model.ModelConfig;
import org.antidote.probe.ProbeConfig;
import org.antidote.toy.MarkovConfig;
import org.antidote.toy.Superposition;
import org.antidote.toy.SuperpositionConfig;
import org.antidote.toy.ToyConfig;
import org.antidote.toy.ToyProbeConfig;
import org.antidote.toy.ToySweep;
import org.antidote.train.TrainConfig;
import org.antidote.train.TrainListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
        "OUT are skipped. Writes OUT/probe-*/summary.csv and entanglement.html.",
        "Takes train's flags with the toy's defaults, but only the model's shape",
        "(--layers, --heads, --d-model, --d-mlp, --context, --norm, --untied) and",
        "--steps, --batch-size, --lr, --warmup, --weight-decay and --grad-clip apply;",
        "the others are refused: a toy run is a float32 model on the CPU with one",
        "validation and one checkpoint at the end."
      },
      defaultValueProvider = Markov.Defaults.class)
  static final class Markov implements Callable<Integer> {

    /** The probe package's default fit, whose split and class minimum the toy keeps. */
    private static final ProbeConfig FIT = ProbeConfig.defaults();

    /** Train's flags the toy takes; the rest set what a toy run fixes (CPU, float32, schedule). */
    static final Set<String> TAKES =
        Set.of(
            "--layers",
            "--heads",
            "--d-model",
            "--d-mlp",
            "--context",
            "--norm",
            "--untied",
            "--steps",
            "--batch-size",
            "--lr",
            "--warmup",
            "--weight-decay",
            "--grad-clip");

    /**
     * The toy's defaults for the flags it shares with {@code train} and for its own training and
     * probe flags, all read from {@link ToyConfig#defaultTrain()} and {@link
     * ProbeConfig#defaults()} (picocli prefers these to a mixin's annotated defaults, in parsing
     * and in the help).
     */
    static final class Defaults implements IDefaultValueProvider {
      @Override
      public String defaultValue(ArgSpec arg) {
        if (!arg.isOption()) {
          return null;
        }
        TrainConfig t = ToyConfig.defaultTrain();
        ModelConfig m = t.model();
        Object v =
            switch (((OptionSpec) arg).longestName()) {
              case "--layers" -> m.layers();
              case "--heads" -> m.heads();
              case "--d-model" -> m.dModel();
              case "--d-mlp" -> m.dMlp();
              case "--context" -> m.context();
              case "--init-std" -> m.initStd();
              case "--steps" -> t.steps();
              case "--batch-size" -> t.batchSize();
              case "--lr" -> t.lr();
              case "--grad-clip" -> t.gradClip();
              case "--beta1" -> t.beta1();
              case "--beta2" -> t.beta2();
              case "--probe-l2" -> FIT.l2();
              case "--probe-iterations" -> FIT.iterations();
              default -> null;
            };
        return v == null ? null : String.valueOf(v);
      }
    }

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

    @Mixin TrainFlags train;

    @Option(
        names = "--optimizer",
        defaultValue = "adamw",
        description = "adamw or adam (AdamW without weight decay) (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--beta1", description = "Adam beta1 (default: ${DEFAULT-VALUE}).")
    double beta1;

    @Option(names = "--beta2", description = "Adam beta2 (default: ${DEFAULT-VALUE}).")
    double beta2;

    @Option(
        names = "--init-std",
        description = "Std of the initial weights (default: ${DEFAULT-VALUE}).")
    double initStd;

    /** The toy's name for --context before it took train's flags. */
    @Option(names = "--seq-len", hidden = true)
    Integer seqLen;

    /** The toy's name for --batch-size before it took train's flags. */
    @Option(names = "--batch", hidden = true)
    Integer batch;

    /** Gone with gradient descent: refused with a sentence rather than "unknown option". */
    @Option(names = "--probe-lr", hidden = true)
    Double probeLr;

    @Spec CommandSpec spec;

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

    @Option(names = "--probe-l2", description = "Probe L2 penalty (default: ${DEFAULT-VALUE}).")
    double probeL2;

    @Option(
        names = "--probe-iterations",
        description = "Newton iterations per probe at most (default: ${DEFAULT-VALUE}).")
    int probeIterations;

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
      List<Double> s = shares();
      ToyConfig base = base();
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

    /** The sweep's first cell as the flags describe it (share: the first, seed 1). */
    ToyConfig base() {
      refuseTrainFlagsTheToyIgnores();
      Check.input(
          seqLen == null || !matched("--context"), "give one of --context and --seq-len, not both");
      Check.input(
          batch == null || !matched("--batch-size"),
          "give one of --batch-size and --batch, not both");
      ModelConfig model =
          new ModelConfig(
              train.layers,
              train.heads,
              train.dModel,
              train.dMlp,
              seqLen != null ? seqLen : train.context,
              2, // the cell sets the data's vocabulary
              ToyConfig.defaultModel().ropeTheta(),
              train.norm != null
                  ? ModelConfig.Norm.parse(train.norm)
                  : ToyConfig.defaultModel().norm(),
              !train.untied,
              initStd);
      TrainConfig t =
          ToyConfig.train(
              model,
              train.steps,
              batch != null ? batch : train.batchSize,
              train.lr,
              train.warmup != null ? train.warmup : Math.max(1, train.steps / 20),
              ToyConfig.weightDecay(
                  optimizer, matched("--weight-decay") ? train.weightDecay : null),
              beta1,
              beta2,
              train.gradClip);
      ToyProbeConfig probe =
          new ToyProbeConfig(
              probeLayer != null ? probeLayer : model.layers() - 1,
              perFeature,
              new ProbeConfig(
                  FIT.seed(), FIT.trainFraction(), probeL2, probeIterations, FIT.minPerClass()));
      return new ToyConfig(
          new MarkovConfig(chains, vocab, rareChain, shares().get(0), stay, docLength, trainTokens),
          t,
          probe,
          1,
          ToyConfig.Reading.parse(reading));
    }

    private List<Double> shares() {
      return shares == null ? ToySweep.defaultShares() : shares;
    }

    private boolean matched(String option) {
      return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private void refuseTrainFlagsTheToyIgnores() {
      Check.input(
          probeLr == null,
          "--probe-lr is gone: the toy's probes are fitted by Newton's method, which takes no step"
              + " size (see --probe-iterations and --probe-l2)");
      for (OptionSpec o : spec.mixins().get("train").options()) {
        Check.input(
            TAKES.contains(o.longestName()) || !matched(o.longestName()),
            o.longestName()
                + " is a train flag the toy does not take: a toy run is a float32 model on the"
                + " CPU with one validation and checkpoint at the end");
      }
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
