package org.antidote.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.antidote.io.AtomicFiles;
import org.antidote.io.BadInputException;
import org.antidote.io.Checksums;
import org.antidote.io.Json;
import org.antidote.io.SafeTensors;
import org.antidote.io.Versions;
import org.antidote.model.Devices;
import org.antidote.model.DtypeSupport;
import org.antidote.model.Models;
import org.antidote.model.Precision;
import org.antidote.model.Transformer;
import org.antidote.tokenize.PackedTokens;

/**
 * Trains one model on packed tokens into a run folder, resuming from the newest checkpoint when the
 * folder already holds an unfinished run of the same config. A run killed at any moment and
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
   * Trains on the default device with the environment's progress display (a notebook's, or the
   * console's).
   */
  public static TrainResult train(TrainConfig config, Path data, Path runDir) {
    return train(config, data, runDir, TrainListener.auto());
  }

  /** Trains on the default device (a GPU if DJL sees one). */
  public static TrainResult train(
      TrainConfig config, Path data, Path runDir, TrainListener listener) {
    return train(config, data, runDir, listener, Transformer.defaultDevice());
  }

  /** Trains, or resumes, or returns the result of a finished run. */
  public static TrainResult train(
      TrainConfig config, Path data, Path runDir, TrainListener listener, Device device) {
    return train(config, data, runDir, listener, device, null);
  }

  /**
   * Fine-tunes: the same as {@link #train}, but starting from the weights in {@code initWeights} (a
   * finished run's {@code model.safetensors}) instead of a random initialisation. Supervised
   * fine-tuning on clean data, one of the paper's baselines, is this on a clean-only mixture.
   */
  public static TrainResult train(
      TrainConfig config,
      Path data,
      Path runDir,
      TrainListener listener,
      Device device,
      Path initWeights) {
    try (RunLock lock = RunLock.acquire(runDir)) {
      return trainLocked(config, data, runDir, listener, device, initWeights);
    }
  }

  private static TrainResult trainLocked(
      TrainConfig config,
      Path data,
      Path runDir,
      TrainListener listener,
      Device device,
      Path initWeights) {
    PackedTokens.Sidecar sidecar = PackedTokens.readSidecar(data);
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
    String runName = runDir.getFileName().toString();
    if (!device.isGpu()
        && (!"FALSE".equalsIgnoreCase(System.getenv("MKL_DYNAMIC"))
            || !String.valueOf(System.getenv("MKL_CBWR"))
                .toUpperCase(java.util.Locale.ROOT)
                .contains("STRICT")
            || !"avx2".equalsIgnoreCase(System.getenv("ATEN_CPU_CAPABILITY")))) {
      System.err.println(
          "note: set MKL_DYNAMIC=FALSE, MKL_CBWR=AVX2,STRICT and ATEN_CPU_CAPABILITY=avx2"
              + " (./antidote does) for bit-exact resume and the same weights on every x86"
              + " machine: without them MKL and PyTorch pick code paths by CPU and by load");
    }
    DataRef dataRef =
        new DataRef(
            data.toAbsolutePath().toString(),
            Checksums.sha256(data.resolve(PackedTokens.SIDECAR)),
            sidecar.tokenizer(),
            sidecar.splits().get("train").tokens(),
            sidecar.mixtureSha256());
    RunConfig runConfig =
        new RunConfig(FORMAT, config, dataRef, device.toString(), threads(), Versions.all());
    String fingerprint =
        initWeights == null
            ? fingerprint(config, dataRef)
            : Checksums.sha256(
                fingerprint(config, dataRef) + "|init:" + Checksums.sha256(initWeights));
    checkData(data, config);
    prepareFolder(runDir, runConfig, device);

    Path resultFile = runDir.resolve("result.json");
    if (Files.isRegularFile(resultFile)) {
      TrainResult done = Json.read(resultFile, TrainResult.class);
      listener.finished(done);
      return done;
    }

    try (StopSignals.Scope stoppable = StopSignals.training();
        Transformer model = Transformer.create(config.model(), config.seed(), device);
        AdamW optimizer = new AdamW(model, config);
        PackedTokens train = PackedTokens.open(data, "train");
        PackedTokens validation = PackedTokens.open(data, "validation")) {
      model.precision(precision);
      LossScaler scaler = config.fp16() ? new LossScaler(config.lossScale(), 0) : null;
      int skipped = 0;
      int window = config.model().context() + 1;
      PackedTokens.WindowSampler sampler = train.sampler(window, config.seed());
      if (validation.length() < window) {
        throw new BadInputException(
            "the validation split of "
                + data
                + " has "
                + validation.length()
                + " tokens, fewer than one window of context + 1 = "
                + window);
      }

      if (initWeights != null) {
        Map<String, SafeTensors.Tensor> init =
            new LinkedHashMap<>(SafeTensors.read(initWeights).tensors());
        init.keySet()
            .removeIf(
                k -> k.endsWith(".b_O")); // a baked intervention is not part of the weights to tune
        model.loadState(init);
      }
      int step = 0;
      double elapsedBefore = 0;
      List<Path> checkpoints = Checkpoints.list(runDir);
      if (!checkpoints.isEmpty()) {
        Path latest = checkpoints.get(0);
        SafeTensors.Contents c = Checkpoints.readChecked(latest, fingerprint);
        Map<String, SafeTensors.Tensor> weights = new LinkedHashMap<>();
        c.tensors()
            .forEach(
                (k, v) -> {
                  if (k.startsWith("model.")) {
                    weights.put(k.substring("model.".length()), v);
                  }
                });
        model.loadState(weights);
        step = Integer.parseInt(c.metadata().get(Checkpoints.STEP));
        optimizer.load(
            c.tensors(),
            Long.parseLong(
                c.metadata().getOrDefault(Checkpoints.ADAM_STEPS, Integer.toString(step))));
        if (scaler != null && c.metadata().containsKey(Checkpoints.LOSS_SCALE)) {
          scaler =
              new LossScaler(
                  Double.parseDouble(c.metadata().get(Checkpoints.LOSS_SCALE)),
                  Integer.parseInt(c.metadata().get(Checkpoints.CLEAN_STEPS)));
        }
        sampler.skipTo(Long.parseLong(c.metadata().get(Checkpoints.DRAWN)));
        elapsedBefore = Double.parseDouble(c.metadata().getOrDefault(Checkpoints.ELAPSED, "0"));
      }
      keepMetricsUpTo(runDir.resolve("metrics.jsonl"), step);
      listener.started(runName, config, step);

      long tokensPerStep = config.tokensPerStep();
      long start = System.nanoTime();
      double lossSum = 0;
      int lossCount = 0;
      long windowStart = System.nanoTime();
      int stepsInWindow = 0;
      Metrics last = null;
      try (BufferedWriter metrics =
          Files.newBufferedWriter(
              runDir.resolve("metrics.jsonl"),
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND)) {
        int checkpointed = step;
        while (step < config.steps()) {
          StopSignals.Caught signal = StopSignals.pending();
          if (signal != null) {
            String where = "the checkpoint of step " + checkpointed;
            if (step > checkpointed) {
              checkpoint(
                  runDir,
                  model,
                  optimizer,
                  sampler,
                  step,
                  fingerprint,
                  elapsedBefore + (System.nanoTime() - start) / 1e9,
                  config,
                  scaler);
              where = "a checkpoint at step " + step;
            }
            throw new StopSignals.Stopped(
                runName
                    + ": stopped by "
                    + signal.name()
                    + " after step "
                    + step
                    + "; "
                    + (step == 0 ? "nothing trained yet" : where + " holds it")
                    + ". Run the same command to resume.",
                signal.exitCode());
          }
          if (Thread.currentThread().isInterrupted()) {
            // A notebook's Interrupt: stop between steps; the last checkpoint stays for resuming.
            throw new java.util.concurrent.CancellationException(
                "training interrupted at step "
                    + step
                    + "; run the same call again to resume from the last checkpoint");
          }
          double lr = config.lrAt(step);
          double stepLoss = 0;
          float lossScale = scaler == null ? 1f : (float) scaler.scale();
          for (int micro = 0; micro < config.gradAccum(); micro++) {
            try (NDManager s = model.manager().newSubManager()) {
              NDArray[] batch = batch(s, sampler, config.batchSize(), window);
              UnaryOperator<NDArray> objective =
                  loss -> {
                    NDArray scaled = !config.fp16() ? loss : loss.mul(s.create(lossScale));
                    return config.gradAccum() == 1
                        ? scaled
                        : scaled.div(s.create(config.gradAccum()));
                  };
              stepLoss +=
                  model.backward(batch[0], batch[1], objective, config.checkpointActivations())
                      / config.gradAccum();
            }
          }
          if (!Double.isFinite(stepLoss)) {
            throw diverged(runDir, step + 1, stepLoss, config);
          }
          double gradNorm = optimizer.step(lr, 1f / lossScale);
          if (scaler != null) {
            // An fp16 overflow is not divergence: AdamW left the weights alone; halve the scale, go
            // on.
            if (!scaler.update(Double.isFinite(gradNorm))) {
              skipped++;
            }
          } else if (!Double.isFinite(gradNorm)) {
            throw diverged(runDir, step + 1, gradNorm, config);
          }
          step++;
          lossSum += stepLoss;
          lossCount++;
          stepsInWindow++;
          boolean end = step == config.steps();
          if (step % config.logEvery() == 0 || end || step % config.evalEvery() == 0) {
            // Throughput is measured before validation, which is not training work.
            double now = System.nanoTime();
            Double valLoss =
                step % config.evalEvery() == 0 || end ? evaluate(model, validation, config) : null;
            double elapsed = elapsedBefore + (now - start) / 1e9;
            double windowSeconds = (now - windowStart) / 1e9;
            double tps = stepsInWindow * tokensPerStep / Math.max(windowSeconds, 1e-9);
            last =
                new Metrics(
                    step,
                    step * tokensPerStep,
                    lossSum / lossCount,
                    lr,
                    gradNorm,
                    tps,
                    elapsed,
                    (config.steps() - step) * tokensPerStep / Math.max(tps, 1e-9),
                    valLoss,
                    scaler == null ? null : scaler.scale(),
                    scaler == null ? null : skipped);
            metrics.write(Json.line(last));
            metrics.write('\n');
            metrics.flush();
            listener.logged(last);
            lossSum = 0;
            lossCount = 0;
            stepsInWindow = 0;
            windowStart = System.nanoTime();
          }
          if (step % config.checkpointEvery() == 0 || end) {
            checkpoint(
                runDir,
                model,
                optimizer,
                sampler,
                step,
                fingerprint,
                elapsedBefore + (System.nanoTime() - start) / 1e9,
                config,
                scaler);
            checkpointed = step;
          }
        }
      } catch (IOException e) {
        throw AtomicFiles.writeFailure(runDir.resolve("metrics.jsonl"), e);
      }

      SafeTensors.write(
          runDir.resolve("model.safetensors"),
          model.state(),
          Map.of("antidote.run", runName, Checkpoints.FINGERPRINT, fingerprint));
      double seconds = last == null ? elapsedBefore : last.elapsedSeconds();
      double valLoss =
          last == null || last.valLoss() == null
              ? evaluate(model, validation, config)
              : last.valLoss();
      TrainResult result =
          new TrainResult(
              runName,
              step,
              step * tokensPerStep,
              last == null ? Double.NaN : last.loss(),
              valLoss,
              unigramLoss(train, validation, config.model().vocab()),
              seconds,
              step * tokensPerStep / Math.max(seconds, 1e-9),
              model.parameterCount(),
              device.toString(),
              Versions.all());
      Json.write(resultFile, result);
      listener.finished(result);
      return result;
    }
  }

  /** Everything the step after {@code step} needs: weights, optimiser moments, data position. */
  private static void checkpoint(
      Path runDir,
      Transformer model,
      AdamW optimizer,
      PackedTokens.WindowSampler sampler,
      int step,
      String fingerprint,
      double elapsed,
      TrainConfig config,
      LossScaler scaler) {
    Map<String, SafeTensors.Tensor> state = new LinkedHashMap<>();
    model.state().forEach((k, v) -> state.put("model." + k, v));
    state.putAll(optimizer.state());
    Map<String, String> meta =
        new LinkedHashMap<>(
            Map.of(
                Checkpoints.STEP,
                Integer.toString(step),
                Checkpoints.DRAWN,
                Long.toString(sampler.drawn()),
                Checkpoints.FINGERPRINT,
                fingerprint,
                Checkpoints.ELAPSED,
                Double.toString(elapsed),
                Checkpoints.ADAM_STEPS,
                Long.toString(optimizer.steps())));
    if (scaler != null) {
      meta.put(Checkpoints.LOSS_SCALE, Double.toString(scaler.scale()));
      meta.put(Checkpoints.CLEAN_STEPS, Integer.toString(scaler.cleanSteps()));
    }
    Checkpoints.write(runDir, step, state, meta, config.keepCheckpoints());
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
          NDArray[] batch = batch(s, sampler, config.batchSize(), window);
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
    Path f = dir.resolve("config.json");
    return Files.isRegularFile(f)
        && Json.read(f, com.fasterxml.jackson.databind.JsonNode.class).path("train").has("model");
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
    Path f = runDir.resolve("config.json");
    if (!Files.isRegularFile(f)) {
      throw new BadInputException(runDir + ": not a run folder (no config.json)");
    }
    return Json.read(f, RunConfig.class);
  }

  /** PyTorch's intra-op thread count in this process. */
  static int threads() {
    Engine.getInstance();
    return ai.djl.pytorch.jni.JniUtils.getNumThreads();
  }

  private static void prepareFolder(Path runDir, RunConfig runConfig, Device device) {
    Path f = runDir.resolve("config.json");
    if (Files.isRegularFile(f)) {
      RunConfig existing = Json.read(f, RunConfig.class);
      if (!existing.train().equals(runConfig.train())
          || !existing.data().sidecarSha256().equals(runConfig.data().sidecarSha256())) {
        throw new BadInputException(
            runDir
                + " holds a run with a different config or data (see its config.json);"
                + " choose another --out, or delete that folder to start over");
      }
      if (existing.threads() != null
          && !existing.threads().equals(runConfig.threads())
          && !device.isGpu()
          && !Files.isRegularFile(runDir.resolve("result.json"))
          && !Boolean.getBoolean(ANY_THREADS)) {
        throw new BadInputException(
            runDir
                + " started with "
                + existing.threads()
                + " threads and this process has "
                + runConfig.threads()
                + ": a resume is bit-exact only with the same count. Resume with ANTIDOTE_THREADS="
                + existing.threads()
                + " (or --cpus-per-task "
                + existing.threads()
                + " on Slurm), or add --any-threads to"
                + " resume anyway (the weights may then differ in their last bits from an uninterrupted run)");
      }
      return;
    }
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + runDir, e);
    }
    Json.write(f, runConfig);
  }

  static String fingerprint(TrainConfig config, DataRef data) {
    return Checksums.sha256(Json.line(config) + "|" + data.sidecarSha256());
  }

  private static NDArray[] batch(
      NDManager m, PackedTokens.WindowSampler sampler, int batchSize, int window) {
    int t = window - 1;
    long[] x = new long[batchSize * t];
    long[] y = new long[batchSize * t];
    for (int b = 0; b < batchSize; b++) {
      int[] w = sampler.next();
      for (int i = 0; i < t; i++) {
        x[b * t + i] = w[i];
        y[b * t + i] = w[i + 1];
      }
    }
    Shape shape = new Shape(batchSize, t);
    return new NDArray[] {m.create(x, shape), m.create(y, shape)};
  }

  /** Mean validation loss over evenly spaced windows: the same windows at every evaluation. */
  static double evaluate(Transformer model, PackedTokens validation, TrainConfig config) {
    int window = config.model().context() + 1;
    int n = config.evalBatches() * config.batchSize();
    long span = validation.length() - window;
    double sum = 0;
    int batches = 0;
    for (int start = 0; start < n; start += config.batchSize()) {
      int b = Math.min(config.batchSize(), n - start);
      long[] x = new long[b * (window - 1)];
      long[] y = new long[b * (window - 1)];
      for (int i = 0; i < b; i++) {
        long offset = n == 1 ? 0 : span * (start + i) / (n - 1);
        int[] w = validation.window(offset, window);
        for (int j = 0; j < window - 1; j++) {
          x[i * (window - 1) + j] = w[j];
          y[i * (window - 1) + j] = w[j + 1];
        }
      }
      try (NDManager s = model.manager().newSubManager()) {
        Shape shape = new Shape(b, window - 1);
        sum += model.loss(s.create(x, shape), s.create(y, shape)).getFloat();
        batches++;
      }
    }
    return sum / batches;
  }

  /** Cross-entropy on validation of the training tokens' add-one-smoothed unigram distribution. */
  static double unigramLoss(PackedTokens train, PackedTokens validation, int vocab) {
    long[] counts = new long[vocab];
    for (long i = 0; i < train.length(); i++) {
      counts[train.get(i)]++;
    }
    double total = train.length() + vocab;
    double sum = 0;
    for (long i = 0; i < validation.length(); i++) {
      sum -= StrictMath.log((counts[validation.get(i)] + 1) / total);
    }
    return sum / validation.length();
  }

  private static DivergedException diverged(
      Path runDir, int step, double value, TrainConfig config) {
    List<Path> cps = Checkpoints.list(runDir);
    String keep =
        cps.isEmpty()
            ? "no checkpoint was written yet"
            : "the last good checkpoint is "
                + cps.get(0)
                + " (step "
                + Checkpoints.stepOf(cps.get(0))
                + ")";
    return new DivergedException(
        "training diverged at step "
            + step
            + ": the loss or gradient became "
            + value
            + "; "
            + keep
            + ". Try a lower learning rate (now "
            + config.lr()
            + ", e.g. "
            + config.lr() / 3
            + ") in a new run folder.");
  }

  /** Rewrites {@code metrics.jsonl} without lines past {@code step} (left by a killed run). */
  private static void keepMetricsUpTo(Path file, int step) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try {
      List<String> keep = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        try {
          if (Json.MAPPER.readTree(line).path("step").asInt(Integer.MAX_VALUE) <= step) {
            keep.add(line);
          }
        } catch (IOException partial) {
          // A line cut short by a kill: dropped.
        }
      }
      AtomicFiles.writeString(file, keep.isEmpty() ? "" : String.join("\n", keep) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }
}
