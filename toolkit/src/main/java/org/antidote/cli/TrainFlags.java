package org.antidote.cli;

import ai.djl.Device;
import java.nio.file.Path;
import org.antidote.io.BadInputException;
import org.antidote.model.ModelConfig;
import org.antidote.model.Preset;
import org.antidote.tokenize.PackedTokens;
import org.antidote.train.TrainConfig;
import org.antidote.train.Trainer;
import picocli.CommandLine.Option;

/**
 * Model and optimiser flags shared by {@code train} and {@code sweep}. Their defaults are {@link
 * TrainConfig.Builder}'s (the fields start at its values, which {@code --help} shows); the interval
 * flags left unset follow the steps as the builder's do.
 */
final class TrainFlags {

  /** The builder's defaults (the model here is a placeholder: the data fixes the vocabulary). */
  static final TrainConfig DEFAULTS = TrainConfig.builder(Preset.SMALL.config()).build();

  @Option(
      names = "--preset",
      defaultValue = "small",
      description =
          "Model shape: tiny, mini, compact, small, gpt2-124m, olmo-1b (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(names = "--layers", description = "Override the preset's layers.")
  Integer layers;

  @Option(names = "--heads", description = "Override the preset's heads.")
  Integer heads;

  @Option(names = "--d-model", description = "Override the preset's residual width.")
  Integer dModel;

  @Option(names = "--d-mlp", description = "Override the preset's MLP width.")
  Integer dMlp;

  @Option(names = "--context", description = "Override the preset's context length.")
  Integer context;

  @Option(names = "--norm", description = "layernorm (non-parametric, OLMo-1B) or rmsnorm.")
  String norm;

  @Option(
      names = "--untied",
      description = "Separate unembedding matrix (default: tied to the embedding).")
  boolean untied;

  @Option(names = "--steps", description = "Optimiser steps (default: ${DEFAULT-VALUE}).")
  int steps = DEFAULTS.steps();

  @Option(
      names = "--batch-size",
      description = "Sequences per micro-batch (default: ${DEFAULT-VALUE}).")
  int batchSize = DEFAULTS.batchSize();

  @Option(
      names = "--grad-accum",
      description = "Micro-batches per step (default: ${DEFAULT-VALUE}).")
  int gradAccum = DEFAULTS.gradAccum();

  @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr = DEFAULTS.lr();

  @Option(
      names = "--min-lr-ratio",
      description = "Final learning rate / peak (default: ${DEFAULT-VALUE}).")
  double minLrRatio = DEFAULTS.minLrRatio();

  @Option(names = "--warmup", description = "Warm-up steps (default: 5%% of steps).")
  Integer warmup;

  @Option(
      names = "--weight-decay",
      description = "AdamW weight decay on matrices (default: ${DEFAULT-VALUE}).")
  double weightDecay = DEFAULTS.weightDecay();

  @Option(
      names = "--grad-clip",
      description = "Global gradient norm clip, 0 = off (default: ${DEFAULT-VALUE}).")
  double gradClip = DEFAULTS.gradClip();

  @Option(names = "--eval-every", description = "Validation every N steps (default: steps / 5).")
  Integer evalEvery;

  @Option(
      names = "--eval-batches",
      description = "Validation micro-batches (default: ${DEFAULT-VALUE}).")
  int evalBatches = DEFAULTS.evalBatches();

  @Option(names = "--log-every", description = "Metrics line every N steps (default: steps / 50).")
  Integer logEvery;

  @Option(
      names = "--checkpoint-every",
      description = "Checkpoint every N steps (default: steps / 5).")
  Integer checkpointEvery;

  @Option(
      names = "--keep-checkpoints",
      description = "Newest checkpoints kept (default: ${DEFAULT-VALUE}).")
  int keepCheckpoints = DEFAULTS.keepCheckpoints();

  @Option(
      names = "--bf16",
      description = {
        "bfloat16 matrix products, where the engine can (probed once in a child",
        "process; DJL 0.33 cannot and the run is refused: use --fp16)."
      })
  boolean bf16;

  @Option(
      names = "--fp16",
      description =
          "float16 matrix products; float32 weights, moments and loss; dynamic loss scaling.")
  boolean fp16;

  @Option(
      names = "--loss-scale",
      description = "First loss scale of an --fp16 run (default: ${DEFAULT-VALUE}).")
  double lossScale = DEFAULTS.lossScale();

  @Option(
      names = "--checkpoint-activations",
      description = "Recompute each block in backward: same gradients, less memory.")
  boolean checkpointActivations;

  @Option(names = "--force", description = "Train a GPU-sized preset on the CPU anyway.")
  boolean force;

  @picocli.CommandLine.Mixin DeviceOption deviceOption = new DeviceOption();

  @Option(
      names = "--any-threads",
      description = {
        "Resume a CPU run under another thread count than it started with",
        "(it continues, but not bit for bit like an uninterrupted run)."
      })
  boolean anyThreads;

  Device device() {
    return deviceOption.device();
  }

  /** The train config for packed data in {@code data} (the vocabulary comes from its sidecar). */
  TrainConfig config(Path data, long seed) {
    return config(PackedTokens.readSidecar(data).vocabSize(), seed);
  }

  /** The train config for a vocabulary of {@code vocab} tokens. */
  TrainConfig config(int vocab, long seed) {
    if (anyThreads) {
      System.setProperty(Trainer.ANY_THREADS, "true"); // read by the trainer when it resumes
    }
    Preset p = Preset.parse(preset);
    if (p.gpuOnly() && !device().isGpu() && !force) {
      throw new BadInputException(
          "preset "
              + p.id()
              + " is sized for a GPU and DJL sees none; use tiny or small,"
              + " or add --force to train it on the CPU anyway");
    }
    ModelConfig.Builder m = p.config(vocab).toBuilder();
    if (layers != null) {
      m.layers(layers);
    }
    if (heads != null) {
      m.heads(heads);
    }
    if (dModel != null) {
      m.dModel(dModel);
    }
    if (dMlp != null) {
      m.dMlp(dMlp);
    }
    if (context != null) {
      m.context(context);
    }
    if (norm != null) {
      m.norm(ModelConfig.Norm.parse(norm));
    }
    if (untied) {
      m.tieEmbeddings(false);
    }
    return TrainConfig.builder(m.build())
        .seed(seed)
        .batchSize(batchSize)
        .gradAccum(gradAccum)
        .steps(steps)
        .lr(lr)
        .minLrRatio(minLrRatio)
        .warmupSteps(warmup)
        .weightDecay(weightDecay)
        .gradClip(gradClip)
        .evalEvery(evalEvery)
        .evalBatches(evalBatches)
        .logEvery(logEvery)
        .checkpointEvery(checkpointEvery)
        .keepCheckpoints(keepCheckpoints)
        .bf16(bf16)
        .fp16(fp16)
        .lossScale(lossScale)
        .checkpointActivations(checkpointActivations)
        .build();
  }
}
