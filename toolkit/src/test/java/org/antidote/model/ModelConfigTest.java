package org.antidote.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.antidote.io.BadInputException;
import org.junit.jupiter.api.Test;

/** The shape builder's defaults and the presets built from it. */
class ModelConfigTest {

  @Test
  void presetsAreTheShapesTheyWere() {
    ModelConfig.Norm ln = ModelConfig.Norm.LAYER_NORM;
    assertEquals(
        new ModelConfig(2, 4, 64, 128, 64, 512, 10_000, ln, true, 0.02), Preset.TINY.config());
    assertEquals(
        new ModelConfig(4, 4, 128, 384, 128, 4096, 10_000, ln, true, 0.02), Preset.SMALL.config());
    assertEquals(
        new ModelConfig(12, 12, 768, 3072, 1024, 50304, 10_000, ln, true, 0.02),
        Preset.GPT2_124M.config());
    assertEquals(
        new ModelConfig(16, 16, 2048, 8192, 2048, 50304, 10_000, ln, true, 0.02),
        Preset.OLMO_1B.config());
  }

  @Test
  void withMethodsGoThroughTheBuilder() {
    ModelConfig c = Preset.SMALL.config();
    assertEquals(c, c.toBuilder().build());
    assertEquals(300, c.withVocab(300).vocab());
    assertEquals(c.toBuilder().context(32).build(), c.withContext(32));
    assertEquals(c.layers(), c.withContext(32).layers());
  }

  @Test
  void badShapesAndNamesAreTheUsers() {
    BadInputException e =
        assertThrows(BadInputException.class, () -> ModelConfig.builder().heads(3).build());
    assertTrue(e.getMessage().contains("multiple of heads"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> ModelConfig.builder().context(1).build());
    assertTrue(e.getMessage().contains("model config: context must be >= 2"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> Preset.parse("huge"));
    assertTrue(e.getMessage().contains("huge") && e.getMessage().contains("tiny"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> ModelConfig.Norm.parse("batchnorm"));
    assertTrue(e.getMessage().contains("batchnorm"), e.getMessage());
  }
}
