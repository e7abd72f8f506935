package org.antidote.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import org.antidote.model.ModelConfig;
import org.antidote.model.Preset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builder is the one source of training defaults, and they are the ones runs were made with.
 */
class TrainConfigTest {

  private static final ModelConfig MODEL = Preset.TINY.config(300);

  @TempDir Path tmp;

  @Test
  void defaultsAreTheRecipeRunsWereTrainedWith() {
    // The values TrainConfig.defaults spelled out before the builder: runs made then still match.
    TrainConfig before =
        new TrainConfig(
            MODEL,
            1,
            16,
            1,
            100,
            3e-3,
            0.1,
            5,
            0.1,
            0.9,
            0.95,
            1e-8,
            1.0,
            20,
            8,
            2,
            20,
            2,
            false,
            false,
            LossScaler.DEFAULT_SCALE,
            false);
    assertEquals(before, TrainConfig.defaults(MODEL, 100));
    assertEquals(before, TrainConfig.builder(MODEL).steps(100).build());
    assertEquals(600, TrainConfig.builder(MODEL).build().steps());
    assertEquals(1, TrainConfig.defaults(MODEL, 3).warmupSteps(), "at least one warm-up step");
  }

  @Test
  void withMethodsChangeOnlyWhatTheyName() {
    TrainConfig c = TrainConfig.defaults(MODEL, 100);
    assertEquals(c, c.toBuilder().build());
    assertEquals(c.toBuilder().seed(7).build(), c.withSeed(7));
    assertEquals(c.toBuilder().lr(1e-3).build(), c.withLr(1e-3));
    assertEquals(c.toBuilder().batchSize(4).gradAccum(3).build(), c.withBatch(4, 3));
    TrainConfig iv = c.withIntervals(1, 2, 3);
    assertEquals(1, iv.logEvery());
    assertEquals(2, iv.evalEvery());
    assertEquals(3, iv.checkpointEvery());
    TrainConfig fp16 = c.toBuilder().bf16(true).build().withFp16(1024);
    assertTrue(fp16.fp16() && !fp16.bf16());
    assertEquals(1024, fp16.lossScale());
    assertTrue(c.withCheckpointActivations(true).checkpointActivations());
    // withSteps keeps the warm-up's length (capped) and the intervals.
    TrainConfig longer = c.withSteps(1000);
    assertEquals(5, longer.warmupSteps());
    assertEquals(20, longer.evalEvery());
    assertEquals(1000, longer.steps());
    assertEquals(3, c.withSteps(3).warmupSteps());
  }

  @Test
  void aStoredConfigReadsBackEqual() {
    TrainConfig c = TrainConfig.defaults(MODEL, 50).withFp16(512);
    Path f = tmp.resolve("config.json");
    Json.write(f, c);
    assertEquals(c, Json.read(f, TrainConfig.class));
  }

  @Test
  void badValuesAreTheUsersAndNamed() {
    BadInputException e =
        assertThrows(
            BadInputException.class, () -> TrainConfig.builder(MODEL).batchSize(0).build());
    assertTrue(
        e.getMessage().contains("train config: batch size must be >= 1, got 0"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> TrainConfig.builder(null).build());
    assertTrue(e.getMessage().contains("model config"), e.getMessage());
    e =
        assertThrows(
            BadInputException.class,
            () -> TrainConfig.builder(MODEL).bf16(true).fp16(true).build());
    assertTrue(e.getMessage().contains("bf16 and fp16"), e.getMessage());
    e =
        assertThrows(
            BadInputException.class,
            () -> TrainConfig.builder(MODEL).steps(10).warmupSteps(11).build());
    assertTrue(e.getMessage().contains("warm-up"), e.getMessage());
  }
}
