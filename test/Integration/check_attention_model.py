#!/usr/bin/env python3
"""Compares the printed output of a rewritten model with the NumPy reference.

The model (an Inputs/*.mlir file: projections, attention, output projection,
residual) is read for its constants; its attention is then evaluated in
inhibitor form with the reference, with the options the rewrite chose
(gamma = 1/s of the model's scale s, alpha, signed), and the mlir-runner
output on stdin must match within float tolerance.

With --heads H the model dim is split into H heads (q.view(N, H, D / H)
.transpose(0, 1), as PyTorch models do) and merged back before the output
projection; --causal attends pair (i, j) only where j <= i.

The inputs must exercise the inhibitor: at least half of the attention
output (before the output projection) must be non-zero, so that a lowering
that extinguishes everything cannot pass.
Usage: check_attention_model.py MODEL.mlir SCALE ALPHA [--heads H] [--causal]
"""
import argparse
import ast
import re
import sys

import numpy as np

from inhibitor import reference

parser = argparse.ArgumentParser()
parser.add_argument("model")
parser.add_argument("scale", type=float)
parser.add_argument("alpha", type=float)
parser.add_argument("--heads", type=int, default=1)
parser.add_argument("--causal", action="store_true")
args = parser.parse_args()

src = open(args.model).read()
c = {name: np.array(ast.literal_eval(body), dtype=np.float32)
     for name, body in re.findall(r"%(\w+) = arith.constant dense<(.*?)> :", src)}
x = c["x"]
n, dm = x.shape
heads = args.heads


def split_heads(t):
    return t.reshape(n, heads, dm // heads).transpose(1, 0, 2)


q, k, v = (split_heads(x @ c[w]) for w in ("wq", "wk", "wv"))
# The pass computes gamma = 1/s in double from the f32 scale, rounded to f32.
gamma = np.float32(1.0 / float(np.float32(args.scale)))
h = reference.attention(q, k, v, gamma=gamma, alpha=np.float32(args.alpha),
                        signed=True, causal=args.causal, acc_dtype=np.float32)
nonzero = np.count_nonzero(h) / h.size
if nonzero < 0.5:
    print(f"model: inputs make the inhibitor output mostly zero "
          f"({nonzero:.0%} non-zero); pick smaller Q/K or a larger gamma")
    sys.exit(1)
want = h.transpose(1, 0, 2).reshape(n, dm) @ c["wo"] + x
out = sys.stdin.read()
print(out, end="")
got = np.array([float(t) for t in
                re.findall(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?|-?nan|-?inf",
                           out.split("data =", 1)[1])],
               dtype=np.float32).reshape(want.shape)
if np.allclose(got, want, rtol=1e-4, atol=1e-4):
    print(f"model: matches the NumPy reference of the inhibitor form "
          f"(max abs err {np.max(np.abs(got - want)):.2e}, "
          f"attention output {nonzero:.0%} non-zero)")
    sys.exit(0)
print("model: MISMATCH\ngot:\n", got, "\nwant:\n", want)
sys.exit(1)
