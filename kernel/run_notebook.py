"""Executes a notebook headlessly with nbclient and writes the executed copy.

Usage: run_notebook.py IN.ipynb OUT.ipynb [KERNEL] [TIMEOUT] [--param=NAME=VALUE ...] [--quiet] [--allow-errors]

The kernel starts in the notebook's folder, as in Jupyter, so relative paths mean the same in both.
Parameter cells (tagged "parameters") are overridden with --param=NAME=VALUE: a line
`var NAME = ...;` (or `String`, `int`, `long`, `double`) becomes `var NAME = VALUE;`; a NAME that no
parameter cell declares stops the run (exit 1) before the kernel starts. Each executed cell is reported on standard error
(unless --quiet). The executed copy is written even when a cell fails, so the failure can be read
in it; the exit status is then 1 and the failing cell is printed (--allow-errors: 0).

A cell whose source contains the marker INTERRUPT-ME gets a 6 second timeout, after which nbclient
interrupts the kernel (as Kernel > Interrupt does; the kernel tests use it); every other cell gets
TIMEOUT seconds. Used by ./antidote demo (notebook 07) and by the tests (every notebook).
"""
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    params = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--param=")]
    if len(args) < 2 or any("=" not in p for p in params):
        sys.exit(__doc__)
    quiet = "--quiet" in sys.argv[1:]
    src, dst = args[0], args[1]
    kernel = args[2] if len(args) > 2 else "antidote"
    timeout = int(args[3]) if len(args) > 3 else 600
    nb = nbformat.read(src, as_version=4)
    for p in params:
        name, value = p.split("=", 1)
        replaced = 0
        for cell in nb.cells:
            if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
                cell.source, n = re.subn(r"^(\s*(?:var|String|int|long|double)\s+" + re.escape(name) + r"\s*=)[^\n]*;",
                                         lambda m: m.group(1) + " " + value + ";", cell.source, flags=re.M)
                replaced += n
        if replaced == 0:
            sys.exit("%s: no parameter cell declares `var %s = ...;` (--param=%s=...)" % (src, name, name))

    def cell_timeout(cell):
        return 6 if "INTERRUPT-ME" in cell.source else timeout

    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    started = {}

    def on_start(cell, cell_index):
        started[cell_index] = time.time()

    def on_executed(cell, cell_index, execute_reply):
        if quiet:
            return
        n = sum(1 for c in nb.cells[:cell_index + 1] if c.cell_type == "code")
        first = next((line for line in cell.source.splitlines() if line.strip() and not line.startswith("//")), "")
        print("[notebook] cell %d/%d done in %.1f s: %s" % (n, code_cells, time.time() - started.get(cell_index, time.time()),
                                                             first[:70]), file=sys.stderr, flush=True)

    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, timeout_func=cell_timeout,
                            allow_errors=True, interrupt_on_timeout=True, record_timing=True,
                            on_cell_start=on_start, on_cell_executed=on_executed,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}})
    start = time.time()
    client.execute()
    nb.metadata["antidote_execution_seconds"] = time.time() - start
    nbformat.write(nb, dst)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and "--allow-errors" not in sys.argv[1:]:
                print("[notebook] a cell failed:\n%s\n%s: %s" % (cell.source, out.get("ename"), out.get("evalue")),
                      file=sys.stderr)
                sys.exit(1)


if __name__ == "__main__":
    main()
