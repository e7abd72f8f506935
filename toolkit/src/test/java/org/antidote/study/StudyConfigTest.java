package org.antidote.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.antidote.io.BadInputException;
import org.antidote.model.Preset;
import org.junit.jupiter.api.Test;

class StudyConfigTest {

  @Test
  void scalesGrowFromSmokeToGpu() {
    StudyConfig smoke = StudyConfig.of("smoke");
    StudyConfig cpu = StudyConfig.of("CPU");
    StudyConfig gpu = StudyConfig.of("gpu");
    assertEquals(StudyConfig.PAPER_SHARES, cpu.shares());
    assertEquals(Preset.SMALL, cpu.preset());
    assertTrue(gpu.preset().gpuOnly());
    assertTrue(smoke.steps() < cpu.steps() && cpu.steps() < gpu.steps());
    assertTrue(smoke.eval().promptsPerSet() < cpu.eval().promptsPerSet());
    String shown = cpu.table().printAll();
    assertTrue(
        shown.contains("[0.0, 0.05, 0.1, 0.15, 0.2, 0.25]") && shown.contains("small ("), shown);
  }

  @Test
  void badSettingsAreRefusedByName() {
    BadInputException scale = assertThrows(BadInputException.class, () -> StudyConfig.of("laptop"));
    assertTrue(scale.getMessage().contains("laptop"), scale.getMessage());
    IllegalArgumentException share =
        assertThrows(
            IllegalArgumentException.class, () -> StudyConfig.cpu().withShares(List.of(0.0, 1.0)));
    assertTrue(share.getMessage().contains("toxic shares"), share.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> StudyConfig.cpu().withShares(List.of(0.1, 0.1)));
    assertThrows(IllegalArgumentException.class, () -> StudyConfig.cpu().withScorer("vibes"));
    assertEquals("lexicon", StudyConfig.cpu().withScorer("Lexicon").scorer());
    IllegalArgumentException alpha =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Evaluation.Plan(10, 1, 10, 0, 20, 0.1, List.of(4.0, -1.0), 0));
    assertTrue(alpha.getMessage().contains("alpha"), alpha.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new Evaluation.Plan(10, 1, 10, 0, 20, 0.0, List.of(4.0), 0));
  }
}
