package org.antidote.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import org.antidote.io.SafeTensors;
import org.antidote.model.Devices;
import org.antidote.model.DtypeSupport;
import org.antidote.model.ModelConfig;
import org.antidote.model.Precision;
import org.antidote.model.Preset;
import org.antidote.model.Transformer;
import org.antidote.tokenize.PackedTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * float16 training with float32 master weights and dynamic loss scaling, on the CPU. libtorch 2.5.1
 * computes float16 matrix products on the CPU too, so this runs the same casts and products a GPU
 * run makes (on slower kernels): what it proves is the numerics and the scaler, not GPU speed.
 */
class MixedPrecisionTest {

  static final int VOCAB = 32;
  static final ModelConfig TINY = Preset.TINY.config(VOCAB);

  @TempDir static Path shared;
  @TempDir Path tmp;
  static Path data;

  @BeforeAll
  static void packData() {
    SplittableRandom r = new SplittableRandom(3);
    data = shared.resolve("data");
    PackedTokens.packIds(
        Map.of("train", TrainerTest.markov(r, 40_000), "validation", TrainerTest.markov(r, 4_000)),
        VOCAB,
        0,
        "synthetic",
        data);
  }

  static TrainConfig config(int steps) {
    return TrainConfig.defaults(TINY, steps)
        .withBatch(8, 1)
        .withLr(1e-2)
        .withIntervals(5, steps, steps);
  }

  @Test
  void fp16TrainsTinyToWithinTwoPercentOfFp32() throws IOException {
    assertTrue(
        DtypeSupport.supported(Precision.FP16, Devices.cpu()),
        "float16 products should work on the CPU");
    TrainResult fp32 =
        Trainer.train(config(50), data, tmp.resolve("fp32"), TrainListener.silent(), Devices.cpu());
    TrainResult fp16 =
        Trainer.train(
            config(50).withFp16(LossScaler.DEFAULT_SCALE),
            data,
            tmp.resolve("fp16"),
            TrainListener.silent(),
            Devices.cpu());
    List<Metrics> lines = metrics(tmp.resolve("fp16"));
    System.out.printf(
        "tiny, 50 steps: fp32 val %.4f in %.1f s, fp16 val %.4f in %.1f s%n",
        fp32.valLoss(), fp32.seconds(), fp16.valLoss(), fp16.seconds());
    assertTrue(
        lines.get(lines.size() - 1).loss() < lines.get(0).loss() - 0.5,
        "fp16 loss should fall: first "
            + lines.get(0).loss()
            + ", last "
            + lines.get(lines.size() - 1).loss());
    double gap = Math.abs(fp16.valLoss() - fp32.valLoss()) / fp32.valLoss();
    assertTrue(
        gap < 0.02,
        "fp16 val loss " + fp16.valLoss() + " vs fp32 " + fp32.valLoss() + ": " + 100 * gap + " %");
    assertTrue(
        fp16.valLoss() < fp32.valLoss() * 1.02 && fp32.valLoss() < Math.log(VOCAB) - 0.5,
        "both learned");
    assertTrue(
        lines.get(0).lossScale() != null && lines.get(0).skippedSteps() != null,
        "fp16 lines carry the scale");
    // The products really were rounded: the two runs are not the same bits.
    assertFalse(
        fp16.valLoss() == fp32.valLoss(),
        "fp16 and fp32 gave identical losses: were products cast at all?");
  }

  @Test
  void anOverflowHalvesTheScaleAndSkipsTheStep() {
    double huge = Math.pow(2, 40); // loss x 2^40 overflows float16 gradients at once
    TrainConfig c =
        TrainConfig.defaults(TINY, 2)
            .withBatch(8, 1)
            .withLr(1e-2)
            .withIntervals(1, 2, 1)
            .withFp16(huge);
    Path run = tmp.resolve("overflow");
    Trainer.train(c, data, run, TrainListener.silent(), Devices.cpu());
    SafeTensors.Contents first = SafeTensors.read(Checkpoints.file(run, 1));
    assertEquals(
        huge / 2, Double.parseDouble(first.metadata().get(Checkpoints.LOSS_SCALE)), "halved once");
    assertEquals("0", first.metadata().get(Checkpoints.ADAM_STEPS), "no update applied");
    try (Transformer init = Transformer.create(TINY, c.seed(), Devices.cpu())) {
      init.state()
          .forEach(
              (name, t) ->
                  assertArrayEquals(
                      t.floats(),
                      first.tensors().get("model." + name).floats(),
                      "the skipped step left " + name + " untouched"));
    }
    List<Metrics> lines = metrics(run);
    assertEquals(1, lines.get(0).skippedSteps());
    assertEquals(huge / 2, lines.get(0).lossScale());
  }

  @Test
  void theScalerHalvesOnOverflowAndGrowsAfterCleanSteps() {
    LossScaler s = new LossScaler(1024, 0);
    assertFalse(s.update(false));
    assertEquals(512, s.scale());
    for (int i = 0; i < LossScaler.GROWTH_INTERVAL - 1; i++) {
      assertTrue(s.update(true));
    }
    assertEquals(512, s.scale());
    assertTrue(s.update(true));
    assertEquals(1024, s.scale());
    LossScaler floor = new LossScaler(1, 0);
    floor.update(false);
    assertEquals(1, floor.scale(), "never below one");
  }

  @Test
  void bf16IsRefusedBeforeAnyWorkWhereTheProbeFails() {
    TrainConfig c =
        new TrainConfig(
            TINY, 1, 8, 1, 2, 1e-2, 0.1, 1, 0.1, 0.9, 0.95, 1e-8, 1, 1, 1, 1, 1, 1, true, false, 0,
            false);
    if (DtypeSupport.supported(Precision.BF16, Devices.cpu())) {
      throw new AssertionError(
          "this engine now computes bfloat16 on the CPU: DJL's dtype table changed; "
              + "update DtypeSupport's refusal and this test");
    }
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                Trainer.train(c, data, tmp.resolve("bf16"), TrainListener.silent(), Devices.cpu()));
    assertTrue(
        e.getMessage().startsWith("--bf16: this engine") && e.getMessage().contains("use --fp16"),
        e.getMessage());
    assertFalse(Files.exists(tmp.resolve("bf16")), "nothing written");
  }

  static List<Metrics> metrics(Path run) {
    try {
      List<Metrics> out = new ArrayList<>();
      for (String l : Files.readAllLines(run.resolve("metrics.jsonl"))) {
        out.add(Json.MAPPER.readValue(l, Metrics.class));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
