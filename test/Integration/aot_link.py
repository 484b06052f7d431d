#!/usr/bin/env python3
"""Kernels compiled ahead of time link with nothing but libc (and libomp).

Each case is lowered with `--inhibitor-to-llvm`, translated to LLVM IR and
linked by clang into a shared object with `-Wl,--no-undefined`: a call into
MLIR's runner libraries (`memrefCopy` of `libmlir_c_runner_utils`, for a
strided copy) fails the link. The object is then loaded with ctypes and its
result compared with the NumPy reference (integers bit for bit, floats
within 1e-4 relative).

Usage: aot_link.py --opt inhibitor-opt [--clang clang] [--libomp-dir DIR]
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

from inhibitor import reference

# The benchmarks' ctypes wrapper (memref descriptors in, result out, freed).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, os.pardir, "benchmarks"))
from kernels import Kernel  # noqa: E402


TYPES = {"i8": np.int8, "i16": np.int16, "i32": np.int32, "f32": np.float32}

# name, data type, accumulator, query heads, K/V heads, N, M, causal,
# (N, M) as the function's types give them ("?" where dynamic), options.
CASES = [
    ("grouped_dynamic_key_splits", "i16", "i32", 8, 2, 3, 300, False, ("?", "?"),
     "key-splits=4"),
    ("grouped_dynamic_n_key_splits_i8", "i8", "i32", 4, 2, 5, 256, False, ("?", "256"),
     "key-splits=4"),
    ("grouped_dynamic_causal_f32", "f32", "f32", 4, 2, 37, 37, True, ("?", "?"),
     "key-splits=4"),
    ("grouped_dynamic_threads", "i16", "i32", 8, 2, 16, 1000, False, ("?", "?"),
     "key-splits=4 threads=2"),
    ("dynamic_queries", "i16", "i32", 2, 2, 40, 200, False, ("?", "?"), ""),
    ("decode_one_query", "i16", "i32", 8, 8, 1, 300, False, ("?", "?"), ""),
    ("grouped_decode_one_query", "i8", "i32", 8, 2, 1, 1000, False, ("?", "?"),
     "key-splits=4"),
    ("causal_one_query_f32", "f32", "f32", 2, 2, 1, 50, True, ("?", "?"), ""),
    ("static_prefill", "i8", "i16", 2, 2, 70, 300, True, ("70", "300"), ""),
]


def source(t, acc, hq, hkv, dims, causal):
    n, m = dims
    qt, kt, ht = (f"tensor<{hq}x{n}x64x{t}>", f"tensor<{hkv}x{m}x64x{t}>",
                  f"tensor<{hq}x{n}x64x{acc}>")
    init = (f"%n = tensor.dim %q, %c1 : {qt}\n  %init = tensor.empty(%n) : {ht}"
            if n == "?" else f"%init = tensor.empty() : {ht}")
    flags = ("causal " if causal else "") + ("" if t == "f32" else "signed ")
    gamma = "8.0 : f32" if acc == "f32" else f"8 : {acc}"
    return f"""func.func @k(%q: {qt}, %k: {kt}, %v: {kt}) -> {ht} attributes {{llvm.emit_c_interface}} {{
  %c1 = arith.constant 1 : index
  {init}
  %h = inhibitor.attention {flags}{{gamma = {gamma}}} ins(%q, %k, %v : {qt}, {kt}, {kt}) outs(%init : {ht}) -> {ht}
  return %h : {ht}
}}
"""


def build(args, text, options, so):
    pipe = "inhibitor-to-llvm" + (f"={options}" if options else "")
    lowered = subprocess.run([args.opt, f"--{pipe}"], input=text,
                             capture_output=True, text=True, check=True).stdout
    ll = subprocess.run([args.translate, "--mlir-to-llvmir"], input=lowered,
                        capture_output=True, text=True, check=True).stdout
    omp = (["-fopenmp", f"-L{args.libomp_dir}", f"-Wl,-rpath,{args.libomp_dir}"]
           if "threads=" in options else [])
    link = subprocess.run([args.clang, "-O2", "-shared", "-fPIC", "-Wno-override-module",
                           "-Wl,--no-undefined", *omp, "-x", "ir", "-", "-o", so],
                          input=ll, capture_output=True, text=True)
    return link.returncode, link.stderr.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--opt", default="inhibitor-opt")
    ap.add_argument("--translate", default="mlir-translate")
    ap.add_argument("--clang", default="clang")
    ap.add_argument("--libomp-dir", default="/usr/lib/llvm-22/lib")
    args = ap.parse_args()
    rng = np.random.default_rng(7)
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, t, acc, hq, hkv, n, m, causal, dims, options in CASES:
            so = os.path.join(tmp, name + ".so")
            rc, err = build(args, source(t, acc, hq, hkv, dims, causal), options, so)
            if rc:
                lines = err.splitlines() or [str(rc)]
                why = next((l for l in lines if "undefined" in l), lines[-1])
                print(f"FAIL {name}: link: {why}")
                failed += 1
                continue
            dt = TYPES[t]
            if t == "f32":
                q, k, v = (rng.standard_normal((h, r, 64)).astype(dt)
                           for h, r in ((hq, n), (hkv, m), (hkv, m)))
                want = reference.attention(q, k, v, gamma=8.0, causal=causal)
            else:
                lo, hi = (-100, 101) if t == "i8" else (-1000, 1001)
                q, k, v = (rng.integers(lo, hi, (h, r, 64)).astype(dt)
                           for h, r in ((hq, n), (hkv, m), (hkv, m)))
                want = reference.attention(q, k, v, gamma=8, signed=True, causal=causal,
                                           acc_dtype=TYPES[acc])
            got = Kernel(so, "k", 3, TYPES[acc])(q, k, v)
            if t == "f32":
                ok = got.shape == want.shape and np.allclose(got, want, rtol=1e-4, atol=1e-3)
            else:
                ok = got.shape == want.shape and np.array_equal(got, want)
            print(f"{'PASS' if ok else 'FAIL'} {name}")
            passed, failed = passed + ok, failed + (not ok)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
