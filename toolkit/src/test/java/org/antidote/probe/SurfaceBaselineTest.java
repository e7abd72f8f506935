package org.antidote.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The surface baselines on planted sets whose answer is known. */
class SurfaceBaselineTest {

  private static final String[] WORDS = {
    "river", "table", "window", "garden", "music", "letter", "paper", "stone"
  };

  private static String sentence(Random rng, int words) {
    StringBuilder b = new StringBuilder("The");
    for (int i = 0; i < words; i++) {
      b.append(' ').append(WORDS[rng.nextInt(WORDS.length)]);
    }
    return b.toString();
  }

  @Test
  void anEndingThatGivesTheClassAwayIsFoundByTheFormatOnlyBaseline() {
    Random rng = new Random(1);
    List<String> texts = new ArrayList<>();
    int[] labels = new int[400];
    for (int i = 0; i < 400; i++) {
      labels[i] = i % 2;
      texts.add(sentence(rng, 4 + rng.nextInt(8)) + (labels[i] == 1 ? " [Ed.]" : "."));
    }
    SurfaceBaseline b = SurfaceBaseline.fit(texts, labels, ProbeConfig.defaults());
    assertEquals(1.0, b.formatOnly().balancedAccuracy(), 1e-9, b.toString());
    assertEquals(1.0, b.formatOnly().auc(), 1e-9);
    assertEquals(1.0, b.withLastWord().balancedAccuracy(), 1e-9);
    assertEquals(0.5, b.majorityRate(), 1e-9);
    assertEquals(320, b.trainTexts());
    assertEquals(80, b.validationTexts());
  }

  @Test
  void aLastWordThatGivesTheClassAwayIsFoundOnlyWithTheLastWord() {
    Random rng = new Random(2);
    List<String> texts = new ArrayList<>();
    int[] labels = new int[600];
    for (int i = 0; i < 600; i++) {
      labels[i] = i % 2;
      // Same format in both classes: "idiots" and "friend" have six letters, lengths spread alike.
      texts.add(
          sentence(rng, 3 + rng.nextInt(8)) + " " + (labels[i] == 1 ? "idiots" : "friend") + ".");
    }
    SurfaceBaseline b = SurfaceBaseline.fit(texts, labels, ProbeConfig.defaults());
    assertTrue(
        Math.abs(b.formatOnly().balancedAccuracy() - 0.5) < 0.1,
        "format alone is near chance: " + b);
    assertTrue(b.withLastWord().balancedAccuracy() > 0.97, "the last word gives it away: " + b);
  }

  @Test
  void anUnbalancedSetReportsItsMajorityRateAndBalancedAccuracy() {
    Random rng = new Random(3);
    List<String> texts = new ArrayList<>();
    int[] labels = new int[500];
    for (int i = 0; i < 500; i++) {
      labels[i] = i % 10 < 7 ? 1 : 0;
      texts.add(sentence(rng, 3 + rng.nextInt(8)) + ".");
    }
    SurfaceBaseline b = SurfaceBaseline.fit(texts, labels, ProbeConfig.defaults());
    assertEquals(0.7, b.majorityRate(), 1e-9);
    // Nothing to learn: plain accuracy sits near the majority rate, balanced accuracy near one
    // half.
    assertTrue(Math.abs(b.formatOnly().balancedAccuracy() - 0.5) < 0.1, b.toString());
    // toxic recall 3/4, clean recall 2/2
    assertEquals(
        0.875,
        SurfaceBaseline.balancedAccuracy(
            new double[] {1, 1, -1, 1, -1, -1}, new int[] {1, 1, 1, 1, 0, 0}),
        1e-12);
    assertEquals(0.7, SurfaceBaseline.majorityRate(labels), 1e-12);
  }

  @Test
  void featuresReadTheSurface() {
    float[] f = SurfaceBaseline.format("WHY?");
    assertEquals(1f, f[SurfaceBaseline.LAST_CHARS.indexOf('?')]);
    assertEquals(1f, f[SurfaceBaseline.LAST_CHARS.length() + 4 + 3], "all capitals");
    assertEquals("idiots", SurfaceBaseline.lastWord("you are idiots!!\n"));
    assertEquals("", SurfaceBaseline.lastWord("?!"));
  }
}
