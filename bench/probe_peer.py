#!/usr/bin/env python3
"""The peer of `./antidote bench probe`: scikit-learn's LogisticRegression fitted head by head.

Reads the activations and the split the Java side used (raw little-endian float32 and int32 files)
and fits the same L2 objective on the same standardised features: C = 1 / (l2 * n_train).
Usage: probe_peer.py DIR   (DIR holds meta.json, z.f32, labels.i32, train.i32, val.i32)
Run with the launcher's environment (ANTIDOTE_PYTHON). Prints one JSON line: wall and CPU seconds, per-head
validation accuracy and the versions.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression


def main():
    d = sys.argv[1]
    meta = json.load(open(d + "/meta.json"))
    n, heads, dh = meta["texts"], meta["heads"], meta["d_head"]
    z = np.fromfile(d + "/z.f32", dtype="<f4").reshape(n, heads, dh)
    y = np.fromfile(d + "/labels.i32", dtype="<i4")
    tr = np.fromfile(d + "/train.i32", dtype="<i4")
    va = np.fromfile(d + "/val.i32", dtype="<i4")
    c = 1.0 / (meta["l2"] * len(tr))
    start = time.perf_counter()
    cpu = time.process_time()
    acc = []
    for h in range(heads):
        x = z[:, h, :]
        mu = x[tr].mean(axis=0)
        sd = x[tr].std(axis=0) + 1e-6
        xtr = (x[tr] - mu) / sd
        xva = (x[va] - mu) / sd
        model = LogisticRegression(C=c, max_iter=1000).fit(xtr, y[tr])
        acc.append(float((model.predict(xva) == y[va]).mean()))
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "accuracy": acc, "sklearn": sklearn.__version__, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
