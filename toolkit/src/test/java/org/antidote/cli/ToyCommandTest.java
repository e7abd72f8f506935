package org.antidote.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.antidote.io.BadInputException;
import org.antidote.toy.ToyConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./antidote toy markov} takes train's flags with the toy's defaults. */
class ToyCommandTest {

  static ToyConfig parse(String... args) {
    ToyCommand.Markov m = new ToyCommand.Markov();
    new CommandLine(m).parseArgs(args);
    return m.base();
  }

  @Test
  void noFlagsGiveTheLibrarysDefaultCell() {
    // The same config, so the same run folders, as ToyConfig.defaults at the first share.
    assertEquals(ToyConfig.defaults(0.05, 1), parse("--out", "x"));
  }

  /**
   * A small model and schedule, the batch and window given under {@code batch} and {@code window}.
   */
  static ToyConfig small(String batch, String window) {
    return parse(
        "--out x --layers 2 --d-model 8 --steps 40 --lr 0.02 --grad-clip 0.5 "
            .concat(batch + " 8 " + window + " 16")
            .split(" "));
  }

  @Test
  void trainsFlagsSetTheToysModelAndTraining() {
    ToyConfig c = small("--batch-size", "--context");
    assertEquals(2, c.train().model().layers());
    assertEquals(8, c.train().model().dModel());
    assertEquals(16, c.train().model().context());
    assertEquals(40, c.train().steps());
    assertEquals(2, c.train().warmupSteps(), "5% of the steps");
    assertEquals(8, c.train().batchSize());
    assertEquals(0.02, c.train().lr());
    assertEquals(0.5, c.train().gradClip());
    assertEquals(1, c.probe().layer(), "the last block by default");
    // The toy's old names for the window and the batch still work.
    assertEquals(c, small("--batch", "--seq-len"));
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> parse("--out", "x", "--batch", "8", "--batch-size", "8"));
    assertTrue(e.getMessage().contains("not both"), e.getMessage());
  }

  @Test
  void adamIsAdamWWithoutDecay() {
    assertEquals(0, parse("--out", "x", "--optimizer", "adam").train().weightDecay());
    assertEquals(0.1, parse("--out", "x").train().weightDecay());
    assertEquals(0.05, parse("--out", "x", "--weight-decay", "0.05").train().weightDecay());
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> parse("--out", "x", "--optimizer", "adam", "--weight-decay", "0.1"));
    assertTrue(e.getMessage().contains("optimizer adam has no weight decay"), e.getMessage());
  }

  @Test
  void trainFlagsTheToyFixesAreRefusedByName() {
    for (String flag : new String[] {"--fp16", "--checkpoint-activations", "--force"}) {
      BadInputException e = assertThrows(BadInputException.class, () -> parse("--out", "x", flag));
      assertTrue(
          e.getMessage().startsWith(flag + " is a train flag the toy does not take"),
          e.getMessage());
    }
    BadInputException e =
        assertThrows(BadInputException.class, () -> parse("--out", "x", "--preset", "tiny"));
    assertTrue(e.getMessage().startsWith("--preset is a train flag"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> parse("--out", "x", "--probe-lr", "0.5"));
    assertTrue(e.getMessage().contains("Newton"), e.getMessage());
  }

  @Test
  void theHelpShowsTheToysDefaults() {
    String help = new CommandLine(new ToyCommand.Markov()).getUsageMessage();
    assertTrue(help.contains("Optimiser steps (default: 1000)"), help);
    assertTrue(help.contains("Peak learning rate (default: 0.01)"), help);
    assertTrue(help.contains("Override the preset's layers"), help);
  }
}
