package org.antidote.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.DocumentStream;
import org.antidote.io.AntidoteHome;
import org.antidote.mix.MixConfig;
import org.antidote.mix.Mixer;
import org.antidote.model.GenerationConfig;
import org.antidote.model.Generator;
import org.antidote.model.Hooks;
import org.antidote.model.Preset;
import org.antidote.model.Transformer;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.BpeTrainerConfig;
import org.antidote.tokenize.TokenCounter;
import org.antidote.train.TrainConfig;
import org.antidote.train.TrainListener;
import org.antidote.train.TrainResult;
import org.antidote.train.Trainer;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole data-to-model path on the real bundled corpora, at the tiny preset. */
class TinyModelOnBundledDataTest {

  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir Path tmp;

  @Test
  void tinyModelLearnsMoreThanUnigramStatistics() {
    Corpora.Bundled data = Corpora.bundled(AntidoteHome.dir(), System.out);
    List<String> sample = new ArrayList<>();
    try (DocumentStream s = Corpora.concat(data.clean())) {
      for (int i = 0; i < 4000 && s.hasNext(); i++) {
        sample.add(s.next().text());
      }
    }
    BpeTokenizer tok = BpeTokenizer.train(sample.iterator(), BpeTrainerConfig.of(512));
    Path mix = tmp.resolve("mix");
    Mixer.mix(
        data.clean(),
        data.toxic(),
        MixConfig.addToxic(0.10),
        new TokenCounter(tok.id(), tok::countTokens),
        mix,
        QUIET);
    Mixer.pack(mix, tok, mix, QUIET);

    TrainConfig config =
        TrainConfig.defaults(Preset.TINY.config(tok.vocabSize()), 300).withBatch(16, 1);
    TrainResult r =
        Trainer.train(config, mix, tmp.resolve("run"), TrainListener.silent(), Device.cpu());
    System.out.printf(
        "tiny on bundled 10%%: val %.3f, unigram %.3f, ln(vocab) %.3f, %,.0f tok/s%n",
        r.valLoss(), r.unigramLoss(), Math.log(tok.vocabSize()), r.tokensPerSecond());
    assertTrue(r.valLoss() < Math.log(tok.vocabSize()) - 1.0, "val " + r.valLoss());
    assertTrue(
        r.valLoss() < r.unigramLoss() - 0.3, "val " + r.valLoss() + " unigram " + r.unigramLoss());

    // The trained model generates tokens the tokenizer can decode, the same with and without the
    // cache.
    try (Transformer model = Trainer.loadModel(tmp.resolve("run"), Device.cpu())) {
      List<int[]> prompts = List.of(tok.encode("The President said"), tok.encode("Call me"));
      List<int[]> a =
          Generator.generate(model, prompts, GenerationConfig.greedy(20), Hooks.none(), true);
      List<int[]> b =
          Generator.generate(model, prompts, GenerationConfig.greedy(20), Hooks.none(), false);
      for (int i = 0; i < prompts.size(); i++) {
        Assertions.assertArrayEquals(b.get(i), a.get(i), "prompt " + i);
      }
      System.out.println("sample: The President said" + tok.decode(a.get(0)));
      try (NDManager m = model.manager().newSubManager()) {
        NDArray x = m.create(new long[] {1, 2, 3}, new Shape(1, 3));
        assertEquals(new Shape(1, 3, tok.vocabSize()), model.forward(x).getShape());
      }
    }
  }
}
