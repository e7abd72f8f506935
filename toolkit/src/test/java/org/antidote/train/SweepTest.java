package org.antidote.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.antidote.corpus.Corpus;
import org.antidote.corpus.Document;
import org.antidote.corpus.DocumentWriter;
import org.antidote.io.BadInputException;
import org.antidote.mix.MixConfig;
import org.antidote.mix.Mixer;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.BpeTrainerConfig;
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
    PackedTokens.packIds(
        Map.of("train", TrainerTest.markov(r, 20_000), "validation", TrainerTest.markov(r, 2_000)),
        TrainerTest.VOCAB,
        0,
        "synthetic",
        a);
    PackedTokens.packIds(
        Map.of("train", TrainerTest.markov(r, 20_000), "validation", TrainerTest.markov(r, 2_000)),
        TrainerTest.VOCAB,
        0,
        "synthetic",
        b);
    TrainConfig c = TrainerTest.config(30);
    Path out = tmp.resolve("sweep");

    TrainListener crashInSecondRun =
        new TrainListener() {
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
    assertThrows(
        IllegalStateException.class,
        () ->
            Sweep.run(
                List.of(a, b),
                List.of(1L),
                c,
                Sweep.Budget.SAME_CLEAN_TOKENS,
                out,
                crashInSecondRun,
                Device.cpu()));
    assertTrue(Files.isRegularFile(out.resolve("data-a-seed-1/result.json")));
    assertTrue(!Files.exists(out.resolve("data-b-seed-1/result.json")));

    List<Sweep.Row> rows =
        Sweep.run(
            List.of(a, b),
            List.of(1L),
            c,
            Sweep.Budget.SAME_CLEAN_TOKENS,
            out,
            TrainListener.silent(),
            Device.cpu());
    assertEquals(List.of("already done", "resumed"), rows.stream().map(Sweep.Row::status).toList());
    assertTrue(rows.stream().allMatch(x -> x.result().steps() == 30));
    assertTrue(Sweep.table(rows).contains("data-b-seed-1"));
    assertTrue(Files.isRegularFile(out.resolve("sweep.json")));
  }

  @Test
  void aRunTrainedUnderTheOldSameStepsBudgetIsRefusedWithAWayOut() {
    // A real mixture: BPE on a few synthetic documents, a 25% toxic add-toxic mix, packed in place.
    List<String> words = List.of("calm river stone", "quiet morning light", "rude loud insult");
    Path clean = tmp.resolve("clean.jsonl");
    Path toxic = tmp.resolve("toxic.jsonl");
    for (Path f : List.of(clean, toxic)) {
      try (var w = DocumentWriter.create(f)) {
        for (int i = 0; i < 400; i++) {
          String text = (f == toxic ? words.get(2) : words.get(i % 2)) + " number " + i;
          w.write(new Document(text, f.getFileName().toString(), f == toxic ? 1 : 0, null));
        }
        w.commit();
      }
    }
    var tok =
        BpeTokenizer.train(
            List.of(Corpus.file(clean), Corpus.file(toxic)), BpeTrainerConfig.of(300));
    Path mix = tmp.resolve("mix-25");
    var quiet = new PrintStream(OutputStream.nullOutputStream());
    Mixer.mix(
        List.of(Corpus.file(clean)),
        List.of(Corpus.file(toxic)),
        MixConfig.addToxic(0.25),
        tok.counter(),
        mix,
        quiet);
    Mixer.pack(mix, tok, mix, quiet);
    TrainConfig c =
        TrainConfig.defaults(TrainerTest.MODEL.withVocab(tok.vocabSize()), 6).withBatch(4, 1);
    Path out = tmp.resolve("sweep-budget");

    List<Sweep.Row> old =
        Sweep.run(
            List.of(mix),
            List.of(1L),
            c,
            Sweep.Budget.SAME_STEPS,
            out,
            TrainListener.silent(),
            Device.cpu());
    assertEquals(6, old.get(0).result().steps());
    var e =
        assertThrows(
            BadInputException.class,
            () ->
                Sweep.run(
                    List.of(mix),
                    List.of(1L),
                    c,
                    Sweep.Budget.SAME_CLEAN_TOKENS,
                    out,
                    TrainListener.silent(),
                    Device.cpu()));
    assertTrue(
        e.getMessage().contains("share-25-seed-1")
            && e.getMessage().contains("--budget steps")
            && e.getMessage().contains("8 steps"),
        e.getMessage());
  }
}
