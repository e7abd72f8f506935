package org.antidote.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.io.Checksums;
import org.antidote.io.Json;
import org.antidote.io.Versions;
import org.antidote.model.Devices;
import org.antidote.model.DtypeSupport;
import org.antidote.model.Models;
import org.antidote.model.Precision;
import org.antidote.model.Transformer;
import org.antidote.tokenize.PackedTokens;

/**
 * Trains one model on packed tokens into a run folder, resuming from the newest checkpoint when the
 * folder already holds an unfinished run of the same config. The pieces: a {@link RunFolder} (lock,
 * files), a {@link ResumeState} (what a checkpoint holds), the {@link TrainLoop}, and its listeners
 * for checkpoints ({@link Checkpointer}), divergence ({@link DivergenceGuard}) and progress ({@link
 * MetricsLog}, which feeds the caller's {@link TrainListener}). A run killed at any moment and
 * restarted with the same arguments ends with the same weights, bit for bit on the CPU, as one that
 * was never interrupted: the weights, optimiser moments, step and data position are all in the
 * checkpoint, and nothing else is random.
 *
 * <pre>
 * runs/share-10/
 *   config.json            train and model config, data fingerprint, versions, device
 *   metrics.jsonl          one line per log step (loss, lr, grad norm, tokens/s, val loss)
 *   checkpoints/step-*.safetensors
 *   model.safetensors      final weights (when finished)
 *   result.json            final losses and throughput (its presence marks the run finished)
 * </pre>
 */
public final class Trainer {

  private Trainer() {}

  /**
   * What {@code config.json} holds; {@code threads} is the intra-op thread count it trains with
   * (null in runs made before it was recorded), which a bit-exact resume on the CPU must keep.
   */
  public record RunConfig(
      String format,
      TrainConfig train,
      DataRef data,
      String device,
      Integer threads,
      Map<String, String> versions) {}

  /**
   * System property that lets a CPU run resume under another thread count than it started with
   * ({@code --any-threads}): it continues correctly, but its last bits may differ from an
   * uninterrupted run's.
   */
  public static final String ANY_THREADS = "antidote.resume.anyThreads";

  /** The packed data a run trains on, identified by its sidecar's checksum. */
  public record DataRef(
      String dir, String sidecarSha256, String tokenizer, long trainTokens, String mixtureSha256) {}

  /** Format tag of {@code config.json}. */
  public static final String FORMAT = "antidote-run/1";

  /** A run diverged: the loss became NaN or infinite. */
  public static final class DivergedException extends RuntimeException {
    DivergedException(String message) {
      super(message);
    }
  }

  /**
   * Trains on the default device (a GPU if DJL sees one) with the environment's progress display
   * ({@link TrainListener#auto()}: a notebook's, or the console's).
   */
  public static TrainResult train(TrainConfig config, Path data, Path runDir) {
    return train(config, data, runDir, TrainListener.auto(), Transformer.defaultDevice());
  }

  /** Trains, or resumes, or returns the result of a finished run. */
  public static TrainResult train(
      TrainConfig config, Path data, Path runDir, TrainListener listener, Device device) {
    return run(config, data, runDir, listener, device, null);
  }

  /**
   * Fine-tunes: the same as {@link #train}, but starting from the weights in {@code initWeights} (a
   * finished run's {@code model.safetensors}) instead of a random initialisation. Supervised
   * fine-tuning on clean data, one of the paper's baselines, is this on a clean-only mixture.
   */
  public static TrainResult fineTune(
      TrainConfig config,
      Path data,
      Path runDir,
      TrainListener listener,
      Device device,
      Path initWeights) {
    return run(
        config,
        data,
        runDir,
        listener,
        device,
        Check.present("fine-tuning: the starting weights", initWeights));
  }

  private static TrainResult run(
      TrainConfig config,
      Path data,
      Path runDir,
      TrainListener listener,
      Device device,
      Path initWeights) {
    try (RunFolder folder = RunFolder.lock(runDir)) {
      PackedTokens.Sidecar sidecar = PackedTokens.readSidecar(data);
      refuseWhatCannotRun(config, data, sidecar, device, runDir);
      DataRef dataRef =
          new DataRef(
              data.toAbsolutePath().toString(),
              Checksums.sha256(data.resolve(PackedTokens.SIDECAR)),
              sidecar.tokenizer(),
              sidecar.splits().get("train").tokens(),
              sidecar.mixtureSha256());
      String fingerprint =
          initWeights == null
              ? fingerprint(config, dataRef)
              : Checksums.sha256(
                  fingerprint(config, dataRef) + "|init:" + Checksums.sha256(initWeights));
      folder.prepare(
          new RunConfig(FORMAT, config, dataRef, device.toString(), threads(), Versions.all()),
          device);
      Optional<TrainResult> done = folder.finished();
      if (done.isPresent()) {
        listener.finished(done.get());
        return done.get();
      }
      try (StopSignals.Scope stoppable = StopSignals.training();
          TrainLoop loop = TrainLoop.open(config, data, device, initWeights)) {
        ResumeState resumed =
            folder
                .latestCheckpoint()
                .map(cp -> ResumeState.restore(cp, fingerprint, loop.model(), loop.optimizer()))
                .orElse(ResumeState.fresh());
        loop.resume(resumed);
        Metrics last;
        try (MetricsLog progress = new MetricsLog(folder, resumed.step(), listener)) {
          listener.started(folder.name(), config, resumed.step());
          loop.run(
              List.of(
                  new DivergenceGuard(runDir),
                  progress,
                  new Checkpointer(folder, fingerprint, resumed.step())));
          last = progress.last();
        }
        folder.writeModel(loop.model().state(), fingerprint);
        TrainResult result = result(folder.name(), loop, last, resumed, device);
        folder.writeResult(result);
        listener.finished(result);
        return result;
      }
    }
  }

  /** The end of a run; {@code last} is the last metrics line of this process, or null. */
  private static TrainResult result(
      String run, TrainLoop loop, Metrics last, ResumeState resumed, Device device) {
    int step = loop.step();
    long tokens = step * loop.config().tokensPerStep();
    double seconds = last == null ? resumed.elapsedSeconds() : last.elapsedSeconds();
    return new TrainResult(
        run,
        step,
        tokens,
        last == null ? Double.NaN : last.loss(),
        last == null || last.valLoss() == null ? loop.validationLoss() : last.valLoss(),
        loop.unigramLoss(),
        seconds,
        tokens / Math.max(seconds, 1e-9),
        loop.model().parameterCount(),
        device.toString(),
        Versions.all());
  }

  /**
   * Refuses, before any work, a run that cannot go: a vocabulary other than the data's, a dtype the
   * device lacks, a model that does not fit in its memory, data shorter than one window. Notes an
   * environment in which a CPU resume may not be bit-exact.
   */
  private static void refuseWhatCannotRun(
      TrainConfig config, Path data, PackedTokens.Sidecar sidecar, Device device, Path runDir) {
    if (sidecar.vocabSize() != config.model().vocab()) {
      throw new BadInputException(
          "model vocabulary "
              + config.model().vocab()
              + " does not match the data's tokenizer ("
              + sidecar.vocabSize()
              + " tokens in "
              + data.resolve(PackedTokens.SIDECAR)
              + "); fit the preset to the data");
    }
    Precision precision = config.precision();
    if (!DtypeSupport.supported(precision, device)) {
      throw new BadInputException(DtypeSupport.refusal(precision, device));
    }
    MemoryPlan plan = MemoryPlan.of(config, Devices.memoryBytes(device));
    if (!plan.fits()) {
      throw new BadInputException(runDir + ": " + plan.refusal(Devices.name(device)));
    }
    if (!device.isGpu()
        && (!"FALSE".equalsIgnoreCase(System.getenv("MKL_DYNAMIC"))
            || !String.valueOf(System.getenv("MKL_CBWR"))
                .toUpperCase(Locale.ROOT)
                .contains("STRICT")
            || !"avx2".equalsIgnoreCase(System.getenv("ATEN_CPU_CAPABILITY")))) {
      System.err.println(
          "note: set MKL_DYNAMIC=FALSE, MKL_CBWR=AVX2,STRICT and ATEN_CPU_CAPABILITY=avx2"
              + " (./antidote does) for bit-exact resume and the same weights on every x86"
              + " machine: without them MKL and PyTorch pick code paths by CPU and by load");
    }
    checkData(data, config);
  }

  /**
   * Where a training step's time goes: mean milliseconds per step of making the batch, the forward
   * pass with the loss, the backward pass, and the optimiser update (each phase waits for its
   * result, so the split is honest on asynchronous devices too). Writes nothing.
   */
  public static Map<String, Double> profile(
      TrainConfig config, Path data, int warmup, int steps, Device device) {
    Map<String, Double> ms = new LinkedHashMap<>();
    for (String phase : List.of("batch", "forward", "backward", "optimizer")) {
      ms.put(phase, 0.0);
    }
    try (Transformer model = Transformer.create(config.model(), config.seed(), device);
        AdamW optimizer = new AdamW(model, config);
        PackedTokens train = PackedTokens.open(data, "train")) {
      int window = config.model().context() + 1;
      PackedTokens.WindowSampler sampler = train.sampler(window, config.seed());
      for (int step = 0; step < warmup + steps; step++) {
        boolean timed = step >= warmup;
        try (NDManager s = model.manager().newSubManager()) {
          long t0 = System.nanoTime();
          NDArray[] batch = TrainLoop.batch(s, sampler, config.batchSize(), window);
          long t1 = System.nanoTime();
          long t2;
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = model.loss(batch[0], batch[1]);
            loss.getFloat();
            t2 = System.nanoTime();
            gc.backward(loss);
            NDArray g = model.parameters().values().iterator().next().getGradient();
            g.attach(s);
            g.getFloat(0, 0);
          }
          long t3 = System.nanoTime();
          optimizer.step(config.lrAt(step));
          long t4 = System.nanoTime();
          if (timed) {
            ms.merge("batch", (t1 - t0) / 1e6 / steps, Double::sum);
            ms.merge("forward", (t2 - t1) / 1e6 / steps, Double::sum);
            ms.merge("backward", (t3 - t2) / 1e6 / steps, Double::sum);
            ms.merge("optimizer", (t4 - t3) / 1e6 / steps, Double::sum);
          }
        }
      }
    }
    return ms;
  }

  /** Loads the final weights of a finished run (through {@link Models#load}, the one loader). */
  public static Transformer loadModel(Path runDir, Device device) {
    readConfig(runDir);
    return Models.load(runDir, device).model();
  }

  /**
   * Whether {@code dir} is a toolkit run folder (rather than, say, a Hugging Face model folder).
   */
  public static boolean isRun(Path dir) {
    return RunFolder.isRun(dir);
  }

  /**
   * Refuses data the run could not use (a missing or truncated token file, splits shorter than one
   * window) before the run folder exists, so a refused command leaves nothing behind.
   */
  private static void checkData(Path data, TrainConfig config) {
    int window = config.model().context() + 1;
    for (String split : List.of("train", "validation")) {
      try (PackedTokens t = PackedTokens.open(data, split)) {
        if (t.length() < window) {
          throw new BadInputException(
              "the "
                  + split
                  + " split of "
                  + data
                  + " has "
                  + t.length()
                  + " tokens, fewer than one window of context + 1 = "
                  + window
                  + "; use a shorter --context or more data");
        }
      }
    }
  }

  /** Reads a run folder's {@code config.json}. */
  public static RunConfig readConfig(Path runDir) {
    return RunFolder.readConfig(runDir);
  }

  /** PyTorch's intra-op thread count in this process. */
  static int threads() {
    Engine.getInstance();
    return JniUtils.getNumThreads();
  }

  static String fingerprint(TrainConfig config, DataRef data) {
    return Checksums.sha256(Json.line(config) + "|" + data.sidecarSha256());
  }
}
