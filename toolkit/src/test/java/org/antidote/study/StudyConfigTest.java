package org.antidote.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.antidote.eval.ScorerSpec;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import org.antidote.iti.Intervention;
import org.antidote.model.Preset;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.BpeTrainerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyConfigTest {

  @Test
  void scalesGrowFromSmokeToGpu() {
    StudyConfig smoke = StudyConfig.of("smoke");
    StudyConfig cpu = StudyConfig.of("CPU");
    StudyConfig gpu = StudyConfig.of("gpu");
    assertEquals(StudyConfig.PAPER_SHARES, cpu.shares());
    assertEquals(Preset.MINI, cpu.preset());
    assertTrue(gpu.preset().gpuOnly());
    assertTrue(smoke.steps() < cpu.steps() && cpu.steps() < gpu.steps());
    assertTrue(smoke.eval().promptsPerSet() < cpu.eval().promptsPerSet());
    String shown = cpu.table().printAll();
    assertTrue(
        shown.contains("[0.0, 0.05, 0.1, 0.15, 0.2, 0.25]")
            && shown.contains("mini (159,744 parameters)")
            && shown.contains("1 to 3")
            && shown.contains("10.3"),
        shown);
  }

  @Test
  void badSettingsAreRefusedByName() {
    BadInputException scale = assertThrows(BadInputException.class, () -> StudyConfig.of("laptop"));
    assertTrue(scale.getMessage().contains("laptop"), scale.getMessage());
    BadInputException share =
        assertThrows(
            BadInputException.class, () -> StudyConfig.cpu().withShares(List.of(0.0, 1.0)));
    assertTrue(share.getMessage().contains("toxic shares"), share.getMessage());
    assertThrows(BadInputException.class, () -> StudyConfig.cpu().withShares(List.of(0.1, 0.1)));
    assertThrows(BadInputException.class, () -> StudyConfig.cpu().withScorer("vibes"));
    assertEquals("lexicon", StudyConfig.cpu().withScorer("Lexicon").scorer().spec());
    BadInputException alpha =
        assertThrows(BadInputException.class, () -> plan(0.1, List.of(4.0, -1.0)));
    assertTrue(alpha.getMessage().contains("alpha"), alpha.getMessage());
    assertThrows(BadInputException.class, () -> plan(0.0, List.of(4.0)));
  }

  @Test
  void scalesAreTheSettingsTheyWere() {
    // The values the scales spell out (the cpu scale's since its models see 10 tokens/parameter).
    List<Double> alphas = List.of(4.0, 8.0, 12.0);
    Intervention.Positions gen = Intervention.Positions.GENERATED;
    ScorerSpec minilm = ScorerSpec.parse("minilm");
    assertEquals(
        new StudyConfig(
            "smoke",
            List.of(0.0, 0.25),
            1,
            1,
            512,
            Preset.TINY,
            40,
            16,
            minilm,
            new RunsEvaluation.Plan(8, 1, 8, 40, 80, 0.117, alphas, 10, gen, 3, 10, 5)),
        StudyConfig.smoke());
    assertEquals(
        new StudyConfig(
            "cpu",
            StudyConfig.PAPER_SHARES,
            1,
            3,
            1024,
            Preset.MINI,
            800,
            16,
            minilm,
            new RunsEvaluation.Plan(100, 2, 100, 300, 1000, 0.117, alphas, 100, gen, 3, 100, 5)),
        StudyConfig.cpu());
    assertEquals(
        new StudyConfig(
            "gpu",
            StudyConfig.PAPER_SHARES,
            1,
            1,
            8192,
            Preset.GPT2_124M,
            5000,
            16,
            minilm,
            new RunsEvaluation.Plan(500, 5, 500, 1000, 2000, 0.117, alphas, 500, gen, 3, 500, 5)),
        StudyConfig.gpu());
    assertEquals(StudyConfig.cpu().eval(), RunsEvaluation.Plan.builder().build());
    assertEquals(List.of(1L, 2L, 3L), StudyConfig.cpu().seedList());
    assertEquals(List.of(7L), StudyConfig.cpu().withSeed(7).withSeeds(1).seedList());
    assertEquals(7, StudyConfig.cpu().withSeed(7).seed());
    assertEquals(StudyConfig.cpu().shares(), StudyConfig.cpu().withSteps(9).shares());
  }

  @Test
  void theCpuScalesModelsSeeTenTokensPerParameterOverThreeSeeds() {
    for (StudyConfig c : List.of(StudyConfig.cpu(), StudyConfig.cpuFull())) {
      var shape = c.preset().config(c.vocabSize());
      double tokens = (double) c.steps() * c.batchSize() * shape.context();
      assertTrue(tokens / shape.parameters() >= 10, c.scale() + ": " + tokens / shape.parameters());
      assertEquals(3, c.seeds(), c.scale());
      assertEquals(StudyConfig.PAPER_SHARES, c.shares(), c.scale());
    }
    assertTrue(
        StudyConfig.cpuFull().preset().config(2048).parameters()
            > 2 * StudyConfig.cpu().preset().config(1024).parameters());
    assertEquals("cpu-full", StudyConfig.of("cpu-full").scale());
  }

  @Test
  void aStudyJsonWrittenBeforeSeveralSeedsReadsAsOneSeed(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("study.json");
    Json.write(file, StudyConfig.smoke());
    String one = Files.readString(file).replaceAll("\"seeds\" : 1,\\s*", "");
    assertTrue(!one.contains("seeds"), one);
    Files.writeString(file, one);
    assertEquals(StudyConfig.smoke(), Json.read(file, StudyConfig.class));
  }

  @Test
  void aStudyJsonWrittenBeforeReadsBackEqual(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("study.json");
    StudyConfig onnx = StudyConfig.smoke().withScorer("onnx=m.onnx,t.json");
    Json.write(file, onnx);
    assertTrue(Files.readString(file).contains("\"scorer\" : \"onnx=m.onnx,t.json\""));
    assertEquals(onnx, Json.read(file, StudyConfig.class));
    // The scorer as the string the record held before ScorerSpec.
    Json.write(file, StudyConfig.cpu());
    String before = Files.readString(file);
    assertTrue(before.contains("\"scorer\" : \"minilm\""), before);
    Files.writeString(file, before.replace("\"minilm\"", "\"MiniLM\""));
    assertEquals(StudyConfig.cpu(), Json.read(file, StudyConfig.class));
  }

  /** A small plan with this head fraction and these alphas. */
  private static RunsEvaluation.Plan plan(double headFraction, List<Double> alphas) {
    return RunsEvaluation.Plan.builder()
        .promptsPerSet(10)
        .samplesPerPrompt(1)
        .cleanTexts(10)
        .minimalPairs(0)
        .probeTextsPerClass(20)
        .headFraction(headFraction)
        .alphas(alphas)
        .sftSteps(0)
        .build();
  }

  @Test
  void aStudyOfSomeOfAFoldersSharesWorksInItAndAnotherSeedDoesNot(@TempDir Path dir) {
    StudyConfig demo = StudyConfig.smoke().withShares(List.of(0.0, 0.25));
    Json.write(dir.resolve("study.json"), demo);
    BpeTokenizer.train(
            List.of("a tiny pool of text", "to train on").iterator(), BpeTrainerConfig.of(260))
        .save(dir.resolve("tokenizer.json"));
    // A notebook's two shares in the demo's folder: the same tokenizer, mixtures and runs.
    Study.at(dir, demo.withShares(List.of(0.25))).tokenizer();
    // A new share joins the record, so the demo can still use the folder after it.
    Study.at(dir, demo.withShares(List.of(0.1))).tokenizer();
    assertEquals(
        List.of(0.0, 0.1, 0.25), Json.read(dir.resolve("study.json"), StudyConfig.class).shares());
    Study.at(dir, demo.withShares(List.of(0.0, 0.1, 0.25))).tokenizer();
    // More seeds of the same study fit too, and the record keeps the most; fewer then still fit.
    Study.at(dir, demo.withSeeds(3)).tokenizer();
    assertEquals(3, Json.read(dir.resolve("study.json"), StudyConfig.class).seeds());
    Study.at(dir, demo.withShares(List.of(0.25)).withSeeds(1)).tokenizer();
    assertEquals(3, Json.read(dir.resolve("study.json"), StudyConfig.class).seeds());
    BadInputException other =
        assertThrows(BadInputException.class, () -> Study.at(dir, demo.withSeed(2)).tokenizer());
    assertTrue(other.getMessage().contains("holds a study"), other.getMessage());
  }
}
