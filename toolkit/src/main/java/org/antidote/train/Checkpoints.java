package org.antidote.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.antidote.io.AtomicFiles;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.io.SafeTensors;

/**
 * The {@code checkpoints/} folder of a run: {@code step-00001000.safetensors} files holding the
 * weights ({@code model.*}), the optimiser moments ({@code adam.*}) and, in the header, the step,
 * the data position and the fingerprint of the config that wrote them.
 */
final class Checkpoints {

  static final String STEP = "antidote.step";
  static final String DRAWN = "antidote.windows_drawn";
  static final String FINGERPRINT = "antidote.config_sha256";
  static final String ELAPSED = "antidote.elapsed_seconds";

  /** Updates AdamW applied: fewer than the steps when fp16 skipped overflowing ones. */
  static final String ADAM_STEPS = "antidote.adam_steps";

  /** An fp16 run's loss scale and clean steps since it last changed. */
  static final String LOSS_SCALE = "antidote.loss_scale";

  static final String CLEAN_STEPS = "antidote.loss_scale_clean_steps";
  private static final Pattern NAME = Pattern.compile("step-(\\d{8})\\.safetensors");

  private Checkpoints() {}

  static Path dir(Path run) {
    return run.resolve("checkpoints");
  }

  static Path file(Path run, int step) {
    return dir(run).resolve(String.format("step-%08d.safetensors", step));
  }

  /** Checkpoint files, newest first (temporary files of interrupted writes are ignored). */
  static List<Path> list(Path run) {
    if (!Files.isDirectory(dir(run))) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir(run))) {
      return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
          .sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + dir(run), e);
    }
  }

  static int stepOf(Path checkpoint) {
    Matcher m = NAME.matcher(checkpoint.getFileName().toString());
    Check.state(m.matches(), "not a checkpoint name: " + checkpoint);
    return Integer.parseInt(m.group(1));
  }

  /**
   * Reads a checkpoint, refusing one that is truncated, corrupt or from another config; the error
   * says which file and what to do.
   */
  static SafeTensors.Contents readChecked(Path file, String fingerprint) {
    SafeTensors.Contents c;
    try {
      c = SafeTensors.read(file);
    } catch (BadInputException e) {
      throw new BadInputException(
          "refusing to resume from "
              + file
              + ": "
              + e.getMessage()
              + ". Delete it to resume from the checkpoint before it.",
          e);
    }
    String saved = c.metadata().get(FINGERPRINT);
    if (!fingerprint.equals(saved)) {
      throw new BadInputException(
          "refusing to resume from "
              + file
              + ": it was written by a different config"
              + " (fingerprint "
              + saved
              + ", this run "
              + fingerprint
              + "). Use another run folder, or delete it.");
    }
    return c;
  }

  static void write(
      Path run,
      int step,
      Map<String, SafeTensors.Tensor> tensors,
      Map<String, String> meta,
      int keep) {
    try {
      Files.createDirectories(dir(run));
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + dir(run), e);
    }
    SafeTensors.write(file(run, step), tensors, meta);
    List<Path> all = list(run);
    for (int i = keep; i < all.size(); i++) {
      AtomicFiles.deleteQuietly(all.get(i));
    }
  }
}
