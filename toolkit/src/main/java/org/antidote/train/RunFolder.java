package org.antidote.train;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.antidote.io.AtomicFiles;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import org.antidote.io.SafeTensors;

/**
 * One run's folder while a trainer holds it: the lock, the paths, {@code config.json} (written
 * once, then checked against on every resume), {@code metrics.jsonl}, the final weights and {@code
 * result.json}. Every file but the appended metrics is written to a temporary name and renamed.
 */
final class RunFolder implements AutoCloseable {

  static final String CONFIG = "config.json";
  static final String METRICS = "metrics.jsonl";
  static final String RESULT = "result.json";
  static final String MODEL = "model.safetensors";

  private final Path dir;
  private final RunLock lock;

  private RunFolder(Path dir, RunLock lock) {
    this.dir = dir;
    this.lock = lock;
  }

  /** Takes the folder (made if missing), refusing one another process trains in. */
  static RunFolder lock(Path dir) {
    return new RunFolder(dir, RunLock.acquire(dir));
  }

  Path dir() {
    return dir;
  }

  /** The folder's name, which names the run in progress lines and results. */
  String name() {
    return dir.getFileName().toString();
  }

  /** Reads a run folder's {@code config.json}. */
  static Trainer.RunConfig readConfig(Path dir) {
    Path f = dir.resolve(CONFIG);
    if (!Files.isRegularFile(f)) {
      throw new BadInputException(dir + ": not a run folder (no config.json)");
    }
    return Json.read(f, Trainer.RunConfig.class);
  }

  /**
   * Whether {@code dir} is a toolkit run folder (rather than, say, a Hugging Face model folder).
   */
  static boolean isRun(Path dir) {
    Path f = dir.resolve(CONFIG);
    return Files.isRegularFile(f) && Json.read(f, JsonNode.class).path("train").has("model");
  }

  /**
   * Writes {@code config.json} for a new run, or checks that the run already here has the same
   * config and data and, on the CPU, the same thread count (which a bit-exact resume needs).
   */
  void prepare(Trainer.RunConfig runConfig, Device device) {
    Path f = dir.resolve(CONFIG);
    if (!Files.isRegularFile(f)) {
      Json.write(f, runConfig);
      return;
    }
    Trainer.RunConfig existing = Json.read(f, Trainer.RunConfig.class);
    if (!existing.train().equals(runConfig.train())
        || !existing.data().sidecarSha256().equals(runConfig.data().sidecarSha256())) {
      throw new BadInputException(
          dir
              + " holds a run with a different config or data (see its config.json);"
              + " choose another --out, or delete that folder to start over");
    }
    if (existing.threads() != null
        && !existing.threads().equals(runConfig.threads())
        && !device.isGpu()
        && !Files.isRegularFile(dir.resolve(RESULT))
        && !Boolean.getBoolean(Trainer.ANY_THREADS)) {
      throw new BadInputException(
          dir
              + " started with "
              + existing.threads()
              + " threads and this process has "
              + runConfig.threads()
              + ": a resume is bit-exact only with the same count. Resume with ANTIDOTE_THREADS="
              + existing.threads()
              + " (or --cpus-per-task "
              + existing.threads()
              + " on Slurm), or add --any-threads to resume anyway (the weights may then differ"
              + " in their last bits from an uninterrupted run)");
    }
  }

  /** The result of a finished run (its {@code result.json}), if it finished. */
  Optional<TrainResult> finished() {
    Path f = dir.resolve(RESULT);
    return Files.isRegularFile(f) ? Optional.of(Json.read(f, TrainResult.class)) : Optional.empty();
  }

  /** Writes the final weights, tagged with the run and the fingerprint of what trained them. */
  void writeModel(Map<String, SafeTensors.Tensor> state, String fingerprint) {
    SafeTensors.write(
        dir.resolve(MODEL),
        state,
        Map.of("antidote.run", name(), Checkpoints.FINGERPRINT, fingerprint));
  }

  /** Writes {@code result.json}, which marks the run finished. */
  void writeResult(TrainResult result) {
    Json.write(dir.resolve(RESULT), result);
  }

  /** The newest checkpoint, if any. */
  Optional<Path> latestCheckpoint() {
    List<Path> all = Checkpoints.list(dir);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /**
   * Opens {@code metrics.jsonl} for appending after dropping its lines past {@code step} (left by a
   * killed run, whose checkpoint is older than its last lines).
   */
  BufferedWriter appendMetrics(int step) {
    Path f = dir.resolve(METRICS);
    keepMetricsUpTo(f, step);
    try {
      return Files.newBufferedWriter(
          f, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw AtomicFiles.writeFailure(f, e);
    }
  }

  /** Appends one line to {@code metrics.jsonl} and flushes it, so a kill loses no logged line. */
  void log(BufferedWriter metrics, Metrics line) {
    try {
      metrics.write(Json.line(line));
      metrics.write('\n');
      metrics.flush();
    } catch (IOException e) {
      throw AtomicFiles.writeFailure(dir.resolve(METRICS), e);
    }
  }

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

  @Override
  public void close() {
    lock.close();
  }
}
