#!/usr/bin/python3
"""The peer of `./antidote bench train`: the same model, batch and optimiser in Python PyTorch.

Run by the Java benchmark with Debian's python3-torch (1.13, OpenBLAS with OPENBLAS_NUM_THREADS=1
and 2 torch threads). Prints one JSON line: tokens/s, step time and peak resident memory.
Usage: train_peer.py LAYERS HEADS D_MODEL D_MLP CONTEXT VOCAB BATCH STEPS WARMUP THREADS
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

    def forward(self, x, cos, sin, mask):
        b, t, d = x.shape
        h = self.heads
        dh = d // h
        q, k, v = self.qkv(F.layer_norm(x, (d,))).split(d, dim=2)
        q = rope(q.view(b, t, h, dh), cos, sin).transpose(1, 2)
        k = rope(k.view(b, t, h, dh), cos, sin).transpose(1, 2)
        v = v.view(b, t, h, dh).transpose(1, 2)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(dh) + mask
        z = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.o(z)
        n = F.layer_norm(x, (d,))
        return x + self.down(F.silu(self.gate(n)) * self.up(n))


def rope(x, cos, sin):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


class Model(torch.nn.Module):
    def __init__(self, layers, heads, d, d_mlp, context, vocab):
        super().__init__()
        self.embed = torch.nn.Embedding(vocab, d)
        self.blocks = torch.nn.ModuleList([Block(d, heads, d_mlp) for _ in range(layers)])
        half = d // heads // 2
        inv = 10000.0 ** (-2.0 * torch.arange(half) / (d // heads))
        ang = torch.arange(context)[:, None] * inv[None, :]
        self.register_buffer("cos", ang.cos()[:, None, :])
        self.register_buffer("sin", ang.sin()[:, None, :])
        self.register_buffer("mask", torch.full((context, context), float("-inf")).triu(1))

    def forward(self, tokens):
        t = tokens.shape[1]
        x = self.embed(tokens)
        for blk in self.blocks:
            x = blk(x, self.cos[:t], self.sin[:t], self.mask[:t, :t])
        return F.layer_norm(x, (x.shape[-1],)) @ self.embed.weight.T


def main():
    layers, heads, d, d_mlp, context, vocab, batch, steps, warmup, threads = map(int, sys.argv[1:11])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = Model(layers, heads, d, d_mlp, context, vocab)
    decay = [p for p in model.parameters() if p.dim() == 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}], lr=3e-3, betas=(0.9, 0.95))
    data = torch.randint(0, vocab, (steps + warmup, batch, context + 1))
    for i in range(steps + warmup):
        if i == warmup:
            start = time.perf_counter()
        x, y = data[i, :, :-1], data[i, :, 1:]
        loss = F.cross_entropy(model(x).reshape(-1, vocab), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    seconds = time.perf_counter() - start
    # The same split the Java side reports: batch, forward with loss, backward, optimiser.
    phases = {"batch": 0.0, "forward": 0.0, "backward": 0.0, "optimizer": 0.0}
    for i in range(steps):
        t0 = time.perf_counter()
        x, y = data[i, :, :-1].contiguous(), data[i, :, 1:].contiguous()
        t1 = time.perf_counter()
        loss = F.cross_entropy(model(x).reshape(-1, vocab), y.reshape(-1))
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
    print(json.dumps({
        "tokens_per_second": steps * batch * context / seconds,
        "step_ms": 1000 * seconds / steps,
        "phases_ms": phases,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "torch": torch.__version__,
        "blas": "openblas" if "openblas" in torch.__config__.show().lower() else "other",
    }))


if __name__ == "__main__":
    main()
