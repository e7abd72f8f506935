"""Writes a tiny ONNX text classifier for OnnxClassifierTest: mean of per-token logit pairs.

Usage: tiny_classifier.py OUT.onnx VOCAB BAD_ID[,BAD_ID...]
Tokens listed as bad push the second ("toxic") logit up; every other token pushes it down.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    out, vocab, bad = sys.argv[1], int(sys.argv[2]), [int(x) for x in sys.argv[3].split(",")]
    table = np.zeros((vocab, 2), dtype=np.float32)
    table[:, 1] = -3.0
    for b in bad:
        table[b, 1] = 12.0
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "input_ids"], ["per_token"], axis=0),
         helper.make_node("ReduceMean", ["per_token"], ["logits"], axes=[1], keepdims=0)],
        "tiny_classifier",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, None]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, [1, None])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 2])],
        [numpy_helper.from_array(table, "table")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, out)


if __name__ == "__main__":
    main()
