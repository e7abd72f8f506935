package org.antidote.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.antidote.tokenize.PackedTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer's pieces on their own: what the loop's listeners and a checkpoint's state do. */
class TrainPiecesTest {

  @TempDir static Path shared;
  @TempDir Path tmp;
  static Path data;

  @BeforeAll
  static void packData() {
    SplittableRandom r = new SplittableRandom(5);
    data = shared.resolve("data");
    PackedTokens.packIds(
        Map.of("train", TrainerTest.markov(r, 4_000), "validation", TrainerTest.markov(r, 1_000)),
        TrainerTest.VOCAB,
        0,
        "synthetic",
        data);
  }

  @Test
  void aNonFiniteLossOrGradientEndsTheRunNamingTheLastCheckpointAndALowerRate() {
    Path run = tmp.resolve("run");
    DivergenceGuard guard = new DivergenceGuard(run);
    try (TrainLoop loop = TrainLoop.open(TrainerTest.config(10), data, Device.cpu(), null)) {
      guard.lossComputed(loop, 1, 2.5);
      guard.afterStep(loop, new TrainLoop.Step(1, 0.01, 2.5, 1.0));
      Trainer.DivergedException e =
          assertThrows(
              Trainer.DivergedException.class, () -> guard.lossComputed(loop, 3, Double.NaN));
      assertTrue(e.getMessage().startsWith("training diverged at step 3"), e.getMessage());
      assertTrue(e.getMessage().contains("no checkpoint was written yet"), e.getMessage());
      assertTrue(e.getMessage().contains("(now 0.01, e.g. 0.0033"), e.getMessage());

      loop.checkpoint(run, "fingerprint");
      e =
          assertThrows(
              Trainer.DivergedException.class,
              () ->
                  guard.afterStep(
                      loop, new TrainLoop.Step(4, 0.01, 2.5, Double.POSITIVE_INFINITY)));
      assertTrue(
          e.getMessage()
              .contains(
                  "the last good checkpoint is "
                      + run.resolve("checkpoints/step-00000000.safetensors")
                      + " (step 0)"),
          e.getMessage());
    }
    TrainConfig fp16 = TrainerTest.config(10).withFp16(LossScaler.DEFAULT_SCALE);
    try (TrainLoop loop = TrainLoop.open(fp16, data, Device.cpu(), null)) {
      // Under a loss scale an overflowing gradient is a skipped step, not divergence...
      guard.afterStep(loop, new TrainLoop.Step(1, 0.01, 2.5, Double.POSITIVE_INFINITY));
      // ...but a non-finite loss still is.
      assertThrows(
          Trainer.DivergedException.class,
          () -> guard.lossComputed(loop, 1, Double.POSITIVE_INFINITY));
    }
  }

  @Test
  void aCheckpointRestoresTheStateThatWroteIt() {
    Path run = tmp.resolve("run");
    TrainConfig c = TrainerTest.config(10).withFp16(LossScaler.DEFAULT_SCALE);
    ResumeState written;
    try (TrainLoop loop = TrainLoop.open(c, data, Device.cpu(), null)) {
      loop.resume(new ResumeState(6, 48, 12.5, 5, 1024.0, 3));
      written = loop.state();
      written.save(run, loop.model(), loop.optimizer(), "fingerprint", c.keepCheckpoints());
    }
    assertEquals(6, written.step());
    assertEquals(48, written.drawn());
    assertEquals(1024.0, written.lossScale());
    assertEquals(3, written.cleanSteps());
    try (TrainLoop loop = TrainLoop.open(c, data, Device.cpu(), null)) {
      Path file = run.resolve("checkpoints/step-00000006.safetensors");
      ResumeState read = ResumeState.restore(file, "fingerprint", loop.model(), loop.optimizer());
      assertEquals(written, read);
      loop.resume(read);
      assertEquals(written.step(), loop.step());
      assertEquals(written.drawn(), loop.state().drawn());
      assertEquals(written.lossScale(), loop.lossScale());
    }
  }

  @Test
  void theCheckpointerWritesOnItsIntervalAndAtTheEndAndAnInterruptStopsBetweenSteps() {
    Path run = tmp.resolve("run");
    TrainConfig c = TrainerTest.config(12); // checkpoints every 10 steps
    try (TrainLoop loop = TrainLoop.open(c, data, Device.cpu(), null);
        RunFolder folder = RunFolder.lock(run)) {
      Checkpointer checkpoints = new Checkpointer(folder, "fingerprint", 0);
      for (int step : new int[] {5, 10, 11, 12}) {
        loop.resume(new ResumeState(step, 8L * step, 0, step, null, null)); // as if it had run
        checkpoints.afterStep(loop, new TrainLoop.Step(step, 0.01, 2.5, 1.0));
      }
      assertEquals(
          List.of(12, 10),
          Checkpoints.list(run).stream().map(Checkpoints::stepOf).toList(),
          "step 10 and the last, 12");
      checkpoints.beforeStep(loop);
      Thread.currentThread().interrupt();
      try {
        CancellationException e =
            assertThrows(CancellationException.class, () -> checkpoints.beforeStep(loop));
        assertTrue(e.getMessage().contains("resume from the last checkpoint"), e.getMessage());
      } finally {
        Thread.interrupted();
      }
    }
    assertTrue(Files.isDirectory(run), "the folder with its checkpoints stays");
  }
}
