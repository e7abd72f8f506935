package org.antidote.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.JupyterSocket;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code Main CONNECTION_FILE} starts the kernel (Jupyter does this, from the kernelspec); {@code
 * Main install|bench ...} are the launcher's {@code ./antidote kernel ...} commands.
 */
public final class Main {

  /**
   * The base kernel logs every message and every socket's start and stop at INFO; only problems are
   * worth showing. Its sockets log through {@code JupyterSocket.JUPYTER_LOGGER} ("Jupyter"), its
   * loops through loggers named after each socket, children of the root logger; so the root and
   * "Jupyter" are set to WARNING. Held in a field, because JUL keeps loggers weakly and a collected
   * logger forgets its level.
   */
  private static final List<Logger> BASE_KERNEL_LOGS =
      List.of(JupyterSocket.JUPYTER_LOGGER, Logger.getLogger(""));

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0
        && (args[0].equals("install") || args[0].equals("bench") || args[0].startsWith("-"))) {
      System.exit(execute(args));
    }
    if (args.length != 1) {
      System.err.println("usage: Main CONNECTION_FILE   (or: install [--user | --prefix DIR])");
      System.exit(2);
    }
    BASE_KERNEL_LOGS.forEach(l -> l.setLevel(Level.WARNING));
    KernelConnectionProperties props =
        KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
    JupyterConnection connection = new JupyterConnection(props);
    AntidoteKernel kernel = new AntidoteKernel();
    kernel.becomeHandlerForConnection(connection);
    KernelInfo.install(connection, kernel);
    connection.connect();
    connection.waitUntilClose();
  }

  /** Runs {@code ./antidote kernel install|bench ...} and returns its exit code (2: bad input). */
  public static int execute(String... args) throws Exception {
    return KernelCli.run(Arrays.copyOfRange(args, 0, args.length));
  }
}
