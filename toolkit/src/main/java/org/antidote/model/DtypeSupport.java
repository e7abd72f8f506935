package org.antidote.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.antidote.io.AtomicFiles;

/**
 * Whether the engine can compute a {@link Precision}'s matrix products on a device, found out once
 * in a child JVM and cached. A child, because the failure is not an exception: with DJL 0.33
 * (libtorch 2.5.1) creating or converting any bfloat16 array aborts the whole process, since DJL's
 * JNI dtype switch has no bfloat16 case and ends in a bare {@code throw;}. The child runs exactly
 * the casts and products {@link Transformer} would; its exit status is the answer.
 *
 * <p>The cache is {@code <antidote.root>/.antidote-build/dtype-support.properties} (or the temp
 * folder without a root), keyed by precision, device, DJL and engine version.
 */
public final class DtypeSupport {

  private static final Map<String, Boolean> MEMO = new ConcurrentHashMap<>();
  private static final String OK = "antidote-dtype-ok";

  private DtypeSupport() {}

  /** True when {@code p}'s products work on {@code device}; FP32 always does. */
  public static boolean supported(Precision p, Device device) {
    if (p == Precision.FP32) {
      return true;
    }
    String key =
        p
            + "@"
            + Devices.name(device)
            + "@djl-"
            + Engine.getDjlVersion()
            + "@"
            + Engine.getInstance().getEngineName()
            + "-"
            + Engine.getInstance().getVersion();
    return MEMO.computeIfAbsent(key, k -> cachedOrProbe(k, p, device));
  }

  /** The sentence a refused precision gets: what was probed, what happened, what to use instead. */
  public static String refusal(Precision p, Device device) {
    return "--"
        + p.name().toLowerCase(Locale.ROOT)
        + ": this engine (DJL "
        + Engine.getDjlVersion()
        + ", "
        + Engine.getInstance().getEngineName()
        + " "
        + Engine.getInstance().getVersion()
        + ") cannot compute "
        + p.dataType()
        + " matrix products on "
        + Devices.name(device)
        + " (a child process that tried aborted; DJL 0.33's native dtype table has no bfloat16)"
        + (p == Precision.BF16 ? "; use --fp16, which works" : "; train in float32");
  }

  private static boolean cachedOrProbe(String key, Precision p, Device device) {
    Path file = cacheFile();
    Properties props = new Properties();
    if (Files.isRegularFile(file)) {
      try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        props.load(in);
      } catch (IOException | IllegalArgumentException e) {
        props.clear(); // a corrupt cache is re-probed, not trusted
      }
    }
    String known = props.getProperty(key);
    if ("true".equals(known) || "false".equals(known)) {
      return Boolean.parseBoolean(known);
    }
    boolean ok = probeInChild(p, device);
    props.setProperty(key, Boolean.toString(ok));
    try {
      Files.createDirectories(file.getParent());
      StringWriter w = new StringWriter();
      props.store(
          w, "which half precisions this engine computes (see org.antidote.model.DtypeSupport)");
      AtomicFiles.writeString(file, w.toString());
    } catch (IOException e) {
      // An unwritable cache only costs another probe next time.
    }
    return ok;
  }

  private static Path cacheFile() {
    String root = System.getProperty("antidote.root");
    Path dir =
        root != null
            ? Path.of(root, ".antidote-build")
            : Path.of(System.getProperty("java.io.tmpdir"));
    return dir.resolve("dtype-support.properties");
  }

  private static boolean probeInChild(Precision p, Device device) {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                DtypeSupport.class.getName(),
                p.name(),
                Devices.name(device)));
    if (Files.isExecutable(Path.of("/bin/sh"))) {
      // An abort would otherwise leave a core file wherever the parent runs.
      List<String> quoted = cmd.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList();
      cmd = List.of("/bin/sh", "-c", "ulimit -c 0; exec " + String.join(" ", quoted));
    }
    try {
      Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out = proc.getInputStream().readAllBytes();
      if (!proc.waitFor(180, TimeUnit.SECONDS)) {
        proc.destroyForcibly();
        return false;
      }
      return proc.exitValue() == 0 && new String(out, StandardCharsets.UTF_8).contains(OK);
    } catch (IOException e) {
      throw new IllegalStateException(
          "could not start the dtype probe (" + String.join(" ", cmd) + "): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The child: the casts and a product as {@link Transformer} makes them; prints a marker on
   * success.
   */
  public static void main(String[] args) {
    Precision p = Precision.valueOf(args[0]);
    Device device = Devices.parse(args[1]);
    try (NDManager m = NDManager.newBaseManager(device)) {
      NDArray a = m.ones(new Shape(4, 8));
      NDArray b = m.ones(new Shape(8, 2));
      NDArray product =
          Transformer.cast(
              Transformer.cast(a, p.dataType()).matMul(Transformer.cast(b, p.dataType())),
              DataType.FLOAT32);
      if (product.getFloat(0, 0) != 8f) {
        System.exit(3);
      }
    }
    System.out.println(OK);
    System.exit(0);
  }
}
