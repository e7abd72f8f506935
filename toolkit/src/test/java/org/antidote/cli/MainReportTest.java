package org.antidote.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.junit.jupiter.api.Test;

/** The one line and exit code each kind of failure gets: the rule {@link Check} states. */
class MainReportTest {

  record Reported(int exit, String err) {}

  static Reported report(Throwable e) {
    StringWriter out = new StringWriter();
    int exit = Main.report(e, new PrintWriter(out, true));
    return new Reported(exit, out.toString().strip());
  }

  static Throwable thrown(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("nothing was thrown");
  }

  @Test
  void aUsersBadValueIsExitTwoInOneSentence() {
    Reported r = report(thrown(() -> Check.atLeast("--random-draws", -1, 0)));
    assertEquals(new Reported(2, "error: --random-draws must be >= 0, got -1"), r);
  }

  @Test
  void badInputUnderAnotherExceptionIsStillTheUsers() {
    Throwable wrapped =
        new RuntimeException("task 3 failed", new BadInputException("--mem must be a size"));
    assertEquals(new Reported(2, "error: --mem must be a size"), report(wrapped));
  }

  @Test
  void aBrokenInvariantIsExitOneAndPointsAtDebug() {
    Reported r = report(thrown(() -> Check.state(false, "heads out of order")));
    assertEquals(
        new Reported(1, "error: heads out of order (run again with --debug for the stack trace)"),
        r);
  }

  @Test
  void anIllegalArgumentFromTheToolkitIsStillTheUsersWhileConfigsMoveOntoCheck() {
    // Thrown here, in org.antidote code, as a config record not yet on Check throws it.
    Reported r = report(new IllegalArgumentException("train config: lr must be > 0, got -1.0"));
    assertEquals(new Reported(2, "error: train config: lr must be > 0, got -1.0"), r);
  }

  @Test
  void anIllegalArgumentFromALibraryIsNotTheUsers() {
    Throwable fromJdk = thrown(() -> Integer.parseInt("twelve"));
    Reported r = report(fromJdk);
    assertEquals(1, r.exit(), r.err());
    assertEquals(
        "error: For input string: \"twelve\" (run again with --debug for the stack trace)",
        r.err());
  }

  @Test
  void aFailingDiskIsExitOneWithoutTheDebugHint() {
    Throwable io =
        new UncheckedIOException("could not write runs/x: No space left", new IOException());
    assertEquals(new Reported(1, "error: could not write runs/x: No space left"), report(io));
  }
}
