package org.antidote.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.antidote.io.BadInputException;
import org.antidote.iti.Intervention;
import org.antidote.model.ModelConfig;
import org.antidote.model.Preset;
import org.antidote.study.RunsEvaluation;
import org.antidote.train.TrainConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line takes its defaults from the config builders: a flag not given is the builder's
 * value, a flag given replaces it (a list flag too, never appending to the default), and {@code
 * --help} shows the builder's value.
 */
class CliDefaultsTest {

  private static <T> T parse(T command, String... args) {
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void trainFlagsLeftOutAreTheBuildersDefaults() {
    TrainConfig flags = parse(new TrainCommand(), "--data", "d", "--out", "o").flags.config(300, 1);
    assertEquals(TrainConfig.builder(Preset.SMALL.config(300)).build(), flags);

    TrainCommand given =
        parse(
            new TrainCommand(),
            "--data=d",
            "--out=o",
            "--preset=tiny",
            "--steps=100",
            "--lr=1e-3",
            "--heads=2",
            "--untied",
            "--norm=rmsnorm",
            "--warmup=7",
            "--seed=5");
    ModelConfig model =
        Preset.TINY.config(300).toBuilder()
            .heads(2)
            .tieEmbeddings(false)
            .norm(ModelConfig.Norm.RMS_NORM)
            .build();
    assertEquals(
        TrainConfig.builder(model).steps(100).lr(1e-3).warmupSteps(7).seed(5).build(),
        given.flags.config(300, given.seed));
    // The intervals not given follow the steps as the builder's do.
    TrainConfig c = given.flags.config(300, 5);
    assertEquals(20, c.evalEvery());
    assertEquals(2, c.logEvery());
    assertEquals(20, c.checkpointEvery());
  }

  @Test
  void evalFlagsLeftOutAreThePlansDefaults() {
    EvalCommand none = parse(new EvalCommand(), "--out", "o");
    assertEquals(RunsEvaluation.Plan.builder().build(), none.plan());

    EvalCommand given =
        parse(
            new EvalCommand(),
            "--out=o",
            "--alpha=2,3",
            "--prompts=7",
            "--sft-steps=0",
            "--positions=all");
    RunsEvaluation.Plan p = given.plan();
    assertEquals(List.of(2.0, 3.0), p.alphas());
    assertEquals(7, p.promptsPerSet());
    assertEquals(0, p.sftSteps());
    assertEquals(100, p.dpoSteps(), "DPO keeps its own default when only SFT is given");
    assertEquals(Intervention.Positions.ALL, p.positions());
    assertEquals(300, p.minimalPairs());
  }

  @Test
  void sweepSeedsReplaceTheDefaultSeed() {
    assertEquals(
        List.of(1L), parse(new SweepCommand(), "--data", "d", "--out", "o").seeds, "default");
    assertEquals(
        List.of(2L, 3L),
        parse(new SweepCommand(), "--data", "d", "--out", "o", "--seeds", "2,3").seeds);
  }

  @Test
  void helpShowsTheBuildersValues() {
    String train = new CommandLine(new TrainCommand()).getUsageMessage();
    TrainConfig d = TrainConfig.builder(Preset.SMALL.config()).build();
    assertTrue(train.contains("(default: " + d.steps() + ")"), train);
    assertTrue(train.contains("(default: " + d.lr() + ")"), train);
    assertTrue(train.contains("(default: " + d.keepCheckpoints() + ")"), train);
    String eval = new CommandLine(new EvalCommand()).getUsageMessage();
    RunsEvaluation.Plan p = RunsEvaluation.Plan.builder().build();
    assertTrue(eval.contains("default: " + p.headFraction()), eval);
    assertTrue(eval.contains("(default: " + p.promptsPerSet() + ")"), eval);
    assertTrue(eval.contains("(default: generated)"), eval);
  }

  @Test
  void aBadFlagIsRefusedByTheBuildersCheck() {
    TrainCommand t = parse(new TrainCommand(), "--data=d", "--out=o", "--batch-size=0");
    Exception e = assertThrows(BadInputException.class, () -> t.flags.config(300, 1));
    assertTrue(e.getMessage().contains("batch size"), e.getMessage());
  }
}
