"""The peer of `./antidote bench hf`: transformers on torch 2.13 (CPU), run with ANTIDOTE_PYTHON.

  hf_peer.py make DIR                          a GPT-2-small-shaped model (124M parameters, random
                                               weights, float32) saved with save_pretrained
  hf_peer.py forward DIR BATCH SEQ REPS THREADS  load time and forward tokens/s; prints one JSON line
"""
import json
import os
import resource
import sys
import time

import torch


def make(out):
    from transformers import GPT2Config, GPT2LMHeadModel
    torch.manual_seed(0)
    GPT2LMHeadModel(GPT2Config()).save_pretrained(out)


def forward(d, batch, seq, reps, threads):
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    from transformers import AutoModelForCausalLM
    t0 = time.perf_counter()
    model = AutoModelForCausalLM.from_pretrained(d, dtype=torch.float32).eval()
    load = time.perf_counter() - t0
    ids = torch.randint(0, model.config.vocab_size, (batch, seq), generator=torch.Generator().manual_seed(1))
    with torch.inference_mode():
        for _ in range(2):
            model(ids).logits.sum().item()
        t0 = time.perf_counter()
        for _ in range(reps):
            model(ids).logits.sum().item()
        dt = time.perf_counter() - t0
    print(json.dumps({"load_seconds": load, "tokens_per_second": batch * seq * reps / dt,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "make":
        make(sys.argv[2])
    elif len(sys.argv) == 7 and sys.argv[1] == "forward":
        forward(sys.argv[2], *map(int, sys.argv[3:]))
    else:
        sys.exit(__doc__)
