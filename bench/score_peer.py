#!/usr/bin/env python3
"""The peer of `./antidote bench score`: the same quantized MiniLM encoder in Python ONNX Runtime.

Reads the ONNX model and tokenizer the Java scorer ships (extracted by the benchmark into DIR) and
the texts (one JSON list), embeds them as sentence-transformers does (tokens cut at 256, mean over
real tokens, unit length), one text per call as the Java default does and in padded batches of 32,
with 2 intra-op threads. Run with the launcher's environment (ANTIDOTE_PYTHON).
Usage: score_peer.py DIR   (DIR holds model.onnx, tokenizer.json, texts.json)
Prints one JSON line: texts/s one at a time and batched, and the versions.
"""
import json
import sys
import time

import numpy as np
import onnxruntime as ort
import tokenizers


def embed(session, names, tok, texts):
    enc = tok.encode_batch(texts)
    n = max(len(e.ids) for e in enc)
    ids = np.zeros((len(texts), n), dtype=np.int64)
    mask = np.zeros((len(texts), n), dtype=np.int64)
    for i, e in enumerate(enc):
        ids[i, :len(e.ids)] = e.ids
        mask[i, :len(e.ids)] = 1
    feed = {"input_ids": ids, "attention_mask": mask}
    if "token_type_ids" in names:
        feed["token_type_ids"] = np.zeros_like(ids)
    hidden = session.run(None, feed)[0]
    pooled = (hidden * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def main():
    d = sys.argv[1]
    texts = json.load(open(d + "/texts.json"))
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    so.inter_op_num_threads = 1
    session = ort.InferenceSession(d + "/model.onnx", so, providers=["CPUExecutionProvider"])
    names = {i.name for i in session.get_inputs()}
    tok = tokenizers.Tokenizer.from_file(d + "/tokenizer.json")
    tok.no_padding()
    tok.enable_truncation(256)
    embed(session, names, tok, texts[:50])  # warm-up
    out = {"onnxruntime": ort.__version__, "tokenizers": tokenizers.__version__}
    for key, size in (("one_per_call", 1), ("batch_32", 32)):
        start = time.perf_counter()
        for i in range(0, len(texts), size):
            embed(session, names, tok, texts[i:i + size])
        out[key] = len(texts) / (time.perf_counter() - start)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
