package org.antidote.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.antidote.io.SafeTensors;
import org.antidote.model.Transformer;

/**
 * Everything beside the weights and optimiser moments that the step after {@code step} needs, as a
 * checkpoint's header holds it: with the tensors it makes a resumed run continue bit for bit.
 *
 * @param step optimiser steps done
 * @param drawn training windows drawn so far (the data position)
 * @param elapsedSeconds training time so far, all processes
 * @param adamSteps updates AdamW applied (fewer than {@code step} when fp16 skipped overflowing
 *     ones)
 * @param lossScale an fp16 run's loss scale, else null
 * @param cleanSteps an fp16 run's clean steps since the scale last changed, else null
 */
record ResumeState(
    int step,
    long drawn,
    double elapsedSeconds,
    long adamSteps,
    Double lossScale,
    Integer cleanSteps) {

  /** A run that has not trained yet. */
  static ResumeState fresh() {
    return new ResumeState(0, 0, 0, 0, null, null);
  }

  /**
   * Reads {@code checkpoint} (refusing one that is corrupt or from another config), puts its
   * weights into {@code model} and its moments into {@code optimizer}, and returns the rest.
   */
  static ResumeState restore(
      Path checkpoint, String fingerprint, Transformer model, AdamW optimizer) {
    SafeTensors.Contents c = Checkpoints.readChecked(checkpoint, fingerprint);
    Map<String, SafeTensors.Tensor> weights = new LinkedHashMap<>();
    c.tensors()
        .forEach(
            (k, v) -> {
              if (k.startsWith("model.")) {
                weights.put(k.substring("model.".length()), v);
              }
            });
    model.loadState(weights);
    Map<String, String> meta = c.metadata();
    int step = Integer.parseInt(meta.get(Checkpoints.STEP));
    long adamSteps =
        Long.parseLong(meta.getOrDefault(Checkpoints.ADAM_STEPS, Integer.toString(step)));
    optimizer.load(c.tensors(), adamSteps);
    boolean scaled = meta.containsKey(Checkpoints.LOSS_SCALE);
    return new ResumeState(
        step,
        Long.parseLong(meta.get(Checkpoints.DRAWN)),
        Double.parseDouble(meta.getOrDefault(Checkpoints.ELAPSED, "0")),
        adamSteps,
        scaled ? Double.parseDouble(meta.get(Checkpoints.LOSS_SCALE)) : null,
        scaled ? Integer.parseInt(meta.get(Checkpoints.CLEAN_STEPS)) : null);
  }

  /**
   * Writes this state with {@code model}'s weights and {@code optimizer}'s moments as the run's
   * checkpoint of {@link #step}, keeping the newest {@code keep}.
   */
  void save(Path runDir, Transformer model, AdamW optimizer, String fingerprint, int keep) {
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    model.state().forEach((k, v) -> tensors.put("model." + k, v));
    tensors.putAll(optimizer.state());
    Map<String, String> meta =
        new LinkedHashMap<>(
            Map.of(
                Checkpoints.STEP,
                Integer.toString(step),
                Checkpoints.DRAWN,
                Long.toString(drawn),
                Checkpoints.FINGERPRINT,
                fingerprint,
                Checkpoints.ELAPSED,
                Double.toString(elapsedSeconds),
                Checkpoints.ADAM_STEPS,
                Long.toString(adamSteps)));
    if (lossScale != null) {
      meta.put(Checkpoints.LOSS_SCALE, Double.toString(lossScale));
      meta.put(Checkpoints.CLEAN_STEPS, Integer.toString(cleanSteps));
    }
    Checkpoints.write(runDir, step, tensors, meta, keep);
  }
}
