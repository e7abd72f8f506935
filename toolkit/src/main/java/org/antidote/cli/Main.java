package org.antidote.cli;

import java.io.PrintWriter;
import org.antidote.io.BadInputException;
import org.antidote.io.Versions;
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
        "./antidote build (compile now)."},
    subcommands = {DataCommand.class, TrainCommand.class, SweepCommand.class, ProbeCommand.class, ItiCommand.class,
        ScoreCommand.class, EvalCommand.class, ReportCommand.class, ToyCommand.class, BenchCommand.class, DemoCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (0 ok, 1 failure, 2 bad input). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      Throwable cause = e;
      while (!(cause instanceof BadInputException) && !(cause instanceof IllegalArgumentException)
          && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof BadInputException || cause instanceof IllegalArgumentException) {
        err.println("error: " + cause.getMessage());
        err.flush();
        return 2;
      }
      err.println("error: " + e);
      e.printStackTrace(err);
      err.flush();
      return 1;
    });
    return cli.execute(args);
  }

  /** Prints the toolkit's and its engine's versions. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"antidote " + Versions.toolkit(), Versions.all().toString()};
    }
  }
}
