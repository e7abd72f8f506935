"""The standard Jupyter kernel conformance suite (jupyter_kernel_test) against the antidote kernel.

Run by KernelConformanceTest with JUPYTER_PATH pointing at a kernelspec installed for the test.
"""
import unittest

import jupyter_kernel_test


class AntidoteKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "antidote"
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("to stderr");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"anti" + "dote"', "result": "antidote"},
        {"code": "List.of(1, 2, 3)", "result": "[1, 2, 3]"},
    ]
    code_display_data = [
        {"code": 'display("shown")', "mime": "text/plain"},
    ]
    code_generate_error = 'throw new IllegalStateException("boom");'

    complete_code_samples = ["1 + 1", "int x = 1;", "class A {}"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "String s = \"a\" +"]

    completion_samples = [
        {"text": "System.currentTimeM", "matches": {"currentTimeMillis()"}},
    ]
    code_inspect_sample = "System.out.println"


if __name__ == "__main__":
    unittest.main()
