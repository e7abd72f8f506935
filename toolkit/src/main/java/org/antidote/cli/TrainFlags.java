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

/** Model and optimiser flags shared by {@code train} and {@code sweep}. */
final class TrainFlags {

  @Option(
      names = "--preset",
      defaultValue = "small",
      description = "Model shape: tiny, small, gpt2-124m, olmo-1b (default: ${DEFAULT-VALUE}).")
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

  @Option(
      names = "--steps",
      defaultValue = "600",
      description = "Optimiser steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--batch-size",
      defaultValue = "16",
      description = "Sequences per micro-batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--grad-accum",
      defaultValue = "1",
      description = "Micro-batches per step (default: ${DEFAULT-VALUE}).")
  int gradAccum;

  @Option(
      names = "--lr",
      defaultValue = "3e-3",
      description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(
      names = "--min-lr-ratio",
      defaultValue = "0.1",
      description = "Final learning rate / peak (default: ${DEFAULT-VALUE}).")
  double minLrRatio;

  @Option(names = "--warmup", description = "Warm-up steps (default: 5%% of steps).")
  Integer warmup;

  @Option(
      names = "--weight-decay",
      defaultValue = "0.1",
      description = "AdamW weight decay on matrices (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(
      names = "--grad-clip",
      defaultValue = "1.0",
      description = "Global gradient norm clip, 0 = off (default: ${DEFAULT-VALUE}).")
  double gradClip;

  @Option(names = "--eval-every", description = "Validation every N steps (default: steps / 5).")
  Integer evalEvery;

  @Option(
      names = "--eval-batches",
      defaultValue = "8",
      description = "Validation micro-batches (default: ${DEFAULT-VALUE}).")
  int evalBatches;

  @Option(names = "--log-every", description = "Metrics line every N steps (default: steps / 50).")
  Integer logEvery;

  @Option(
      names = "--checkpoint-every",
      description = "Checkpoint every N steps (default: steps / 5).")
  Integer checkpointEvery;

  @Option(
      names = "--keep-checkpoints",
      defaultValue = "2",
      description = "Newest checkpoints kept (default: ${DEFAULT-VALUE}).")
  int keepCheckpoints;

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
      defaultValue = "65536",
      description = "First loss scale of an --fp16 run (default: ${DEFAULT-VALUE}).")
  double lossScale;

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
    ModelConfig base = p.config(PackedTokens.readSidecar(data).vocabSize());
    ModelConfig m =
        new ModelConfig(
            layers != null ? layers : base.layers(),
            heads != null ? heads : base.heads(),
            dModel != null ? dModel : base.dModel(),
            dMlp != null ? dMlp : base.dMlp(),
            context != null ? context : base.context(),
            base.vocab(),
            base.ropeTheta(),
            norm != null ? ModelConfig.Norm.parse(norm) : base.norm(),
            !untied && base.tieEmbeddings(),
            base.initStd());
    int every = Math.max(1, steps / 5);
    return new TrainConfig(
        m,
        seed,
        batchSize,
        gradAccum,
        steps,
        lr,
        minLrRatio,
        warmup != null ? warmup : Math.max(1, steps / 20),
        weightDecay,
        0.9,
        0.95,
        1e-8,
        gradClip,
        evalEvery != null ? evalEvery : every,
        evalBatches,
        logEvery != null ? logEvery : Math.max(1, steps / 50),
        checkpointEvery != null ? checkpointEvery : every,
        keepCheckpoints,
        bf16,
        fp16,
        lossScale,
        checkpointActivations);
  }
}
