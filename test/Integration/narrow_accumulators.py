#!/usr/bin/env python3
"""Execution test of --inhibitor-narrow-accumulators: every case is compiled
with --inhibitor-to-llvm as written and with narrow-accumulators=true, run on
extreme inputs (the input type's minimum and maximum, 0, and random values),
and the two results must be bit-identical and equal to the NumPy reference in
the declared accumulator. The narrowed width is checked too (by running the
pass alone with inhibitor-opt), so that a case meant to narrow does.
Prints one line per case and "N passed, M failed"."""

import argparse
import re
import subprocess
import sys

import numpy as np

import inhibitor
from inhibitor import kernels
from inhibitor import reference as ref

T = {"int8": "i8", "int16": "i16", "int32": "i32", "int64": "i64"}


def tensor(shape, element):
    return "tensor<" + "".join(f"{s}x" for s in shape) + element + ">"


def extremes(rng, shape, dtype):
    info = np.iinfo(dtype)
    pick = rng.integers(0, 4, shape)
    rand = rng.integers(info.min, info.max, shape, endpoint=True)
    return np.choose(pick, [np.full(shape, info.min), np.full(shape, info.max),
                            np.zeros(shape, np.int64), rand]).astype(dtype)


def score_text(qs, ks, dtype, acc, gamma, alpha):
    zs = qs[:-1] + (ks[-2],)
    tq, tk, tz = tensor(qs, T[dtype]), tensor(ks, T[dtype]), tensor(zs, T[acc])
    return (f"func.func @score(%q: {tq}, %k: {tk}) -> {tz} {{\n"
            f"  %init = tensor.empty() : {tz}\n"
            f"  %z = inhibitor.manhattan_score {{gamma = {gamma} : {T[acc]}, "
            f"alpha = {alpha} : {T[acc]}}}\n"
            f"         ins(%q, %k : {tq}, {tk}) outs(%init : {tz}) -> {tz}\n"
            f"  return %z : {tz}\n}}\n")


def chain_text(qs, ks, vs, dtype, acc, signed):
    """Score then inhibition as two ops (the decomposed form)."""
    zs, hs = qs[:-1] + (ks[-2],), qs[:-1] + (vs[-1],)
    tq, tk, tv = tensor(qs, T[dtype]), tensor(ks, T[dtype]), tensor(vs, T[dtype])
    tz, th = tensor(zs, T[acc]), tensor(hs, T[acc])
    return (f"func.func @chain(%q: {tq}, %k: {tk}, %v: {tv}) -> {th} {{\n"
            f"  %zi = tensor.empty() : {tz}\n"
            f"  %z = inhibitor.manhattan_score ins(%q, %k : {tq}, {tk})"
            f" outs(%zi : {tz}) -> {tz}\n"
            f"  %hi = tensor.empty() : {th}\n"
            f"  %h = inhibitor.inhibit {'signed ' if signed else ''}ins(%v, %z : {tv}, {tz})"
            f" outs(%hi : {th}) -> {th}\n"
            f"  return %h : {th}\n}}\n")


def narrowed_widths(opt, text):
    """The result widths of the inhibitor ops after the pass alone."""
    out = subprocess.run([opt, "--inhibitor-narrow-accumulators"], input=text,
                         capture_output=True, text=True, check=True).stdout
    return [int(w) for w in re.findall(r"= inhibitor\.\w+ .*?-> tensor<[0-9x?]*xi(\d+)>",
                                       out.replace("\n", " "))]


def cases():
    # (name, kind, shapes, dtype, acc, options, expected narrowed widths)
    b = ()
    yield ("attention i8 d64 m200 signed, i32 -> i16", "attention",
           (b + (9, 64), b + (200, 64), b + (200, 5)), "int8", "int32",
           dict(gamma=8, alpha=1, signed=True), [16])
    yield ("attention i8 m256 signed at -32768, i32 -> i16", "attention-floor",
           ((3, 64), (256, 64), (256, 2)), "int8", "int32", dict(signed=True), [16])
    yield ("attention i8 causal+mask unsigned n40 m300, i32 -> i16", "attention",
           ((40, 16), (300, 16), (300, 3)), "int8", "int32",
           dict(causal=True, mask=True, gamma=3), [16])
    yield ("attention i8 batch 2x3 odd sizes, i64 -> i16", "attention",
           ((2, 3, 7, 33), (2, 3, 17, 33), (2, 3, 17, 5)), "int8", "int64",
           dict(signed=True, alpha=2), [16])
    yield ("attention i16 d64 m64, i64 -> i32", "attention",
           ((5, 64), (64, 64), (64, 4)), "int16", "int64", dict(signed=True, gamma=4), [32])
    yield ("attention i8 m1024 signed, i32 stays", "attention",
           ((4, 8), (1024, 8), (1024, 3)), "int8", "int32", dict(signed=True), [32])
    yield ("score i8 d100, i64 -> i16", "score", ((7, 100), (11, 100)), "int8", "int64",
           dict(gamma=5, alpha=3), [16])
    yield ("score i32 d3, i64 stays", "score", ((7, 3), (11, 3)), "int32", "int64", {}, [64])
    yield ("score then inhibit i8, i32 -> i16 + i16", "chain",
           ((6, 16), (9, 16), (9, 4)), "int8", "int32", dict(signed=True), [16, 16])


def run_case(opt, rng, name, kind, shapes, dtype, acc, opts):
    opts = dict(opts)
    use_mask = opts.pop("mask", False)
    if kind == "attention-floor":
        # Z = 0 and V = -128 everywhere: H reaches -128 * 256 = -32768.
        q = np.full(shapes[0], 127, dtype)
        k = np.full(shapes[1], 127, dtype)
        v = np.full(shapes[2], -128, dtype)
        kind = "attention"
    else:
        q, k = extremes(rng, shapes[0], dtype), extremes(rng, shapes[1], dtype)
        v = extremes(rng, shapes[2], dtype) if len(shapes) > 2 else None
        if v is not None:
            # Half the keys copy a query (Z = 0 for that pair), so extreme
            # values of V pass and the sums reach the ends of their range.
            rows = rng.integers(0, q.shape[-2], k.shape[-2])
            copy = rng.random(k.shape[-2]) < 0.5
            k[..., copy, :] = q[..., rows[copy], :]
    args = [q, k] + ([v] if v is not None else [])
    if kind == "attention":
        mask = None
        if use_mask:
            mask = rng.random(shapes[0][:-1] + (shapes[1][-2],)) < 0.6
            args.append(mask)
        text = kernels.attention_mlir(q.shape, k.shape, v.shape, T[dtype], T[dtype], T[acc],
                                      mask_shape=None if mask is None else mask.shape,
                                      **opts)
        want = ref.attention(q, k, v, mask=mask, acc_dtype=acc, **opts)
    elif kind == "score":
        text = score_text(q.shape, k.shape, dtype, acc, opts.get("gamma", 1), opts.get("alpha", 0))
        want = ref.manhattan_score(q, k, acc_dtype=acc, **opts)
    else:
        text = chain_text(q.shape, k.shape, v.shape, dtype, acc, opts.get("signed", False))
        want = ref.inhibit(v, ref.manhattan_score(q, k, acc_dtype=acc), acc_dtype=acc, **opts)
    plain = inhibitor.compile(text)(*args)
    narrow = inhibitor.compile(text, pipeline="narrow-accumulators=true")(*args)
    return text, plain, narrow, want


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--opt", default="inhibitor-opt")
    args = p.parse_args()
    rng = np.random.default_rng(15)
    passed = failed = 0
    for name, kind, shapes, dtype, acc, opts, widths in cases():
        text, plain, narrow, want = run_case(args.opt, rng, name, kind, shapes, dtype, acc, opts)
        got_widths = narrowed_widths(args.opt, text)
        problems = []
        if got_widths != widths:
            problems.append(f"narrowed to {got_widths}, expected {widths}")
        if plain.dtype != narrow.dtype or not np.array_equal(plain, narrow):
            problems.append("results differ before and after narrowing")
        if not np.array_equal(narrow, want):
            problems.append("result differs from the reference")
        if problems:
            failed += 1
            print(f"FAIL {name}: {'; '.join(problems)}")
        else:
            passed += 1
            print(f"ok {name}: bit-identical, widths {got_widths}, "
                  f"result in [{narrow.min()}, {narrow.max()}]")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
