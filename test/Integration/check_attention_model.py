#!/usr/bin/env python3
"""Compares the printed output of a rewritten model with the NumPy reference.

The model (an Inputs/*.mlir file: projections, attention, output projection,
residual) is read for its constants; its attention is then evaluated in
inhibitor form with the reference, with the options the rewrite chose
(gamma = 1/s of the model's scale s, alpha, signed), and the mlir-runner
output on stdin must match within float tolerance.
Usage: check_attention_model.py MODEL.mlir SCALE ALPHA
"""
import ast
import re
import sys

import numpy as np

from inhibitor import reference

model, scale, alpha = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
src = open(model).read()
c = {name: np.array(ast.literal_eval(body), dtype=np.float32)
     for name, body in re.findall(r"%(\w+) = arith.constant dense<(.*?)> :", src)}
x = c["x"]
q, k, v = x @ c["wq"], x @ c["wk"], x @ c["wv"]
# The pass computes gamma = 1/s in double from the f32 scale, rounded to f32.
gamma = np.float32(1.0 / float(np.float32(scale)))
h = reference.attention(q, k, v, gamma=gamma, alpha=np.float32(alpha),
                        signed=True, acc_dtype=np.float32)
want = h @ c["wo"] + x
out = sys.stdin.read()
print(out, end="")
got = np.array([float(t) for t in
                re.findall(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?|-?nan|-?inf",
                           out.split("data =", 1)[1])],
               dtype=np.float32).reshape(want.shape)
if np.allclose(got, want, rtol=1e-4, atol=1e-4):
    print(f"model: matches the NumPy reference of the inhibitor form "
          f"(max abs err {np.max(np.abs(got - want)):.2e})")
    sys.exit(0)
print("model: MISMATCH\ngot:\n", got, "\nwant:\n", want)
sys.exit(1)
