#!/usr/bin/env python3
"""Execution tests of exact key skipping (`skip-keys`, docs/KeySkipping.md).

Every case is compiled twice with --inhibitor-to-llvm, plain and with
skip-keys (small tiles and a short skip-chunk, so that tiles and chunks are
ragged and the early exit runs several times), and run. Integer results
must equal each other and the NumPy reference bit for bit; float results
must equal each other bit for bit (NaN and inf included) and the reference
within the harness's tolerance where finite.

The data decide what can be skipped:
  none     Q, K in [-2, 2] and one value column large: no pair is
           extinguished (the skip's worst case).
  all      Q, K far apart and small values: every pair is extinguished
           (unsigned: or V <= 0).
  local    keys a random walk, each query near its own position's key: a
           band around the diagonal survives, the other tiles skip.
  random   the harness's random data (extremes of the type where asked).
  vinf     floats: everything extinguished except keys whose values hold
           +inf or -inf (never skipped: inf - inf is NaN in the plain kernel).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402

# Tiles of 5 x 7: ragged for most cases, whole for some (the pre-filter).
SKIP = "skip-keys=true query-tile=5 key-tile=7 skip-chunk=3"


def shape_of(case, name):
    b, kvb = tuple(case.batch), case.kvb
    return {"q": b + (case.n, case.d), "k": kvb + (case.m, case.d),
            "v": kvb + (case.m, case.e)}[name]


def make_inputs(case: H.Case, kind: str, rng: np.random.Generator):
    inputs = H.make_inputs(case, rng)
    vt = case.v_type or case.in_type
    is_float = case.in_type not in H.INT_TYPES

    def arr(a, ty):
        return np.asarray(a).astype(np.float32 if ty == "bfloat16" else np.dtype(ty))

    qs, ks, vs = shape_of(case, "q"), shape_of(case, "k"), shape_of(case, "v")
    if kind == "none":
        inputs["q"] = arr(rng.integers(-2, 3, qs), case.in_type)
        inputs["k"] = arr(rng.integers(-2, 3, ks), case.in_type)
        v = rng.integers(-100, 101, vs)
        v[..., 0] = 100
        inputs["v"] = arr(v, vt)
    elif kind in ("all", "vinf"):
        inputs["q"] = arr(rng.integers(50, 61, qs), case.in_type)
        inputs["k"] = arr(rng.integers(-60, -49, ks), case.in_type)
        v = rng.integers(-3, 4, vs) if case.signed else -rng.integers(0, 4, vs)
        v = v.astype(np.float64)
        if kind == "vinf":
            v.reshape(-1, vs[-1])[1, 0] = np.inf
            v.reshape(-1, vs[-1])[-1, -1] = -np.inf
        inputs["v"] = arr(v, vt)
    elif kind == "local":
        walk = np.cumsum(rng.integers(-3, 4, ks), axis=-2) + rng.integers(-30, 31, ks[:-2] + (1, ks[-1]))
        k = np.clip(walk, -60, 60)
        inputs["k"] = arr(k, case.in_type)
        q = rng.integers(-60, 61, qs)
        rows = min(case.n, case.m)
        if tuple(case.batch) == tuple(case.kvb):
            q[..., :rows, :] = np.clip(k[..., :rows, :] + rng.integers(-1, 2, k[..., :rows, :].shape), -60, 60)
        inputs["q"] = arr(q, case.in_type)
        inputs["v"] = arr(rng.integers(-20, 21, vs), vt)
    elif kind != "random":
        raise ValueError(kind)
    if is_float and kind != "vinf":
        for n in ("q", "k", "v"):
            inputs[n] = inputs[n] + 0.25 if case.in_type in ("float32", "float64") else inputs[n]
    return inputs


def cases():
    C = H.Case
    out = []
    for signed in (False, True):
        for kind in ("none", "all", "local", "random"):
            # i8 data, i16 accumulator: D = 64 is the psadbw form on AVX2
            # hosts (one chunk), D = 13 the keys-in-lanes form.
            out.append((C("attention", "int8", "int16", (2,), 19, 23, 64, 9, gamma=8, signed=signed), kind))
            out.append((C("attention", "int8", "int16", (), 17, 30, 13, 5, gamma=3, alpha=2,
                          signed=signed, causal=True), kind))
            out.append((C("attention", "int16", "int32", (2,), 11, 16, 10, 6, gamma=4, signed=signed,
                          mask=(11, 16)), kind))
            out.append((C("attention", "int8", "int32", (4,), 9, 14, 7, 8, gamma=2, signed=signed,
                          kv_batch=(2,), bias=(9, 14)), kind))
            out.append((C("attention", "int8", "int16", (), 9, 14, 12, 8, gamma=3, alpha=1,
                          signed=signed, causal=True, bias=(14,)), kind))
            out.append((C("attention", "int32", "int64", (), 12, 9, 5, 3, gamma=5, alpha=1,
                          signed=signed, causal=True, mask=(1, 9)), kind))
            out.append((C("attention", "float32", "float32", (2,), 13, 18, 11, 7, gamma=2.5,
                          alpha=0.5, signed=signed), kind))
            out.append((C("attention", "float64", "float64", (), 10, 12, 6, 5, gamma=2.0,
                          signed=signed, causal=True, bias=(10, 12)), kind))
        # Sizes in whole tiles (5 x 7): the box pre-filter runs too.
        for kind in ("none", "all", "local", "random"):
            out.append((C("attention", "int8", "int16", (2,), 15, 21, 64, 6, gamma=8,
                          signed=signed), kind))
            out.append((C("attention", "int16", "int32", (), 10, 14, 9, 5, gamma=3, alpha=2,
                          signed=signed, causal=True, mask=(10, 14)), kind))
            out.append((C("attention", "int8", "int32", (4,), 5, 14, 6, 3, gamma=2, signed=signed,
                          kv_batch=(2,)), kind))
        # Decode (one query: the score reads K as stored, D innermost).
        for kind in ("none", "all", "local", "random"):
            out.append((C("attention", "int8", "int32", (2,), 1, 30, 13, 6, gamma=2,
                          signed=signed, mask=(1, 30)), kind))
            out.append((C("attention", "float32", "float32", (), 1, 17, 9, 4, gamma=2.0,
                          signed=signed), kind))
        # The extremes of the types (V = INT_MIN included).
        out.append((C("attention", "int8", "int16", (), 8, 11, 64, 4, signed=signed, extremes=True), "random"))
        out.append((C("attention", "int16", "int32", (), 7, 9, 5, 6, gamma=3, signed=signed,
                      extremes=True, bias=(7, 9)), "random"))
        # Float bias of -inf (Z = +inf) and +inf (Z = 0); inf in V.
        out.append((C("attention", "float32", "float32", (), 9, 10, 4, 3, signed=signed,
                      bias=(9, 10), bias_inf=True), "all"))
        out.append((C("attention", "float32", "float32", (), 6, 9, 5, 4, gamma=2.0, signed=signed), "vinf"))
        # Size 1; dynamic shapes (integers: D checked at run time).
        out.append((C("attention", "int8", "int16", (), 1, 1, 1, 1, signed=signed), "all"))
        out.append((C("attention", "float32", "float32", (2,), 9, 13, 6, 5, signed=signed,
                      dynamic=True, mask=(9, 13)), "all"))
        out.append((C("attention", "int8", "int16", (2,), 9, 13, 6, 5, signed=signed, dynamic=True), "local"))
        # A dynamic D beyond the exact range (D > 128 wraps i16): the plain
        # kernel, chosen at run time.
        out.append((C("attention", "int8", "int16", (), 5, 6, 200, 3, signed=signed, dynamic=True), "random"))
        # Wrapping accumulators (not provably exact: the plain kernel).
        out.append((C("attention", "int16", "int16", (), 8, 8, 6, 4, signed=signed, extremes=True), "random"))
    return out


def clamp_bias(kernel: str, case: H.Case) -> str:
    """An integer bias clamped to [-100, 100] inside the kernel: the range
    analysis then bounds it (a bias spanning its type makes the score wrap,
    and the skip falls back), so the skip tests the score before max(., 0)
    against the per-key bound."""
    ty = H.operand_type(case, "bias", case.bias, case.acc_type)
    kernel = kernel.replace(f"%bias: {ty}", f"%biasw: {ty}", 1)
    lines = kernel.split("\n")
    lines[1:1] = [f"  %blo = arith.constant dense<-100> : {ty}",
                  f"  %bhi = arith.constant dense<100> : {ty}",
                  f"  %bmax = arith.maxsi %biasw, %blo : {ty}",
                  f"  %bias = arith.minsi %bmax, %bhi : {ty}"]
    return "\n".join(lines)


def build_module(todo, all_inputs) -> str:
    clamped = [c.bias is not None and c.acc_type in H.INT_TYPES and not c.dynamic
               for c, _ in todo]
    for inp, clamp in zip(all_inputs, clamped):
        if clamp:  # what the kernel computes from it
            inp["bias"] = np.clip(inp["bias"], -100, 100).astype(inp["bias"].dtype)
    module = H.build_module([c for c, _ in todo], all_inputs)
    for i, (c, _) in enumerate(todo):
        if clamped[i]:
            old = H.emit_kernel(i, c, all_inputs[i])
            assert old in module
            module = module.replace(old, clamp_bias(old, c))
    return module


def compile_and_run(module_path: str, pipeline: str, args):
    opt = subprocess.run([args.opt, module_path, f"--{pipeline}"], capture_output=True, text=True)
    if opt.returncode != 0:
        raise RuntimeError(f"{args.opt} --{pipeline} failed:\n{opt.stderr[-3000:]}")
    run = subprocess.run([args.runner, "-e", "main", "-entry-point-result=void",
                          f"-shared-libs={args.shared_libs}"],
                         input=opt.stdout, capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"mlir-runner failed ({run.returncode}):\n{run.stderr[-3000:]}")
    return H.parse_output(run.stdout), opt.stderr


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--opt", default="inhibitor-opt")
    p.add_argument("--runner", default="mlir-runner")
    p.add_argument("--shared-libs", required=True)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    todo = cases()
    all_inputs = [make_inputs(c, kind, rng) for c, kind in todo]
    module = build_module(todo, all_inputs)
    with tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False) as f:
        f.write(module)
        path = f.name
    try:
        plain, _ = compile_and_run(path, "inhibitor-to-llvm", args)
        skip, remarks = compile_and_run(path, f"inhibitor-to-llvm={SKIP}", args)
    finally:
        os.unlink(path)
    print(f"remarks: {remarks.count('skip-keys: not provably exact')} fallbacks")
    passed = failed = 0
    for (c, kind), inp, a, b in zip(todo, all_inputs, plain, skip):
        what = f"{c.describe()} data={kind}"
        problem = None
        if not np.array_equal(a, b):
            bad = np.argwhere(a != b)[0]
            problem = f"skip differs from plain at {tuple(bad)}: {b[tuple(bad)]} vs {a[tuple(bad)]}"
        else:
            ref = H.reference_result(c, inp)
            got = H.decode(b, c)
            if c.acc_type in H.INT_TYPES or np.all(np.isfinite(ref)):
                problem = H.compare(c, got, ref, inp)
            elif not np.array_equal(np.isnan(got.reshape(ref.shape)), np.isnan(ref)):
                problem = "NaNs differ from the reference"
        if problem:
            failed += 1
            print(f"FAIL: {what}: {problem}")
        else:
            passed += 1
    if len(plain) != len(todo) or len(skip) != len(todo):
        print(f"FAIL: {len(plain)}/{len(skip)} outputs for {len(todo)} cases")
        failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
