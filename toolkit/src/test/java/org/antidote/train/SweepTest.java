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
import org.antidote.tokenize.PackedTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {

  @TempDir Path tmp;

  @Test
  void aSweepCompletesAndAfterACrashResumesWhereItStopped() {
    Path a = tmp.resolve("data-a");
    Path b = tmp.resolve("data-b");
    SplittableRandom r = new SplittableRandom(1);
    PackedTokens.packIds(Map.of("train", TrainerTest.markov(r, 20_000), "validation", TrainerTest.markov(r, 2_000)),
        TrainerTest.VOCAB, 0, "synthetic", a);
    PackedTokens.packIds(Map.of("train", TrainerTest.markov(r, 20_000), "validation", TrainerTest.markov(r, 2_000)),
        TrainerTest.VOCAB, 0, "synthetic", b);
    TrainConfig c = TrainerTest.config(30);
    Path out = tmp.resolve("sweep");

    TrainListener crashInSecondRun = new TrainListener() {
      String run;

      @Override
      public void started(String name, TrainConfig config, int startStep) {
        run = name;
      }

      @Override
      public void logged(Metrics m) {
        if (run.startsWith("data-b") && m.step() == 25) {
          throw new IllegalStateException("crash");
        }
      }
    };
    assertThrows(IllegalStateException.class, () -> Sweep.run(List.of(a, b), List.of(1L), c, Sweep.Budget.SAME_CLEAN_TOKENS, out, crashInSecondRun,
        Device.cpu()));
    assertTrue(Files.isRegularFile(out.resolve("data-a-seed-1/result.json")));
    assertTrue(!Files.exists(out.resolve("data-b-seed-1/result.json")));

    List<Sweep.Row> rows = Sweep.run(List.of(a, b), List.of(1L), c, Sweep.Budget.SAME_CLEAN_TOKENS, out,
        TrainListener.silent(), Device.cpu());
    assertEquals(List.of("already done", "resumed"), rows.stream().map(Sweep.Row::status).toList());
    assertTrue(rows.stream().allMatch(x -> x.result().steps() == 30));
    assertTrue(Sweep.table(rows).contains("data-b-seed-1"));
    assertTrue(Files.isRegularFile(out.resolve("sweep.json")));
  }
}
