package org.antidote.io;

/**
 * The one place values are checked. The rule: a value a user gave (a flag, a config field, a line
 * of a file) that is not what was expected is a {@link BadInputException} whose message names the
 * parameter and what was expected; a broken invariant of the toolkit's own code is an {@link
 * IllegalStateException}. The command line prints the first as one sentence and exit code 2, the
 * second as an internal error.
 *
 * <p>Each method names its subject as {@code what}, already qualified by its owner (say, {@code
 * "train config: batch"}), so that a message reads "train config: batch must be >= 1, got 0".
 */
public final class Check {

  private Check() {}

  /** A user's value: throws {@link BadInputException} with {@code message} unless {@code ok}. */
  public static void input(boolean ok, String message) {
    if (!ok) {
      throw new BadInputException(message);
    }
  }

  /** The toolkit's own invariant: throws {@link IllegalStateException} unless {@code ok}. */
  public static void state(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }

  /** A user's count that must be at least {@code min}; returns it. */
  public static int atLeast(String what, int value, int min) {
    input(value >= min, what + " must be >= " + min + ", got " + value);
    return value;
  }

  /** A user's count that must be at least {@code min}; returns it. */
  public static long atLeast(String what, long value, long min) {
    input(value >= min, what + " must be >= " + min + ", got " + value);
    return value;
  }

  /** A user's count that must be at least 1; returns it. */
  public static int positive(String what, int value) {
    return atLeast(what, value, 1);
  }

  /** A user's number that must be finite and strictly positive; returns it. */
  public static double positive(String what, double value) {
    input(value > 0 && Double.isFinite(value), what + " must be > 0, got " + value);
    return value;
  }

  /** A user's number that must be finite and at least 0; returns it. */
  public static double nonNegative(String what, double value) {
    input(value >= 0 && Double.isFinite(value), what + " must be >= 0, got " + value);
    return value;
  }

  /** A user's number in the closed interval [lo, hi]; returns it. */
  public static double inRange(String what, double value, double lo, double hi) {
    input(value >= lo && value <= hi, what + " must be in [" + lo + ", " + hi + "], got " + value);
    return value;
  }

  /** A user's value that must be present; returns it. */
  public static <T> T present(String what, T value) {
    input(value != null, what + " is required");
    return value;
  }
}
