#!/usr/bin/env python3
"""The PyTorch peer of `./antidote bench train` and `bench generate`: the same model in PyTorch 2.x.

Written as a PyTorch user would: one fused QKV projection, F.scaled_dot_product_attention, AdamW
(the fused CPU kernel where this PyTorch has one), optionally torch.compile. Run by the Java
benchmark with the launcher's environment (ANTIDOTE_PYTHON), one process per mode so that peak
memory is the mode's own. Prints one JSON line.
Usage:
  train_peer.py train MODE LAYERS HEADS D_MODEL D_MLP CONTEXT VOCAB BATCH STEPS WARMUP THREADS
      MODE is eager or compile; prints tokens/s, step time, phases, peak RSS, versions
  train_peer.py generate LAYERS HEADS D_MODEL D_MLP CONTEXT VOCAB BATCH PROMPT NEW REPS THREADS
      greedy generation with a KV cache; prints the best tokens/s of REPS runs
"""
import json
import math
import resource
import sys
import time

import torch
import torch.nn.functional as F


class Block(torch.nn.Module):
    def __init__(self, d, heads, d_mlp):
        super().__init__()
        self.heads = heads
        self.qkv = torch.nn.Linear(d, 3 * d, bias=False)
        self.o = torch.nn.Linear(d, d, bias=False)
        self.gate = torch.nn.Linear(d, d_mlp, bias=False)
        self.up = torch.nn.Linear(d, d_mlp, bias=False)
        self.down = torch.nn.Linear(d_mlp, d, bias=False)

    def forward(self, x, cos, sin, cache=None):
        b, t, d = x.shape
        h = self.heads
        dh = d // h
        q, k, v = self.qkv(F.layer_norm(x, (d,))).view(b, t, 3, h, dh).unbind(2)
        q = rope(q, cos, sin).transpose(1, 2)
        k = rope(k, cos, sin).transpose(1, 2)
        v = v.transpose(1, 2)
        if cache is not None:
            if cache:
                k = torch.cat([cache[0], k], dim=2)
                v = torch.cat([cache[1], v], dim=2)
            cache[:] = [k, v]
        # One new token attends to everything cached: no mask needed then.
        z = F.scaled_dot_product_attention(q, k, v, is_causal=t > 1)
        x = x + self.o(z.transpose(1, 2).reshape(b, t, d))
        n = F.layer_norm(x, (d,))
        return x + self.down(F.silu(self.gate(n)) * self.up(n))


def rope(x, cos, sin):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


class Model(torch.nn.Module):
    def __init__(self, layers, heads, d, d_mlp, context, vocab):
        super().__init__()
        self.embed = torch.nn.Embedding(vocab, d)
        # GPT-style init: PyTorch's N(0, 1) embedding, tied to the unembedding, makes logits so large
        # that training on the bench's random tokens diverges to NaN within a few dozen steps.
        torch.nn.init.normal_(self.embed.weight, std=0.02)
        self.blocks = torch.nn.ModuleList([Block(d, heads, d_mlp) for _ in range(layers)])
        half = d // heads // 2
        inv = 10000.0 ** (-2.0 * torch.arange(half) / (d // heads))
        ang = torch.arange(context)[:, None] * inv[None, :]
        self.register_buffer("cos", ang.cos()[:, None, :])
        self.register_buffer("sin", ang.sin()[:, None, :])

    def forward(self, tokens, start=0, caches=None):
        t = tokens.shape[1]
        x = self.embed(tokens)
        cos, sin = self.cos[start:start + t], self.sin[start:start + t]
        for i, blk in enumerate(self.blocks):
            x = blk(x, cos, sin, None if caches is None else caches[i])
        return F.layer_norm(x, (x.shape[-1],)) @ self.embed.weight.T


def adamw(params):
    kw = {"lr": 3e-3, "betas": (0.9, 0.95)}
    decay = [{"params": params, "weight_decay": 0.1}]
    try:
        return torch.optim.AdamW(decay, fused=True, **kw), "fused"
    except (RuntimeError, TypeError, ValueError):
        return torch.optim.AdamW(decay, foreach=True, **kw), "foreach"


def train(mode, layers, heads, d, d_mlp, context, vocab, batch, steps, warmup, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = Model(layers, heads, d, d_mlp, context, vocab)
    opt, kind = adamw([p for p in model.parameters() if p.dim() == 2])
    fwd = torch.compile(model) if mode == "compile" else model
    data = torch.randint(0, vocab, (2 * steps + warmup + 1, batch, context + 1))

    def step(i):
        # Contiguous as in the timed phases below: other strides would make torch.compile recompile.
        x, y = data[i, :, :-1].contiguous(), data[i, :, 1:].contiguous()
        loss = F.cross_entropy(fwd(x).reshape(-1, vocab), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss

    for i in range(warmup):  # compiles, where compiling
        step(i).item()
    start = time.perf_counter()
    for i in range(warmup, warmup + steps):
        step(i)
    loss = step(warmup + steps).item()
    seconds = time.perf_counter() - start
    # The same split the Java side reports: batch, forward with loss, backward, optimiser.
    phases = {"batch": 0.0, "forward": 0.0, "backward": 0.0, "optimizer": 0.0}
    for i in range(warmup + steps + 1, warmup + 2 * steps + 1):
        t0 = time.perf_counter()
        x, y = data[i, :, :-1].contiguous(), data[i, :, 1:].contiguous()
        t1 = time.perf_counter()
        loss = F.cross_entropy(fwd(x).reshape(-1, vocab), y.reshape(-1))
        loss.item()
        t2 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        t3 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        t4 = time.perf_counter()
        for k, a, b in (("batch", t0, t1), ("forward", t1, t2), ("backward", t2, t3), ("optimizer", t3, t4)):
            phases[k] += 1000 * (b - a) / steps
    return {
        "tokens_per_second": (steps + 1) * batch * context / seconds,
        "step_ms": 1000 * seconds / (steps + 1),
        "phases_ms": phases,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "torch": torch.__version__,
        "optimizer": "AdamW " + kind,
        "loss": loss.item() if math.isfinite(loss.item()) else None,  # JSON has no NaN
    }


@torch.no_grad()
def generate(layers, heads, d, d_mlp, context, vocab, batch, prompt, new, reps, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = Model(layers, heads, d, d_mlp, context, vocab).eval()
    prompts = torch.randint(1, vocab, (batch, prompt))
    best = 0.0
    for rep in range(reps + 1):  # the first run warms up
        start = time.perf_counter()
        caches = [[] for _ in model.blocks]
        logits = model(prompts, 0, caches)
        tok = logits[:, -1].argmax(-1, keepdim=True)
        for i in range(1, new):
            logits = model(tok, prompt + i - 1, caches)
            tok = logits[:, -1].argmax(-1, keepdim=True)
        if rep > 0:
            best = max(best, batch * new / (time.perf_counter() - start))
    return {"tokens_per_second": best, "torch": torch.__version__}


def main():
    what = sys.argv[1]
    if what == "train":
        out = train(sys.argv[2], *map(int, sys.argv[3:13]))
    elif what == "generate":
        out = generate(*map(int, sys.argv[2:13]))
    else:
        sys.exit("train_peer.py: the first argument is train or generate, not " + what)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
