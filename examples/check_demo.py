#!/usr/bin/env python3
"""Compares the demo's printed result with the NumPy reference.

Reads the inputs (the dense constants %q, %k, %v) and the options from
examples/attention.mlir, the mlir-runner output from stdin.
"""
import ast
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "python"))
from inhibitor import reference  # noqa: E402

src = open(os.path.join(os.path.dirname(__file__), "attention.mlir")).read()
consts = {name: np.array(ast.literal_eval(body), dtype=np.int16)
          for name, body in re.findall(r"%(\w) = arith.constant dense<(.*?)> :", src)}
want = reference.attention(consts["q"], consts["k"], consts["v"], gamma=8, alpha=1,
                           signed=True, causal=True, acc_dtype=np.int32)
out = sys.stdin.read()
print(out, end="")
got = np.array([int(x) for x in re.findall(r"-?\d+", out.split("data =", 1)[1])],
               dtype=np.int32).reshape(want.shape)
if np.array_equal(got, want):
    print("demo: the compiled result matches the NumPy reference bit for bit")
    sys.exit(0)
print("demo: MISMATCH against the NumPy reference:\n", want)
sys.exit(1)
