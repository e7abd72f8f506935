package org.antidote.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.SplittableRandom;
import org.antidote.io.BadInputException;
import org.antidote.io.SafeTensors;
import org.antidote.model.ModelConfig;
import org.antidote.tokenize.PackedTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

  static final int VOCAB = 32;
  static final ModelConfig MODEL =
      new ModelConfig(2, 2, 32, 64, 16, VOCAB, 10_000, ModelConfig.Norm.LAYER_NORM, true, 0.02);

  @TempDir static Path shared;
  @TempDir Path tmp;
  static Path data;

  /** A stream where each token mostly determines the next: learnable, with a known floor. */
  @BeforeAll
  static void packData() {
    SplittableRandom r = new SplittableRandom(3);
    int[] train = markov(r, 40_000);
    int[] val = markov(r, 4_000);
    data = shared.resolve("data");
    PackedTokens.packIds(Map.of("train", train, "validation", val), VOCAB, 0, "synthetic", data);
  }

  static int[] markov(SplittableRandom r, int n) {
    int[] ids = new int[n];
    int cur = 1;
    for (int i = 0; i < n; i++) {
      cur = r.nextInt(10) < 8 ? 1 + (cur * 7 + 3) % (VOCAB - 1) : 1 + r.nextInt(VOCAB - 1);
      ids[i] = cur;
    }
    return ids;
  }

  static TrainConfig config(int steps) {
    return TrainConfig.defaults(MODEL, steps).withBatch(8, 1).withLr(1e-2).withIntervals(5, 20, 10);
  }

  @Test
  void lossFallsBelowUnigramAndUniform() throws IOException {
    TrainResult r =
        Trainer.train(config(120), data, tmp.resolve("run"), TrainListener.silent(), Device.cpu());
    assertTrue(
        r.valLoss() < Math.log(VOCAB) - 1,
        "val loss " + r.valLoss() + " vs ln(vocab) " + Math.log(VOCAB));
    assertTrue(
        r.valLoss() < r.unigramLoss() - 0.5,
        "val " + r.valLoss() + " vs unigram " + r.unigramLoss());
    assertTrue(Files.isRegularFile(tmp.resolve("run/model.safetensors")));
    assertTrue(Files.readAllLines(tmp.resolve("run/metrics.jsonl")).size() >= 120 / 5);
  }

  @Test
  void anInterruptedRunResumesToTheSameBytes() throws IOException {
    TrainConfig c = config(40);
    Trainer.train(c, data, tmp.resolve("straight"), TrainListener.silent(), Device.cpu());

    // Stop the second run right after its step-20 checkpoint, as a crash would.
    TrainListener crash =
        new TrainListener() {
          @Override
          public void logged(Metrics m) {
            if (m.step() == 25) {
              throw new IllegalStateException("simulated crash");
            }
          }
        };
    assertThrows(
        IllegalStateException.class,
        () -> Trainer.train(c, data, tmp.resolve("resumed"), crash, Device.cpu()));
    assertTrue(Files.isRegularFile(tmp.resolve("resumed/checkpoints/step-00000020.safetensors")));
    Trainer.train(c, data, tmp.resolve("resumed"), TrainListener.silent(), Device.cpu());
    var straight = SafeTensors.read(tmp.resolve("straight/model.safetensors")).tensors();
    var resumed = SafeTensors.read(tmp.resolve("resumed/model.safetensors")).tensors();
    assertEquals(straight.keySet(), resumed.keySet());
    straight.forEach(
        (name, t) -> assertArrayEquals(t.data(), resumed.get(name).data(), name + " differs"));
    assertEquals(
        Files.readAllLines(tmp.resolve("straight/metrics.jsonl")).size(),
        Files.readAllLines(tmp.resolve("resumed/metrics.jsonl")).size());
  }

  @Test
  void aTruncatedCheckpointIsRefused() throws IOException {
    TrainConfig c = config(20);
    TrainListener crash =
        new TrainListener() {
          @Override
          public void logged(Metrics m) {
            if (m.step() == 15) {
              throw new IllegalStateException("crash");
            }
          }
        };
    Path run = tmp.resolve("trunc");
    assertThrows(
        IllegalStateException.class, () -> Trainer.train(c, data, run, crash, Device.cpu()));
    Path cp = run.resolve("checkpoints/step-00000010.safetensors");
    try (FileChannel ch = FileChannel.open(cp, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 100);
    }
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> Trainer.train(c, data, run, TrainListener.silent(), Device.cpu()));
    assertTrue(e.getMessage().contains("refusing to resume from " + cp), e.getMessage());
  }

  @Test
  void aDifferentConfigInTheSameFolderIsRefused() {
    Path run = tmp.resolve("same");
    Trainer.train(config(10), data, run, TrainListener.silent(), Device.cpu());
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                Trainer.train(
                    config(10).withLr(5e-3), data, run, TrainListener.silent(), Device.cpu()));
    assertTrue(e.getMessage().contains("different config"), e.getMessage());
  }

  @Test
  void aModelThatDoesNotFitTheDataIsRefusedBeforeTraining() {
    TrainConfig c = TrainConfig.defaults(MODEL.withVocab(64), 10);
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> Trainer.train(c, data, tmp.resolve("x"), TrainListener.silent(), Device.cpu()));
    assertTrue(e.getMessage().contains("does not match the data's tokenizer"), e.getMessage());
    assertTrue(!Files.exists(tmp.resolve("x")), "nothing written");
  }

  @Test
  void scheduleWarmsUpThenDecays() {
    TrainConfig c = TrainConfig.defaults(MODEL, 100);
    assertTrue(c.lrAt(0) < c.lrAt(c.warmupSteps() - 1));
    assertEquals(c.lr(), c.lrAt(c.warmupSteps()), 1e-12);
    assertEquals(c.lr() * c.minLrRatio(), c.lrAt(100), 1e-9);
  }

  @Test
  void configValuesOutOfRangeAreRefused() {
    assertThrows(BadInputException.class, () -> TrainConfig.defaults(MODEL, 0));
    BadInputException e =
        assertThrows(BadInputException.class, () -> TrainConfig.defaults(MODEL, 10).withLr(2));
    assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
  }
}
