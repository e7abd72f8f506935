package org.antidote.io;

import java.nio.file.Path;

/**
 * Bad input from a user: a file, a line or a parameter that is not what was expected. The message
 * always names where the problem is and what was expected; the command line prints it without a
 * stack trace.
 */
public class BadInputException extends RuntimeException {

  /** An error about the whole input or a parameter. */
  public BadInputException(String message) {
    super(message);
  }

  /** An error with a cause (an I/O or parse failure underneath). */
  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** An error at one line of one file: "{@code file:line: what}". */
  public static BadInputException at(Path file, long line, String what) {
    return new BadInputException(file + ":" + line + ": " + what);
  }

  /** An error about one file as a whole: "{@code file: what}". */
  public static BadInputException in(Path file, String what) {
    return new BadInputException(file + ": " + what);
  }
}
