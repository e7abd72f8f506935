package org.antidote.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.antidote.io.BadInputException;
import org.antidote.model.Preset;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * {@code ./antidote plan} on the command line: a table per preset, sizes parsed, bad ones named.
 */
class PlanCommandTest {

  @Test
  void printsATableForEveryPreset() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      code = Main.execute("plan", "--fp16", "--gpu", "H200", "--tokens", "20.1B");
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, out);
    for (Preset p : Preset.values()) {
      assertTrue(out.contains("== " + p.id()), "no table for " + p.id() + ":\n" + out);
    }
    assertTrue(out.contains("141.00 GB") && out.contains("H200"), out);
  }

  @Test
  void sizesAndCountsParseOrNameTheFlag() {
    assertEquals(80_000_000_000L, PlanCommand.bytes("80GB"));
    assertEquals(80L << 30, PlanCommand.bytes("80 GiB"));
    assertEquals(20_100_000_000L, PlanCommand.count("20.1e9"));
    assertEquals(20_100_000_000L, PlanCommand.count("20.1B"));
    BadInputException e =
        Assertions.assertThrows(BadInputException.class, () -> PlanCommand.bytes("lots"));
    assertTrue(e.getMessage().contains("--device-memory"), e.getMessage());
    assertEquals(2, Main.execute("plan", "--preset", "tiny", "--mfu", "2"));
  }
}
