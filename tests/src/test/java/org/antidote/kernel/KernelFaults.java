package org.antidote.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The kernel's faults, driven in one fresh JVM (so {@link KernelFaultsTest} can run it on each
 * JDK): a tight loop interrupted, a cell exhausting the heap, a cell printing 100 MB; after each,
 * the next cell must run. Prints one {@code name=value} line per measurement; exits non-zero,
 * saying why, at the first thing that goes wrong.
 */
public final class KernelFaults {

  private KernelFaults() {}

  public static void main(String[] args) throws Exception {
    PrintStream console = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    // What the notebook would receive: the base kernel points System.out at the front end like
    // this.
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    AntidoteKernel kernel = new AntidoteKernel();
    ExecutorService shell = Executors.newSingleThreadExecutor();
    try {
      console.println("java.version=" + System.getProperty("java.version"));
      for (String loop :
          new String[] {
            "long n = 0; while (true) { n++; }", // a loop in the cell itself
            "void spin() { for (;;) { } } spin();", // a loop in a method it defines
            "int fib(int k) { return k < 2 ? k : fib(k - 1) + fib(k - 2); } fib(60);", // recursion,
            // no loop at
            // all
            "while (true) { try { Thread.sleep(0, 1); } catch (Exception e) { } }"
          }) { // swallows InterruptedException
        Future<DisplayData> cell = shell.submit(() -> kernel.eval(loop));
        Thread.sleep(1500); // well inside the loop, compiled by the JIT
        long start = System.nanoTime();
        kernel.interrupt();
        Throwable thrown = null;
        try {
          cell.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          thrown = e.getCause();
        } catch (TimeoutException e) {
          fail("the cell `" + loop + "` was still running 10 s after the interrupt");
        }
        double ms = (System.nanoTime() - start) / 1e6;
        if (thrown == null) {
          fail("the cell `" + loop + "` returned normally after the interrupt");
        }
        String said = String.join("\n", kernel.formatError((Exception) thrown));
        if (!said.contains("interrupted")) {
          fail("the interrupted cell's error does not say so: " + said);
        }
        console.printf("interrupt_ms=%.0f%n", ms);
        expectNextCellRuns(kernel, console);
      }

      Throwable oom = null;
      try {
        kernel.eval(
            "{ java.util.List<long[]> hog = new java.util.ArrayList<>();"
                + " while (true) { hog.add(new long[10_000_000]); } }");
      } catch (Exception e) {
        oom = e;
      }
      String said = oom == null ? "" : String.join("\n", kernel.formatError((Exception) oom));
      if (!said.contains("OutOfMemoryError")) {
        fail("the heap-exhausting cell did not end with an OutOfMemoryError: " + said);
      }
      console.println("oom=survived");
      expectNextCellRuns(kernel, console);

      captured.reset();
      long start = System.nanoTime();
      kernel.eval(
          "String line = \"x\".repeat(99); for (int i = 0; i < 1_000_000; i++) { System.out.println(line); }");
      double seconds = (System.nanoTime() - start) / 1e9;
      String out = captured.toString(StandardCharsets.UTF_8);
      console.printf("print_100mb_shown_bytes=%d%nprint_100mb_s=%.1f%n", captured.size(), seconds);
      if (captured.size() > OutputLimit.LIMIT + 1000) {
        fail("a 100 MB cell sent " + captured.size() + " bytes to the notebook");
      }
      if (!out.contains("[output truncated: ") || !out.startsWith("x".repeat(99) + "\n")) {
        fail(
            "the truncated output lacks its start or its note: ..."
                + out.substring(Math.max(0, out.length() - 300)));
      }
      expectNextCellRuns(kernel, console);
      console.println("all=ok");
    } finally {
      shell.shutdownNow();
      kernel.onShutdown(false);
    }
    System.exit(0);
  }

  private static void expectNextCellRuns(AntidoteKernel kernel, PrintStream console)
      throws Exception {
    DisplayData d = kernel.eval("6 * 7");
    String text =
        d == null
            ? null
            : String.valueOf(
                d.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
    if (text == null || !text.contains("42")) {
      fail("the next cell did not run: " + text);
    }
  }

  private static void fail(String why) {
    System.err.println("FAILED: " + why);
    System.exit(1);
  }
}
