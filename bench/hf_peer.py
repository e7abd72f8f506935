"""The peer of `./antidote bench hf`: transformers on torch 2.13 (CPU), run with ANTIDOTE_PYTHON.

  hf_peer.py make DIR                          a GPT-2-small-shaped model (124M parameters, random
                                               weights, float32) saved with save_pretrained
  hf_peer.py serve DIR BATCH SEQ THREADS       loads the model and prints "@ {load JSON}"; then,
                                               for each "pass" line on stdin, runs one forward
                                               pass and prints "@ SECONDS"; stops at end of input

Serving passes one at a time lets the bench interleave them with antidote's, so both sides meet
the same load on a shared machine.
"""
import json
import resource
import sys
import time

import torch


def make(out):
    from transformers import GPT2Config, GPT2LMHeadModel
    torch.manual_seed(0)
    GPT2LMHeadModel(GPT2Config()).save_pretrained(out)


def serve(d, batch, seq, threads):
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    from transformers import AutoModelForCausalLM
    t0 = time.perf_counter()
    model = AutoModelForCausalLM.from_pretrained(d, dtype=torch.float32).eval()
    load = time.perf_counter() - t0
    ids = torch.randint(0, model.config.vocab_size, (batch, seq), generator=torch.Generator().manual_seed(1))

    def one():
        # No KV cache: the same work as antidote's plain forward (the cache would only add copies).
        with torch.inference_mode():
            model(ids, use_cache=False).logits.sum().item()

    print("@ " + json.dumps({"load_seconds": load,
                             "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                             "torch": torch.__version__,
                             "transformers": __import__("transformers").__version__,
                             "attention": model.config._attn_implementation,
                             "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        if line.strip() != "pass":
            sys.exit("unknown command: " + line.strip())
        t0 = time.perf_counter()
        one()
        print("@ %.6f" % (time.perf_counter() - t0), flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "make":
        make(sys.argv[2])
    elif len(sys.argv) == 6 and sys.argv[1] == "serve":
        serve(sys.argv[2], *map(int, sys.argv[3:]))
    else:
        sys.exit(__doc__)
