package org.antidote.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.antidote.io.BadInputException;
import org.antidote.model.Devices;
import org.antidote.model.ModelConfig;
import org.antidote.model.Precision;
import org.antidote.model.Preset;
import org.antidote.model.Transformer;
import org.antidote.tokenize.PackedTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory and time plan: its counts, its table for every preset, and train's refusal. */
class MemoryPlanTest {

  @TempDir Path tmp;

  @Test
  void everyPresetGetsATableAndOlmoOnAnH100IsPlanned() {
    for (Preset p : Preset.values()) {
      ModelConfig m = p.config();
      MemoryPlan plan =
          MemoryPlan.of(
              m,
              8,
              m.context(),
              1,
              Precision.FP16,
              false,
              0,
              MemoryPlan.Gpu.H100,
              0.4,
              MemoryPlan.PAPER_CLEAN_TOKENS);
      String s = plan.toString();
      for (String row :
          new String[] {
            "parameters",
            "optimiser state",
            "activations per micro-batch",
            "activations, checkpointed",
            "largest micro-batch",
            "one run",
            "paper's grid: 12 runs"
          }) {
        assertTrue(s.contains(row), p.id() + " lacks " + row + ":\n" + s);
      }
      assertTrue(
          plan.activationBytes(true) < plan.activationBytes(false),
          p.id() + ": checkpointing saves memory");
      assertTrue(plan.largestBatch(true) >= plan.largestBatch(false));
    }
    MemoryPlan olmo =
        MemoryPlan.of(
            Preset.OLMO_1B.config(),
            8,
            2048,
            1,
            Precision.FP16,
            false,
            0,
            MemoryPlan.Gpu.H100,
            0.4,
            MemoryPlan.PAPER_CLEAN_TOKENS);
    assertEquals(80e9, olmo.deviceBytes(), 1);
    assertEquals(16 * olmo.parameters() + 2 * olmo.parameters(), olmo.fixedBytes());
    // 6 shares x 2 seeds of 20.1B clean tokens / (1 - share)
    assertEquals(12, olmo.gridRuns());
    assertTrue(
        olmo.gridTokens() > 12 * MemoryPlan.PAPER_CLEAN_TOKENS && olmo.gridTokens() < 12 * 27e9);
    // Time is tokens x FLOPs / (MFU x peak).
    assertEquals(
        MemoryPlan.PAPER_CLEAN_TOKENS * olmo.flopsPerToken() / (0.4 * 989.4e12),
        olmo.seconds(MemoryPlan.PAPER_CLEAN_TOKENS),
        1);
  }

  @Test
  void theParameterCountIsTheModels() {
    ModelConfig t = Preset.TINY.config();
    for (ModelConfig m :
        new ModelConfig[] {
          t, new ModelConfig(3, 4, 64, 96, 32, 100, 10_000, ModelConfig.Norm.RMS_NORM, false, 0.02)
        }) {
      try (Transformer model = Transformer.create(m, 1, Devices.cpu())) {
        assertEquals(
            model.parameterCount(),
            MemoryPlan.of(
                    m,
                    1,
                    m.context(),
                    1,
                    Precision.FP32,
                    false,
                    1L << 40,
                    MemoryPlan.Gpu.H100,
                    0.4,
                    1)
                .parameters());
      }
    }
  }

  @Test
  void trainRefusesAPlanThatDoesNotFitBeforeAnyWork() {
    int vocab = 32;
    SplittableRandom r = new SplittableRandom(1);
    Path data = tmp.resolve("data");
    PackedTokens.packIds(
        Map.of(
            "train",
            r.ints(10_000, 0, vocab).toArray(),
            "validation",
            r.ints(5_000, 0, vocab).toArray()),
        vocab,
        0,
        "random",
        data);
    // olmo-1b's shape at 64 sequences of 2048: terabytes of activations, more than any machine
    // here.
    TrainConfig c = TrainConfig.defaults(Preset.OLMO_1B.config(vocab), 10).withBatch(64, 1);
    Path run = tmp.resolve("run");
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> Trainer.train(c, data, run, TrainListener.silent(), Devices.cpu()));
    assertTrue(
        e.getMessage().contains("this configuration needs about")
            && e.getMessage().contains("--grad-accum"),
        e.getMessage());
    assertFalse(Files.exists(run), "nothing written");
  }

  @Test
  void badPlanInputsNameTheFlag() {
    ModelConfig m = Preset.TINY.config();
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                MemoryPlan.of(
                    m, 1, 4096, 1, Precision.FP32, false, 0, MemoryPlan.Gpu.H100, 0.4, 1));
    assertTrue(e.getMessage().contains("--context 4096"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> MemoryPlan.Gpu.parse("a100"));
    assertTrue(e.getMessage().contains("--gpu must be H100 or H200"), e.getMessage());
  }
}
