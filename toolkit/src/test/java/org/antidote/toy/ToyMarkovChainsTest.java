package org.antidote.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.antidote.io.BadInputException;
import org.antidote.model.ModelConfig;
import org.antidote.probe.ProbeConfig;
import org.antidote.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ToyMarkovChainsTest {

  @Test
  void transitionFrequenciesMatchTheConfiguration() {
    MarkovConfig c = new MarkovConfig(3, 4, 0, 0.2, 0.8, 500, 600_000);
    MarkovChains.Stream s = MarkovChains.stream(c, c.trainTokens(), 11);
    long[][][] counts = new long[c.chains()][c.vocab()][c.vocab()];
    for (int i = 1; i < s.ids().length; i++) {
      int chain = s.chainOf()[i];
      if (chain >= 0 && s.chainOf()[i - 1] == chain) {
        counts[chain][s.ids()[i - 1]][s.ids()[i]]++;
      }
    }
    for (int chain = 0; chain < c.chains(); chain++) {
      for (int from = 0; from < c.vocab(); from++) {
        long total = Arrays.stream(counts[chain][from]).sum();
        assertTrue(
            total > 5_000,
            "too few transitions from " + from + " in chain " + chain + ": " + total);
        for (int to = 0; to < c.vocab(); to++) {
          double expected = c.transition(chain, from, to);
          double observed = (double) counts[chain][from][to] / total;
          double tolerance = 4 * Math.sqrt(expected * (1 - expected) / total) + 1e-9;
          assertEquals(expected, observed, tolerance, "chain " + chain + ": " + from + " -> " + to);
        }
      }
    }
  }

  @Test
  void documentSharesMatchTheConfigurationAndSeparatorsEndEachDocument() {
    MarkovConfig c = new MarkovConfig(3, 4, 1, 0.1, 0.9, 9, 200_000);
    MarkovChains.Stream s = MarkovChains.stream(c, c.trainTokens(), 5);
    long[] docs = new long[c.chains()];
    int n = 0;
    for (int i = 0; i < s.ids().length; i++) {
      if (i % (c.docLength() + 1) == c.docLength()) {
        assertEquals(c.separator(), s.ids()[i]);
        assertEquals(-1, s.chainOf()[i]);
        docs[s.chainOf()[i - 1]]++;
        n++;
      } else {
        assertTrue(s.ids()[i] < c.vocab());
      }
    }
    for (int chain = 0; chain < c.chains(); chain++) {
      double share = (double) docs[chain] / n;
      assertEquals(
          c.share(chain),
          share,
          4 * Math.sqrt(c.share(chain) * (1 - c.share(chain)) / n),
          "chain " + chain);
    }
    assertEquals(0.1, c.share(1));
    assertEquals(0.45, c.share(0), 1e-12);
  }

  @Test
  void theSameSeedGivesTheSameTokens() {
    MarkovConfig c = MarkovConfig.defaults(0.3);
    assertEquals(
        Arrays.hashCode(MarkovChains.stream(c, 5000, 9).ids()),
        Arrays.hashCode(MarkovChains.stream(c, 5000, 9).ids()));
    int[] a = MarkovChains.sequence(c, 2, 50, new SplittableRandom(1));
    int[] b = MarkovChains.sequence(c, 2, 50, new SplittableRandom(1));
    assertEquals(Arrays.toString(a), Arrays.toString(b));
  }

  @Test
  void badInputGivesClearErrors() {
    assertMessage(() -> MarkovConfig.defaults(0), "rare share must be in (0, 1), got 0.0");
    assertMessage(() -> MarkovConfig.defaults(1), "rare share must be in (0, 1), got 1.0");
    assertMessage(() -> MarkovConfig.defaults(-0.2), "rare share must be in (0, 1)");
    assertMessage(
        () -> new MarkovConfig(2, 1, 0, 0.5, 0.9, 10, 10_000), "vocab must be >= 2 tokens, got 1");
    assertMessage(
        () -> new MarkovConfig(1, 4, 0, 0.5, 0.9, 10, 10_000), "chains must be >= 2, got 1");
    assertMessage(
        () -> new MarkovConfig(4, 4, 0, 0.5, 0.9, 10, 10_000), "chains must be <= vocab - 1 = 3");
    assertMessage(
        () -> new ToyProbeConfig(3, 5, ProbeConfig.defaults()), "per feature must be >= 20");
    TrainConfig wide = ToyConfig.train(shape(1, 32, 2, 8), 10, 4, 1e-2, 1, 0.1, 0.9, 0.95, 1);
    assertMessage(
        () ->
            new ToyConfig(
                MarkovConfig.defaults(0.1),
                wide,
                new ToyProbeConfig(0, 40, ProbeConfig.defaults()),
                1),
        "12 features (chains 3 x vocab 4) cannot be separated by probes with 40 sequences per feature in d_model = 32");
    assertMessage(
        () -> ToyConfig.defaults(0.1, 1).withProbe(ToyProbeConfig.defaults(4).withLayer(4)),
        "probe layer must be in [0, layers = 4), got 4");
    assertMessage(
        () -> ToyConfig.weightDecay("sgd", null), "optimizer must be adamw or adam, got sgd");
    assertMessage(() -> ToyConfig.weightDecay("adam", 0.1), "optimizer adam has no weight decay");
    assertEquals(0, ToyConfig.weightDecay("Adam", null));
    assertEquals(0.1, ToyConfig.weightDecay("adamw", null));
    assertMessage(
        () -> ToyConfig.train(shape(4, 4, 4, 32), 10, 4, 1e-2, 1, 0, 0.9, 0.95, 1),
        "must be even for rotary");
    assertMessage(
        () ->
            ToySweep.run(
                ToyConfig.defaults(0.1, 1), List.of(0.1, 1.5), List.of(1L), Path.of("unused")),
        "rare share must be in (0, 1), got 1.5");
  }

  /** A toy shape of {@code layers} blocks, width {@code dModel}, context {@code context}. */
  private static ModelConfig shape(int layers, int dModel, int heads, int context) {
    return new ModelConfig(
        layers, heads, dModel, 16, context, 2, 10_000, ModelConfig.Norm.LAYER_NORM, true, 0.02);
  }

  /**
   * The toy's own checks are bad input; the shape's are the model config's, whose exception type is
   * its own.
   */
  private static void assertMessage(Executable e, String part) {
    RuntimeException x = assertThrows(RuntimeException.class, e);
    assertTrue(
        x instanceof BadInputException || x instanceof IllegalArgumentException,
        "a bad value is bad input, got " + x);
    assertTrue(
        x.getMessage().contains(part), "message '" + x.getMessage() + "' lacks '" + part + "'");
  }
}
