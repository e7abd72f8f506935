package org.antidote.kernel;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.antidote.io.AtomicFiles;
import org.antidote.io.Json;
import org.antidote.plot.PlotlyJs;

/**
 * {@code ./antidote kernel install [--user | --prefix DIR] [--heap 4g] [--threads 2]}: writes the
 * {@code antidote} kernelspec ("Antidote (Java)") for this JVM and classpath, and installs it with
 * Jupyter's own {@code jupyter kernelspec install}.
 */
final class KernelCli {

  /** The kernelspec name. */
  static final String NAME = "antidote";

  private KernelCli() {}

  static int run(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("bench")) {
      return bench(args.length > 1 ? Integer.parseInt(args[1]) : 3);
    }
    if (args.length == 0 || !args[0].equals("install")) {
      System.out.println(
          "usage: ./antidote kernel install [--user | --prefix DIR] [--heap 4g] [--threads 2]");
      return args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 2;
    }
    String scope = "--sys-prefix";
    String prefix = null;
    String heap = "4g";
    String threads = "2";
    for (int i = 1; i < args.length; i++) {
      String flag = args[i];
      if (List.of("--prefix", "--heap", "--threads").contains(flag) && i + 1 == args.length) {
        System.err.println("error: " + flag + " needs a value");
        return 2;
      }
      switch (flag) {
        case "--user" -> scope = "--user";
        case "--prefix" -> {
          scope = "--prefix";
          prefix = args[++i];
        }
        case "--heap" -> heap = args[++i];
        case "--threads" -> threads = args[++i];
        default -> {
          System.err.println(
              "error: unknown option "
                  + flag
                  + "; expected --user, --prefix DIR, --heap, --threads");
          return 2;
        }
      }
    }
    // Checked here, before anything is written: a bad value would only show when Jupyter starts the
    // kernel.
    if (!heap.matches("[1-9][0-9]*[kKmMgGtT]?")) {
      System.err.println("error: --heap " + heap + ": expected a JVM heap size such as 4g or 512m");
      return 2;
    }
    if (!threads.matches("[1-9][0-9]{0,3}")) {
      System.err.println(
          "error: --threads " + threads + ": expected a whole number of threads, 1 or more");
      return 2;
    }
    if (prefix != null && Files.exists(Path.of(prefix)) && !Files.isDirectory(Path.of(prefix))) {
      System.err.println(
          "error: --prefix " + prefix + " is a file; expected a folder (an environment's prefix)");
      return 2;
    }
    Path staging = Files.createTempDirectory("antidote-kernelspec-");
    try {
      return installSpec(writeSpec(staging.resolve(NAME), heap, threads), scope, prefix);
    } finally {
      AtomicFiles.deleteTree(staging);
    }
  }

  /**
   * Installs the written spec folder with Jupyter's {@code jupyter kernelspec install} (it copies
   * it).
   */
  private static int installSpec(Path spec, String scope, String prefix) throws Exception {
    PlotlyJs.file(); // fetch plotly.js now, so charts never need the network later
    List<String> cmd =
        new ArrayList<>(List.of("jupyter", "kernelspec", "install", "--name", NAME, "--replace"));
    if (scope.equals("--prefix")) {
      cmd.addAll(List.of("--prefix", prefix));
    } else if (scope.equals("--user")) {
      cmd.add("--user");
    }
    cmd.add(spec.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      System.err.println(
          "jupyter kernelspec install failed (is Jupyter installed? apt-get install jupyter-notebook):\n"
              + out);
      return 1;
    }
    System.out.print(out);
    System.out.println("installed the kernel \"Antidote (Java)\" (" + NAME + ")");
    return 0;
  }

  /**
   * {@code ./antidote bench kernel}: kernel process start to ready and to the first executed cell,
   * resident memory after start, over a few fresh starts (jupyter_client drives it, as Notebook
   * does).
   */
  static int bench(int repeats) throws Exception {
    Path prefix = Files.createTempDirectory("antidote-bench-kernel-");
    Path spec = writeSpec(prefix.resolve("share/jupyter/kernels").resolve(NAME), "4g", "2");
    Path script = prefix.resolve("bench_kernel.py");
    try (var in = KernelCli.class.getResourceAsStream("bench_kernel.py")) {
      Files.write(script, in.readAllBytes());
    }
    List<Map<String, Double>> runs = new ArrayList<>();
    for (int i = 0; i < repeats; i++) {
      ProcessBuilder pb =
          new ProcessBuilder("/usr/bin/python3", script.toString()).redirectErrorStream(true);
      pb.environment().put("JUPYTER_PATH", prefix.resolve("share/jupyter").toString());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        System.err.println(
            "the kernel benchmark failed (needs python3-jupyter-client and python3-psutil):\n"
                + out);
        return 1;
      }
      String[] lines = out.strip().split("\n");
      @SuppressWarnings("unchecked")
      Map<String, Double> m = Json.MAPPER.readValue(lines[lines.length - 1], Map.class);
      runs.add(m);
      System.out.printf("run %d: %s%n", i + 1, m);
    }
    System.out.printf(
        "bench kernel  (%s, %d cores, %d fresh starts, median)%n",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        repeats);
    System.out.println(
        "| start to ready | start to first cell | RSS after first cell | first toolkit cell | RSS after it |");
    System.out.println("|---|---|---|---|---|");
    System.out.printf(
        "| %.2f s | %.2f s | %.0f MB | %.2f s | %.0f MB |%n",
        median(runs, "ready_s"),
        median(runs, "first_cell_s"),
        median(runs, "rss_mb"),
        median(runs, "first_toolkit_cell_s"),
        median(runs, "rss_after_toolkit_mb"));
    System.out.println(
        "goal: < 3 s from start to the first executed cell"
            + (median(runs, "first_cell_s") < 3 ? " (met)" : " (MISSED)"));
    return 0;
  }

  private static double median(List<Map<String, Double>> runs, String key) {
    double[] v =
        runs.stream().mapToDouble(m -> ((Number) m.get(key)).doubleValue()).sorted().toArray();
    return v[v.length / 2];
  }

  /**
   * Writes {@code kernel.json} for this JVM and classpath into {@code dir}; returns {@code dir}.
   */
  static Path writeSpec(Path dir, String heap, String threads) throws Exception {
    Files.createDirectories(dir);
    List<String> argv =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=" + threads,
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp",
                classpath(),
                Main.class.getName(),
                "{connection_file}"));
    Map<String, Object> kernel = new LinkedHashMap<>();
    kernel.put("argv", argv);
    kernel.put("display_name", "Antidote (Java)");
    kernel.put("language", "java");
    kernel.put("interrupt_mode", "message");
    // JupyterLab and Notebook 7 read this to decide whether to offer their debugger.
    kernel.put("metadata", Map.of("debugger", false));
    Map<String, String> env = new LinkedHashMap<>();
    // Reproducible arithmetic (see ./antidote): MKL keeps its thread count whatever the load, and
    // both libraries use the AVX2 kernels on every x86 machine.
    env.put("MKL_DYNAMIC", "FALSE");
    env.put("OMP_DYNAMIC", "FALSE");
    env.put("MKL_CBWR", "AVX2,STRICT");
    env.put("ATEN_CPU_CAPABILITY", "avx2");
    String home = System.getenv("ANTIDOTE_HOME");
    if (home != null) {
      env.put("ANTIDOTE_HOME", home);
    }
    kernel.put("env", env);
    Files.writeString(dir.resolve("kernel.json"), Json.PRETTY.writeValueAsString(kernel));
    return dir;
  }

  private static String classpath() {
    List<String> parts = new ArrayList<>();
    for (String p : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!p.isBlank()) {
        parts.add(Path.of(p).toAbsolutePath().toString());
      }
    }
    return String.join(File.pathSeparator, parts);
  }
}
