"""Executes a notebook headlessly with nbclient and writes the executed copy.

Usage: run_notebook.py IN.ipynb OUT.ipynb [KERNEL] [TIMEOUT]
A cell whose source contains the marker INTERRUPT-ME gets a 6 second timeout, after which nbclient
interrupts the kernel (as Kernel > Interrupt does); every other cell gets TIMEOUT seconds.
Parameter cells can be overridden with --param NAME=VALUE (replaces `var NAME = ...;` lines).
"""
import re
import sys
import time

import nbformat
from nbclient import NotebookClient


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--param")]
    params = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--param=")]
    src, dst = args[0], args[1]
    kernel = args[2] if len(args) > 2 else "antidote"
    timeout = int(args[3]) if len(args) > 3 else 600
    nb = nbformat.read(src, as_version=4)
    for p in params:
        name, value = p.split("=", 1)
        for cell in nb.cells:
            if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
                cell.source = re.sub(r"(var|String|int|long|double)\s+" + re.escape(name) + r"\s*=\s*[^;]*;",
                                     lambda m: m.group(0).split("=")[0] + "= " + value + ";", cell.source)

    def cell_timeout(cell):
        return 6 if "INTERRUPT-ME" in cell.source else timeout

    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, timeout_func=cell_timeout,
                            allow_errors=True, interrupt_on_timeout=True, record_timing=True)
    start = time.time()
    client.execute()
    nb.metadata["antidote_test_seconds"] = time.time() - start
    nbformat.write(nb, dst)


if __name__ == "__main__":
    main()
