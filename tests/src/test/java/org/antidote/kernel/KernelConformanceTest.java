package org.antidote.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standard conformance suite for Jupyter kernels (Debian's python3-jupyter-kernel-test) against
 * the installed antidote kernel: execute results, stdout, stderr, errors, is_complete, completion,
 * inspection, display data, kernel info.
 */
class KernelConformanceTest {

  @TempDir Path tmp;

  @Test
  void passesJupyterKernelTest() throws Exception {
    KernelSupport.resource("test_conformance.py", tmp);
    KernelSupport.Run r =
        KernelSupport.python(tmp, List.of("-m", "unittest", "-v", "test_conformance"), 10);
    System.out.println(r.output());
    assertEquals(0, r.exit(), r.output());
    for (String test :
        List.of(
            "test_execute_result",
            "test_execute_stdout",
            "test_execute_stderr",
            "test_error",
            "test_is_complete",
            "test_completion",
            "test_inspect",
            "test_display_data",
            "test_kernel_info")) {
      assertTrue(
          r.output().contains(test + " ")
              && !r.output()
                  .contains(
                      test + " (test_conformance.AntidoteKernelTests." + test + ") ... skipped"),
          test + " did not run and pass:\n" + r.output());
    }
  }
}
