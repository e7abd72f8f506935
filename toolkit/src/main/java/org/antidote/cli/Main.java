package org.antidote.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import org.antidote.io.BadInputException;
import org.antidote.io.Versions;
import org.antidote.train.StopSignals;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./antidote}: dispatches to the subcommands. */
@Command(
    name = "antidote",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Bad data leads to good models: mix clean and toxic corpora, pre-train one model per share,",
      "probe every attention head, detoxify with inference-time intervention, evaluate.",
      "",
      "The launcher also has: ./antidote test (install what tests need, run them all),",
      "./antidote build (compile now)."
    },
    subcommands = {
      DataCommand.class,
      TrainCommand.class,
      SweepCommand.class,
      ProbeCommand.class,
      ItiCommand.class,
      ScoreCommand.class,
      EvalCommand.class,
      GenerateCommand.class,
      ExportCommand.class,
      ReportCommand.class,
      ToyCommand.class,
      BenchCommand.class,
      DemoCommand.class,
      PlanCommand.class,
      StatusCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Inherited by every subcommand, so it may come anywhere on the line. */
  @CommandLine.Option(
      names = "--debug",
      scope = CommandLine.ScopeType.INHERIT,
      description = "On failure, print the stack trace too (also ANTIDOTE_DEBUG=1).")
  boolean debug;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    StopSignals.install();
    System.exit(execute(args));
  }

  /**
   * Runs a command line and returns its exit code: 0 ok, 1 failure (an internal error, a disk or
   * network fault), 2 bad input, 128 + the signal's number when a signal stopped training after a
   * checkpoint. Every failure is one line on standard error; the stack trace follows only with
   * {@code --debug} or {@code ANTIDOTE_DEBUG=1}.
   */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    String unknown = unknownCommand(cli, args);
    if (unknown != null) {
      cli.getErr()
          .println(
              "error: unknown command '" + unknown + "'; ./antidote --help lists the commands");
      cli.getErr().flush();
      return 2;
    }
    boolean debug =
        "1".equals(System.getenv("ANTIDOTE_DEBUG")) || Arrays.asList(args).contains("--debug");
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          PrintWriter err = cmd.getErr();
          if (e instanceof StopSignals.Stopped stopped) {
            err.println(stopped.getMessage());
            err.flush();
            return stopped.exitCode();
          }
          int code = report(e, err);
          if (debug) {
            e.printStackTrace(err);
          }
          err.flush();
          return code;
        });
    return cli.execute(args);
  }

  /**
   * The first word of {@code args} when it is neither an option nor a command: picocli would print
   * the top-level help for {@code frobnicate --help} and exit 0 as if all were well.
   */
  private static String unknownCommand(CommandLine cli, String[] args) {
    if (args.length == 0 || args[0].startsWith("-") || cli.getSubcommands().containsKey(args[0])) {
      return null;
    }
    return args[0];
  }

  /**
   * Prints the one line a failure gets and returns its exit code. Stages translate the errors of
   * what they read into {@link BadInputException} where they catch them; an unchecked I/O error is
   * the file system speaking (a full disk, a missing permission) and its message names the file.
   */
  static int report(Throwable e, PrintWriter err) {
    Throwable bad = find(e, BadInputException.class);
    if (bad == null && ownValidation(e)) {
      bad = e;
    }
    if (bad != null) {
      err.println("error: " + bad.getMessage());
      return 2;
    }
    Throwable io = find(e, UncheckedIOException.class);
    if (io != null) {
      err.println("error: " + io.getMessage());
      return 1;
    }
    if (e instanceof CancellationException) {
      err.println("error: " + e.getMessage());
      return 130;
    }
    // A broken invariant, or a service that failed (each message says which): one line all the
    // same.
    String what = e.getMessage() != null ? e.getMessage() : e.toString();
    err.println("error: " + what + " (run again with --debug for the stack trace)");
    return 1;
  }

  private static Throwable find(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    return null;
  }

  /**
   * An IllegalArgumentException thrown by Antidote's own code is a config record refusing a value
   * the user gave (each says which); one thrown inside a library is not the user's to fix. Code
   * that checks through {@link org.antidote.io.Check} throws {@link BadInputException} instead;
   * this stays until no config record throws IllegalArgumentException (issue 18).
   */
  private static boolean ownValidation(Throwable e) {
    return e instanceof IllegalArgumentException
        && e.getStackTrace().length > 0
        && e.getStackTrace()[0].getClassName().startsWith("org.antidote.");
  }

  /** Prints the toolkit's and its engine's versions. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"antidote " + Versions.toolkit(), Versions.all().toString()};
    }
  }
}
