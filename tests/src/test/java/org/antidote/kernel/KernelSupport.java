package org.antidote.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kernel installed for tests: {@code ./antidote kernel install --prefix} into a temporary
 * prefix (the real command, with Jupyter's own {@code jupyter kernelspec install}), and Python
 * helpers run by Debian's {@code /usr/bin/python3} with {@code JUPYTER_PATH} pointing there.
 */
final class KernelSupport {

  private static Path prefix;

  private KernelSupport() {}

  /** The prefix holding the installed kernelspec, installing it on first use. */
  static synchronized Path prefix() throws Exception {
    if (prefix == null) {
      Path p = Files.createTempDirectory("antidote-jupyter-");
      assertEquals(
          0,
          KernelCli.run(new String[] {"install", "--prefix", p.toString(), "--heap", "2g"}),
          "kernel install failed");
      assertTrue(Files.isRegularFile(p.resolve("share/jupyter/kernels/antidote/kernel.json")));
      prefix = p;
    }
    return prefix;
  }

  /** A test resource copied into {@code dir}. */
  static Path resource(String name, Path dir) throws IOException {
    try (InputStream in = KernelSupport.class.getResourceAsStream("/kernel/" + name)) {
      Path out = dir.resolve(name);
      Files.write(out, in.readAllBytes());
      return out;
    }
  }

  /** The checkout's root (the tests run in its {@code tests} module). */
  static Path root() {
    return Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
  }

  /**
   * The checkout's notebook runner, {@code kernel/run_notebook.py} (what ./antidote demo uses too).
   */
  static String runner() {
    return root().resolve("kernel/run_notebook.py").toString();
  }

  /** Output and exit code of a Python command run with the test kernelspec visible. */
  record Run(int exit, String output) {}

  static Run python(Path dir, List<String> args, int timeoutMinutes) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("JUPYTER_PATH", prefix().resolve("share/jupyter").toString());
    pb.environment().put("PYTHONUNBUFFERED", "1");
    Path log = dir.resolve("python.log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return new Run(-1, Files.readString(log, StandardCharsets.UTF_8) + "\n(timed out)");
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
