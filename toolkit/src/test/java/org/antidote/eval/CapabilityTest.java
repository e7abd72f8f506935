package org.antidote.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.antidote.io.BadInputException;
import org.antidote.model.HookName;
import org.antidote.model.Hooks;
import org.antidote.model.ModelConfig;
import org.antidote.model.Transformer;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.BpeTrainerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CapabilityTest {

  static final ModelConfig CONFIG =
      new ModelConfig(2, 2, 32, 64, 32, 97, 10000, ModelConfig.Norm.LAYER_NORM, true, 0.02);
  static final Hooks ABLATE = Hooks.none().with(HookName.z(0), (n, z) -> z.zerosLike());

  static List<String> texts;
  static BpeTokenizer tok;
  static Transformer model;

  @BeforeAll
  static void setUp() {
    String[] words =
        ("the whale swam under a grey sea while the crew sang of home and the captain "
                + "counted his coins by the light of a lamp that never went out")
            .split(" ");
    texts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      StringBuilder b = new StringBuilder();
      for (int w = 0; w < 3 + (i * 7) % 45; w++) {
        b.append(w == 0 ? "" : " ").append(words[(i * 5 + w * w) % words.length]);
      }
      texts.add(b + (i % 3 == 0 ? "." : ""));
    }
    tok = BpeTokenizer.train(texts.iterator(), BpeTrainerConfig.of(300));
    // The brief's vocabulary of 97 is below the byte-level tokenizer's 256 bytes: size it to fit.
    model = Transformer.create(CONFIG.withVocab(tok.vocabSize()), 1, Device.cpu());
  }

  @AfterAll
  static void tearDown() {
    model.close();
  }

  /** log P(s[j+1] | s[..j]) for one sequence, unbatched, straight from the model. */
  static float[] direct(int[] seq, Hooks hooks) {
    try (NDManager m = model.manager().newSubManager()) {
      long[] x = Arrays.stream(seq, 0, seq.length - 1).asLongStream().toArray();
      long[] y = Arrays.stream(seq, 1, seq.length).asLongStream().toArray();
      var logits = model.forward(m.create(x, new Shape(1, x.length)), hooks);
      return Transformer.tokenLogProbs(logits, m.create(y, new Shape(1, y.length))).toFloatArray();
    }
  }

  static int[] withEot(int[] ids, int max) {
    int[] out = new int[Math.min(ids.length, max) + 1];
    out[0] = tok.eotId();
    System.arraycopy(ids, 0, out, 1, out.length - 1);
    return out;
  }

  @Test
  void crossEntropyIsTheMeanNegativeLogProbOfEveryTruncatedToken() {
    for (int maxTokens : new int[] {12, 128}) {
      double sum = 0;
      long n = 0;
      for (String t : texts) {
        // 128 is capped at the context less the leading end-of-text token.
        for (float v :
            direct(
                withEot(tok.encode(t), Math.min(maxTokens, CONFIG.context() - 1)), Hooks.none())) {
          sum -= v;
          n++;
        }
      }
      assertEquals(sum / n, Capability.crossEntropy(model, tok, texts, maxTokens, null), 1e-5);
    }
    assertEquals(
        Capability.crossEntropy(model, tok, texts, 128, Hooks.none()),
        Capability.crossEntropy(model, tok, texts, null));
    double ce = Capability.crossEntropy(model, tok, texts, 20, Hooks.none());
    assertTrue(
        Math.abs(ce - Math.log(tok.vocabSize())) < 0.5,
        "an untrained model is near uniform, got " + ce);
    assertTrue(Capability.crossEntropy(model, tok, texts, 20, ABLATE) != ce, "hooks are ignored");
    assertThrows(
        BadInputException.class, () -> Capability.crossEntropy(model, tok, texts, 0, null));
    assertThrows(
        BadInputException.class, () -> Capability.crossEntropy(model, tok, List.of(""), 8, null));
  }

  @Test
  void klIsZeroAgainstItselfAndPositiveUnderAblation() {
    assertEquals(0, Capability.onText(model, tok, texts, 24, Hooks.none()).kl(), 1e-6);
    assertEquals(0, Capability.onText(model, tok, texts, 24, null).kl(), 1e-6);
    Capability.OnText ablated = Capability.onText(model, tok, texts, 24, ABLATE);
    assertTrue(ablated.kl() > 1e-6, "ablation moved nothing: " + ablated.kl());
    // The one-pass cross-entropy is the plain one's, with and without hooks.
    assertEquals(
        Capability.crossEntropy(model, tok, texts, 24, ABLATE), ablated.crossEntropy(), 1e-6);
    assertEquals(
        Capability.crossEntropy(model, tok, texts, 24, null),
        Capability.onText(model, tok, texts, 24, null).crossEntropy(),
        1e-6);
  }

  @Test
  void minimalPairAccuracyCountsPairsWhoseGoodSentenceIsMoreLikely() {
    List<MinimalPair> pairs = new ArrayList<>();
    for (String t : texts) {
      // Short sentences (three batches of sequences) and their word-reversed twins, plus long texts
      // that do not fit the context and must be skipped.
      List<String> words = Arrays.asList(t.split(" "));
      String good = String.join(" ", words.subList(0, Math.min(words.size(), 6)));
      List<String> reversed = new ArrayList<>(words.subList(0, Math.min(words.size(), 6)));
      Collections.reverse(reversed);
      String bad = String.join(" ", reversed);
      if (!good.equals(bad) && pairs.stream().noneMatch(p -> p.good().equals(good))) {
        pairs.add(new MinimalPair(good, bad, "short"));
      }
      if (words.size() > 30) {
        pairs.add(new MinimalPair(t, t + " again", "long"));
      }
    }
    for (Hooks hooks : new Hooks[] {Hooks.none(), ABLATE}) {
      int better = 0;
      int scored = 0;
      for (MinimalPair p : pairs) {
        int[] good = withEot(tok.encode(p.good()), Integer.MAX_VALUE);
        int[] bad = withEot(tok.encode(p.bad()), Integer.MAX_VALUE);
        if (good.length > CONFIG.context() || bad.length > CONFIG.context()) {
          continue; // skipped by the metric too
        }
        double g = 0;
        double b = 0;
        for (float v : direct(good, hooks)) {
          g += v;
        }
        for (float v : direct(bad, hooks)) {
          b += v;
        }
        better += g > b ? 1 : 0;
        scored++;
      }
      assertTrue(
          scored >= 20 && scored < pairs.size() && better > 0 && better < scored,
          better + " of " + scored + " of " + pairs.size() + ": a weak check");
      assertEquals(
          (double) better / scored, Capability.minimalPairs(model, tok, pairs, hooks), 1e-12);
    }
    // Swapping every pair flips every strict win.
    List<MinimalPair> swapped =
        pairs.stream().map(p -> new MinimalPair(p.bad(), p.good(), p.rule())).toList();
    assertEquals(
        1.0,
        Capability.minimalPairs(model, tok, pairs, null)
            + Capability.minimalPairs(model, tok, swapped, null),
        1e-12);
  }

  @Test
  void lastWordAccuracyIsAShareAndDeterministic() {
    double a = Capability.lastWordAccuracy(model, tok, texts, null);
    assertTrue(a >= 0 && a <= 1, "accuracy " + a);
    assertEquals(a, Capability.lastWordAccuracy(model, tok, texts, Hooks.none()));
    assertEquals(a, Capability.lastWordAccuracy(model, tok, texts, null));
  }

  @Test
  void lastWordAccuracyMatchesGreedyPredictionComputedDirectly() {
    // An untrained model with tied embeddings mostly predicts its current token again, so texts
    // ending in a repeated word give some hits; the rest give misses.
    List<String> short_ = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String[] w = texts.get(i).replace(".", "").split(" ");
      String head = String.join(" ", Arrays.copyOf(w, Math.min(w.length, 5)));
      short_.add(i % 2 == 0 ? head + " " + w[Math.min(w.length, 5) - 1] : head + ".");
    }
    int correct = 0;
    int scored = 0;
    for (String t : short_) {
      String plain = t.replace(".", "");
      String prefix = plain.substring(0, plain.lastIndexOf(' '));
      int[] whole = withEot(tok.encode(plain), Integer.MAX_VALUE);
      int from = withEot(tok.encode(prefix), Integer.MAX_VALUE).length;
      if (from < 2) {
        continue;
      }
      scored++;
      try (NDManager m = model.manager().newSubManager()) {
        long[] x = Arrays.stream(whole).asLongStream().toArray();
        long[] argmax = model.forward(m.create(x, new Shape(1, x.length))).argMax(-1).toLongArray();
        boolean ok = true;
        for (int j = from - 1; j < whole.length - 1; j++) {
          ok &= argmax[j] == whole[j + 1];
        }
        correct += ok ? 1 : 0;
      }
    }
    assertTrue(correct > 0 && correct < scored, correct + " of " + scored + ": a weak check");
    assertEquals(
        (double) correct / scored, Capability.lastWordAccuracy(model, tok, short_, null), 1e-12);
    assertThrows(
        BadInputException.class,
        () -> Capability.lastWordAccuracy(model, tok, List.of("one", "", "."), null));
  }
}
