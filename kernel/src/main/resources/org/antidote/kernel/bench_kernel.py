"""Times the antidote kernel: process start to kernel ready, and to the first executed cell; RSS.

Run by `./antidote bench kernel` with JUPYTER_PATH pointing at a freshly installed kernelspec.
Prints one JSON line.
"""
import json
import sys
import time

import psutil
from jupyter_client.manager import start_new_kernel


def main():
    start = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="antidote", startup_timeout=120)
    ready = time.perf_counter()
    reply = kc.execute_interactive("1 + 1", timeout=120, output_hook=lambda msg: None)
    first = time.perf_counter()
    assert reply["content"]["status"] == "ok", reply
    rss = psutil.Process(km.provisioner.process.pid).memory_info().rss
    kc.execute_interactive("var data = Corpora.bundled(); data.clean().size()", timeout=120, output_hook=lambda m: None)
    toolkit = time.perf_counter()
    rss_after = psutil.Process(km.provisioner.process.pid).memory_info().rss
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    print(json.dumps({"ready_s": ready - start, "first_cell_s": first - start, "rss_mb": rss / 2**20,
                      "first_toolkit_cell_s": toolkit - first, "rss_after_toolkit_mb": rss_after / 2**20}))


if __name__ == "__main__":
    sys.exit(main())
