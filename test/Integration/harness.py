#!/usr/bin/env python3
"""Execution tests: compile inhibitor ops with a pipeline, run, compare.

Each case (op, types, shapes, options) becomes a kernel function in one MLIR
module whose `main` calls every kernel on constant inputs and prints each
result as i64 (floats bit-cast first, so nothing is lost in printing). The
module goes through `inhibitor-opt <pipeline>` and `mlir-runner`; the output
is compared with the NumPy reference in python/inhibitor: integers bit for
bit, floats within

    |got - ref| <= 4 * (D + M) * eps(acc) * max(1, max|ref|, max|V|, max Z)

(step-by-step rounding in the accumulator type against a float64 reference,
over at most D + M rounded additions per result element).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import re
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
from inhibitor import reference  # noqa: E402
from inhibitor.testdata import random_inputs  # noqa: E402

MLIR_TYPE = {"int8": "i8", "int16": "i16", "int32": "i32", "int64": "i64",
             "float16": "f16", "bfloat16": "bf16", "float32": "f32",
             "float64": "f64"}
BITS = {"int8": 8, "int16": 16, "int32": 32, "int64": 64, "float16": 16,
        "bfloat16": 16, "float32": 32, "float64": 64}
EPS = {"float16": 2.0 ** -11, "bfloat16": 2.0 ** -8, "float32": 2.0 ** -24,
       "float64": 2.0 ** -53}
INT_TYPES = ("int8", "int16", "int32", "int64")


@dataclasses.dataclass
class Case:
    op: str                       # "attention", "score" or "inhibit"
    in_type: str                  # Q/K (and V) element type
    acc_type: str                 # result element type
    batch: tuple
    n: int
    m: int
    d: int
    e: int
    gamma: float = 1
    alpha: float = 0
    signed: bool = False
    causal: bool = False
    causal_offset: int | None = None  # causal: pairs j <= i + offset (an operand)
    mask: tuple | None = None     # mask shape (broadcastable) or None
    dynamic: bool = False         # kernel takes fully dynamic shapes
    extremes: bool = False
    v_type: str | None = None     # V element type (default in_type)
    z_type: str | None = None     # inhibit: Z element type (default acc)
    kv_batch: tuple | None = None  # K/V batch dims (grouped heads; default batch)
    bias: tuple | None = None     # additive bias shape (broadcastable) or None
    bias_inf: bool = False        # float bias with -inf and +inf entries
    # Bounded integer data (max|Q|, max|K|, max|V|) that reaches each bound:
    # Q row 0 all +max|Q|, K row 0 all -max|K| (pair (0, 0) scores
    # D * (max|Q| + max|K|)), V column 0 all +max|V| and column 1 all
    # -max|V| (the fused kernel's narrow mode, narrow_cases).
    ranges: tuple | None = None

    def describe(self) -> str:
        return (f"{self.op} {self.in_type}->{self.acc_type} b={self.batch} "
                f"N={self.n} M={self.m} D={self.d} E={self.e} "
                f"gamma={self.gamma} alpha={self.alpha} signed={self.signed} "
                f"causal={self.causal} "
                + (f"causal_offset={self.causal_offset} " if self.causal_offset is not None else "")
                + f"mask={self.mask} "
                f"dynamic={self.dynamic} extremes={self.extremes}"
                + (f" kv_batch={self.kv_batch}" if self.kv_batch is not None else "")
                + (f" bias={self.bias} inf={self.bias_inf}" if self.bias is not None else "")
                + (f" ranges={self.ranges}" if self.ranges is not None else ""))

    @property
    def kvb(self) -> tuple:
        return tuple(self.batch if self.kv_batch is None else self.kv_batch)


QUERY_SIDE = ("q", "z", "result")
KV_SIDE = ("k", "v")


def operand_dims(case: Case, name: str, shape) -> list:
    """The dims of operand `name` in the kernel's signature: all static, or
    with `case.dynamic` all dynamic except grouped head dims (grouping is
    decided by static sizes: a K/V dim and, unless it is 1 (multi-query), the
    query's) and the size-1 dims of masks and biases (they broadcast)."""
    if not case.dynamic:
        return list(shape)
    nb = len(case.batch)
    dims = []
    offset = nb + 2 - len(shape)
    for i, size in enumerate(shape):
        p = offset + i
        grouped = p < nb and case.kvb[p] != case.batch[p]
        if name in ("mask", "bias"):
            static = size == 1 or (grouped and case.kvb[p] != 1)
        elif name in KV_SIDE:
            static = grouped
        else:
            static = grouped and case.kvb[p] != 1
        dims.append(size if static else "?")
    return dims


def operand_type(case: Case, name: str, shape, ty: str) -> str:
    dims = "x".join(str(d) for d in operand_dims(case, name, shape))
    elem = "i1" if name == "mask" else MLIR_TYPE[ty]
    return f"tensor<{dims}x{elem}>" if len(shape) else f"tensor<{elem}>"


def tensor_type(shape, ty: str, dynamic: bool = False) -> str:
    dims = "x".join("?" if dynamic else str(s) for s in shape)
    return f"tensor<{dims}x{MLIR_TYPE[ty]}>" if shape else f"tensor<{MLIR_TYPE[ty]}>"


def raw_bits(a: np.ndarray, ty: str) -> np.ndarray:
    if ty == "bfloat16":
        return (np.ascontiguousarray(a, dtype=np.float32).view(np.uint32) >> 16).astype(np.uint16)
    return np.ascontiguousarray(a, dtype=np.dtype(ty))


def dense(a: np.ndarray, ty: str) -> str:
    if a.dtype == np.bool_:
        def nested(x):
            if x.ndim == 0:
                return "true" if x else "false"
            return "[" + ", ".join(nested(y) for y in x) + "]"
        return f"dense<{nested(a)}>"
    data = raw_bits(a, ty).astype(raw_bits(a, ty).dtype.newbyteorder("<")).tobytes()
    return f'dense<"0x{data.hex().upper()}">'


def gamma_alpha_attrs(case: Case) -> str:
    acc = MLIR_TYPE[case.acc_type]
    attrs = []
    if case.gamma != 1:
        g = int(case.gamma) if case.acc_type in INT_TYPES else float(case.gamma)
        attrs.append(f"gamma = {g!r} : {acc}")
    if case.alpha != 0:
        a = int(case.alpha) if case.acc_type in INT_TYPES else float(case.alpha)
        attrs.append(f"alpha = {a!r} : {acc}")
    return "{" + ", ".join(attrs) + "} " if attrs else ""


def make_inputs(case: Case, rng: np.random.Generator):
    b = tuple(case.batch)
    vt = case.v_type or case.in_type

    def gen(shape, ty):
        if ty in ("float16", "bfloat16"):
            # Small integers: exact in half precision for these sizes.
            a = rng.integers(-8, 9, size=shape).astype(np.float32)
            return a if ty == "bfloat16" else a.astype(np.float16)
        if ty in INT_TYPES and not case.extremes and case.acc_type == ty:
            info = np.iinfo(np.dtype(ty))
            lim = min(int(info.max) // max(4, 4 * (case.d + case.m)), 1000)
            return random_inputs(rng, shape, ty, low=-lim, high=lim)
        return random_inputs(rng, shape, ty, extremes=case.extremes)

    if case.ranges is not None:
        return bounded_inputs(case, rng)
    inputs = {}
    kvb = case.kvb
    if case.op in ("attention", "score"):
        inputs["q"] = gen(b + (case.n, case.d), case.in_type)
        inputs["k"] = gen(kvb + (case.m, case.d), case.in_type)
    if case.op in ("attention", "inhibit"):
        inputs["v"] = gen(kvb + (case.m, case.e), vt)
    if case.op == "inhibit":
        zt = case.z_type or case.acc_type
        z = gen(b + (case.n, case.m), zt)
        if zt in INT_TYPES:
            z = np.abs(z.astype(np.int64)).clip(0, np.iinfo(np.dtype(zt)).max).astype(zt) \
                if not case.extremes else z
        inputs["z"] = z
    if case.mask is not None:
        inputs["mask"] = rng.random(case.mask) < 0.7
    if case.bias is not None:
        acc = case.acc_type
        if acc in INT_TYPES:
            if case.extremes:
                bias = random_inputs(rng, case.bias, acc, extremes=True)
            else:
                lim = 4 * max(1, case.d)
                bias = rng.integers(-lim, lim + 1, size=case.bias).astype(acc)
        else:
            bias = rng.integers(-3 * case.d, 3 * case.d + 1, size=case.bias).astype(np.float64)
            if acc in ("float32", "float64"):
                bias += rng.random(case.bias)
            if case.bias_inf:
                pick = rng.random(case.bias)
                bias[pick < 0.2] = -np.inf
                bias[(pick >= 0.2) & (pick < 0.3)] = np.inf
            bias = bias.astype(np.float32 if acc == "bfloat16" else np.dtype(acc))
        inputs["bias"] = bias
    return inputs


def bounded_inputs(case: Case, rng: np.random.Generator):
    """Inputs of a Case with `ranges`: uniform within the bounds, each bound
    reached (see Case.ranges)."""
    b, kvb = tuple(case.batch), case.kvb
    qmax, kmax, vmax = case.ranges
    q = rng.integers(-qmax, qmax + 1, size=b + (case.n, case.d))
    k = rng.integers(-kmax, kmax + 1, size=kvb + (case.m, case.d))
    v = rng.integers(-vmax, vmax + 1, size=kvb + (case.m, case.e))
    q[..., 0, :] = qmax
    k[..., 0, :] = -kmax
    v[..., 0] = vmax
    v[..., min(1, case.e - 1)] = -vmax
    inputs = {"q": q.astype(case.in_type), "k": k.astype(case.in_type),
              "v": v.astype(case.v_type or case.in_type)}
    if case.mask is not None:
        inputs["mask"] = rng.random(case.mask) < 0.7
    if case.bias is not None:
        lim = 4 * max(1, case.d)
        inputs["bias"] = rng.integers(-lim, lim + 1, size=case.bias).astype(case.acc_type)
    return inputs


def narrow_cases():
    """The fused kernel's narrow mode (16-bit tiles under an i32/i64
    accumulator, taken where a run-time check on max|Q|, max|K|, max|V|
    shows them exact) on both sides of each of its bounds, with the default
    key tile of 128: D * (max|Q| + max|K|) <= 32767 (at 32767: 7 * 4681;
    one more: the wide kernel) and 128 * max|V| <= 32767 (255; 256: wide;
    Q = K = 0 makes Z = 0, so each tile sums V whole). Signed and unsigned,
    i8/i16 data, i32/i64 accumulators, gamma not a power of two, alpha,
    masks, causal, batch dims, dynamic shapes; an alpha beyond i16 and a bias
    keep the wide kernel. Any pipeline's key tile is fine: the results must
    be exact whichever kernel runs."""
    cs = []
    for signed in (True, False):
        for acc in ("int32", "int64"):
            cs.append(Case("attention", "int16", acc, (), 130, 130, 7, 5, gamma=8, signed=signed,
                           ranges=(2340, 2341, 255)))
            cs.append(Case("attention", "int16", acc, (), 130, 130, 7, 5, gamma=8, signed=signed,
                           ranges=(2340, 2342, 255)))
        cs.append(Case("attention", "int16", "int32", (), 9, 300, 16, 3, signed=signed,
                       ranges=(0, 0, 255)))
        cs.append(Case("attention", "int16", "int32", (), 9, 300, 16, 3, signed=signed,
                       ranges=(0, 0, 256)))
        cs.append(Case("attention", "int16", "int32", (), 9, 300, 16, 3, signed=signed,
                       ranges=(1, 1, 32767)))
        # The types' extremes: |-32768| = 32768 must fail the check (the
        # maxima are taken unsigned in 16 bits).
        cs.append(Case("attention", "int16", "int32", (), 9, 300, 16, 3, signed=signed,
                       extremes=True))
        # Full-range i16 values with whole 16-lane rows of V (E = 64): the
        # wide tiles' 16-bit clamps (signed; lowerClampSum16), with Z far
        # beyond 32768 against V = -32768 (extremes, gamma 1) and Z around
        # 32767-32768 (ranges), one query tile (40 rows of 2 heads) and
        # several (72), a ragged last key tile (300 keys).
        cs.append(Case("attention", "int16", "int32", (2,), 40, 300, 64, 64, gamma=1, signed=signed,
                       extremes=True))
        cs.append(Case("attention", "int16", "int32", (2,), 72, 300, 64, 64, gamma=1, signed=signed,
                       ranges=(800, 800, 32767)))
        cs.append(Case("attention", "int8", "int32", (2,), 40, 200, 64, 64, gamma=8, signed=signed,
                       ranges=(127, 128, 127)))
        cs.append(Case("attention", "int8", "int32", (), 33, 65, 64, 17, gamma=3, alpha=5,
                       signed=signed, ranges=(100, 90, 128)))
        cs.append(Case("attention", "int16", "int32", (2,), 70, 150, 64, 32, gamma=5, alpha=2,
                       signed=signed, causal=True, mask=(70, 150), ranges=(200, 200, 250)))
        cs.append(Case("attention", "int16", "int32", (2, 3), 17, 33, 20, 9, gamma=16,
                       signed=signed, dynamic=True, ranges=(800, 800, 255)))
        cs.append(Case("attention", "int16", "int32", (), 17, 33, 20, 9, gamma=4, alpha=40000,
                       signed=signed, ranges=(800, 800, 255)))
        cs.append(Case("attention", "int16", "int32", (), 17, 33, 20, 9, gamma=4,
                       signed=signed, bias=(17, 33), ranges=(800, 800, 255)))
        cs.append(Case("attention", "int16", "int64", (), 33, 129, 64, 64, gamma=64,
                       signed=signed, mask=(1, 129), ranges=(255, 256, 255)))
        # i16 data with an i16 accumulator (sums that wrap): the score
        # through min(q, k) where max|Q| + max|K| <= 32767 (at 32767: 16383
        # + 16384), the plain score otherwise (32769: q - k of rows 0 wraps
        # to -32767, whose |.| 32767 differs from the identity's 32769
        # modulo 2^16, so a bound moved up fails); several query tiles (the
        # check is per call), a ragged last key tile, dynamic shapes.
        for ranges in ((16383, 16384, 3000), (16384, 16385, 3000)):
            cs.append(Case("attention", "int16", "int16", (), 72, 300, 64, 64, gamma=8,
                           signed=signed, ranges=ranges))
        cs.append(Case("attention", "int16", "int16", (2,), 70, 150, 32, 16, gamma=3,
                       signed=signed, dynamic=True, ranges=(16383, 16384, 3000)))
    return cs


def key_layout_cases():
    """How the fused kernel reads K^T for the score with keys in vector
    lanes: laid out tile by tile ([b..., M / key-tile, D, key-tile]) where M
    is a static multiple of the key tile above it; each K tile transposed
    inside the key loop where a static N fits one query tile (up to twice
    query-tile where the heads are two or more); K^T whole
    otherwise (dynamic or ragged M). Integer and float types, signed and
    unsigned, causal (a partial last key tile of a block), masks, K/V heads
    broadcast and grouped, ragged key tiles, extremes that wrap."""
    cs = []
    # Bounded data (`ranges`, and gamma for floats) keeps Z below |V| for
    # many pairs, so that every key tile shows in H (with the types' full
    # ranges Z exceeds |V| almost everywhere and H hardly depends on K).
    # K^T tile by tile (more than one query tile: N > 64 with two heads,
    # N > 32 with one; M = 256 or 384).
    cs.append(Case("attention", "int16", "int16", (2,), 72, 256, 64, 64, gamma=8, signed=True,
                   extremes=True))
    # One query tile of up to twice query-tile (32) rows where the heads are
    # two or more: 40 and 64 queries, and 4 grouped heads x 16 queries
    # folded into 64 rows of each K/V head; each K tile transposed in the
    # key loop.
    cs.append(Case("attention", "int16", "int16", (2,), 40, 256, 64, 64, gamma=8, signed=True,
                   ranges=(20, 20, 3000)))
    cs.append(Case("attention", "int16", "int32", (2,), 64, 384, 64, 64, gamma=8, signed=True,
                   ranges=(20, 20, 3000)))
    cs.append(Case("attention", "int16", "int32", (8,), 16, 256, 64, 64, gamma=8, signed=True,
                   kv_batch=(2,), ranges=(20, 20, 3000)))
    cs.append(Case("attention", "int16", "int32", (), 33, 384, 16, 8, gamma=3,
                   ranges=(30, 30, 2000)))
    cs.append(Case("attention", "float32", "float32", (2,), 160, 256, 16, 8, gamma=16,
                   causal=True))
    cs.append(Case("attention", "int16", "int32", (), 40, 256, 32, 16, gamma=4, signed=True,
                   mask=(40, 256), ranges=(10, 10, 500)))
    cs.append(Case("attention", "int8", "int16", (), 40, 256, 20, 16, gamma=2, signed=True,
                   ranges=(10, 10, 120)))
    cs.append(Case("attention", "int16", "int32", (3,), 40, 256, 16, 16, signed=True,
                   kv_batch=(1,), ranges=(10, 10, 400)))
    cs.append(Case("attention", "int16", "int32", (4,), 36, 256, 16, 16, signed=True,
                   kv_batch=(2,), ranges=(10, 10, 400)))
    cs.append(Case("attention", "float16", "float16", (2,), 40, 256, 32, 16, gamma=32))
    cs.append(Case("attention", "int16", "int32", (2,), 40, 256, 16, 16, signed=True,
                   dynamic=True, ranges=(10, 10, 400)))
    # A dynamic N of at most query-tile (decode as front ends emit it): the
    # scf.if's one query tile, K tiles transposed (or offset) in the loop.
    cs.append(Case("attention", "int16", "int32", (2,), 16, 256, 64, 32, gamma=8, signed=True,
                   dynamic=True, ranges=(20, 20, 3000)))
    cs.append(Case("attention", "int8", "int32", (2,), 4, 256, 64, 32, gamma=2, signed=True,
                   dynamic=True, ranges=(10, 10, 120)))
    # 18 rows: four full 4-row register tiles and a partial one of 2 (the
    # two sides of the split of peel-tiles=split), 300 keys.
    cs.append(Case("attention", "int16", "int32", (2,), 18, 300, 64, 32, gamma=8, signed=True,
                   dynamic=True, ranges=(20, 20, 3000)))
    # A dynamic N of 1: the scf.if's static one-query kernel (K read as
    # stored), plain and with grouped heads (8 query heads over 2), M ragged.
    cs.append(Case("attention", "int16", "int32", (2,), 1, 300, 64, 32, gamma=8, signed=True,
                   dynamic=True, ranges=(20, 20, 3000)))
    cs.append(Case("attention", "int8", "int32", (8,), 1, 300, 64, 32, gamma=2, signed=True,
                   kv_batch=(2,), dynamic=True, ranges=(10, 10, 120)))
    # Each K tile transposed in the key loop (static N <= 32).
    cs.append(Case("attention", "int16", "int32", (8,), 16, 512, 64, 64, gamma=8, signed=True,
                   ranges=(20, 20, 3000)))
    cs.append(Case("attention", "int16", "int32", (2,), 2, 130, 16, 8, signed=True,
                   extremes=True))
    cs.append(Case("attention", "int16", "int32", (2,), 2, 130, 16, 8, signed=True,
                   ranges=(10, 10, 400)))
    cs.append(Case("attention", "float32", "float32", (2,), 16, 256, 16, 8, gamma=16))
    cs.append(Case("attention", "float32", "float32", (2,), 16, 256, 16, 8, gamma=16,
                   causal=True))
    cs.append(Case("attention", "int16", "int32", (4,), 4, 256, 16, 16, signed=True,
                   kv_batch=(1,), ranges=(10, 10, 400)))
    cs.append(Case("attention", "int8", "int32", (), 16, 256, 20, 16, gamma=2, signed=True,
                   ranges=(10, 10, 120)))
    cs.append(Case("attention", "int16", "int16", (), 16, 256, 16, 16, signed=True,
                   mask=(16, 256), ranges=(10, 10, 400)))
    cs.append(Case("attention", "bfloat16", "float32", (2,), 8, 256, 32, 16, gamma=32))
    # Grouped heads folded into the queries (the grouped dim last, no mask,
    # bias or causal), and one that is not last (kept split).
    cs.append(Case("attention", "int16", "int32", (2, 8), 1, 384, 64, 32, gamma=8, signed=True,
                   kv_batch=(2, 2), ranges=(20, 20, 3000)))
    cs.append(Case("attention", "int8", "int32", (2, 8), 16, 256, 64, 32, gamma=4, signed=True,
                   kv_batch=(2, 2), ranges=(10, 10, 120)))
    cs.append(Case("attention", "float32", "float32", (6,), 5, 256, 16, 8, gamma=16,
                   kv_batch=(3,)))
    cs.append(Case("attention", "int16", "int32", (4, 3), 2, 256, 16, 8, signed=True,
                   kv_batch=(2, 3), ranges=(10, 10, 400)))
    # The i8 byte score (D a multiple of 8): K offset by 128 per K tile.
    cs.append(Case("attention", "int8", "int32", (2,), 16, 256, 64, 32, gamma=4, signed=True,
                   ranges=(10, 10, 120)))
    cs.append(Case("attention", "int8", "int16", (2,), 1, 384, 64, 32, gamma=16, signed=True,
                   ranges=(10, 10, 120)))
    cs.append(Case("attention", "int8", "int16", (2,), 1, 384, 64, 32, gamma=64, signed=True,
                   extremes=True))
    return cs


def prefetch_cases():
    """Decode-shaped kernels whose loop over key tiles prefetches the next
    K and V tiles (--inhibitor-prefetch-tiles: one query tile per head, so
    no tile is read twice; tiles of 2 KiB or more): the narrow (i16 sums)
    and wide key tiles, K read as stored (1-4 queries) and as K^T tiles,
    i8 through psadbw and byte inhibition, floats, grouped K/V heads, a
    ragged key count (the whole tiles prefetch in the loop, the partial
    last tile is peeled after it), causal. Prefetches are hints: every result must equal the
    reference. (Not here, since they do not prefetch: K/V broadcast to all
    query heads, read again for each; fully dynamic shapes, whose tiles
    have no size bound in D; the inhibit op alone, which has no loop over
    key tiles.)"""
    cs = []
    cs.append(Case("attention", "int16", "int32", (2,), 16, 512, 32, 32, gamma=8, signed=True,
                   ranges=(20, 20, 3000)))
    cs.append(Case("attention", "int16", "int32", (2,), 16, 512, 32, 32, gamma=8, signed=True,
                   extremes=True))
    cs.append(Case("attention", "int16", "int32", (3,), 1, 640, 64, 64, gamma=8, signed=True,
                   ranges=(20, 20, 3000)))
    cs.append(Case("attention", "int16", "int16", (2,), 3, 256, 64, 16, gamma=8, signed=True,
                   ranges=(10, 10, 400)))
    cs.append(Case("attention", "int8", "int32", (2,), 16, 512, 64, 64, gamma=2, signed=True,
                   ranges=(10, 10, 120)))
    cs.append(Case("attention", "int8", "int32", (2,), 1, 512, 64, 64, gamma=2, signed=True,
                   extremes=True))
    cs.append(Case("attention", "float32", "float32", (2,), 4, 768, 32, 16, gamma=16))
    cs.append(Case("attention", "int16", "int32", (4,), 1, 512, 32, 32, signed=True,
                   kv_batch=(2,), ranges=(10, 10, 400)))
    cs.append(Case("attention", "int16", "int32", (2,), 8, 1000, 32, 32, gamma=4, signed=True,
                   ranges=(10, 10, 400)))
    cs.append(Case("attention", "int16", "int32", (2,), 16, 512, 32, 32, gamma=4, signed=True,
                   causal=True, ranges=(10, 10, 400)))
    return cs


def ragged_cases():
    """Key counts that are not a multiple of the key tile (128) and more
    than one tile: the fused kernel's loop runs over the whole key tiles
    with static sizes and peels the partial last one (static where M is,
    under an scf.if where M is dynamic or the loop causal). Every path of
    the fused kernel: K^T tile by tile with the last keys transposed on
    their own (prefill, narrow and wide, with mask and bias), the byte
    score (psadbw) and byte inhibition, K read as stored (1-4 queries) and
    K tiles transposed in the loop (16 or 40 queries, narrow and wide
    tiles),
    grouped K/V heads, causal, dynamic shapes, a last tile of one key."""
    cs = []
    cs.append(Case("attention", "int16", "int32", (2,), 72, 300, 64, 32, gamma=8, signed=True,
                   ranges=(20, 20, 3000)))
    cs.append(Case("attention", "int16", "int32", (2,), 40, 300, 64, 32, gamma=8, signed=True,
                   extremes=True))
    cs.append(Case("attention", "int16", "int16", (), 33, 257, 64, 16, gamma=8, signed=True,
                   ranges=(10, 10, 100)))
    cs.append(Case("attention", "int8", "int32", (2,), 72, 383, 64, 64, gamma=2, signed=True,
                   ranges=(10, 10, 120)))
    cs.append(Case("attention", "int8", "int8", (), 40, 200, 64, 64, gamma=8, signed=True,
                   ranges=(2, 2, 20)))
    cs.append(Case("attention", "float32", "float32", (2,), 40, 300, 32, 16, gamma=16,
                   mask=(40, 300), bias=(2, 1, 300)))
    cs.append(Case("attention", "int16", "int32", (4,), 1, 1000, 64, 64, gamma=8, signed=True,
                   kv_batch=(2,), ranges=(20, 20, 3000)))
    cs.append(Case("attention", "int16", "int32", (2,), 3, 700, 64, 64, gamma=8, signed=True,
                   ranges=(20, 20, 3000)))
    cs.append(Case("attention", "int16", "int32", (2,), 16, 700, 64, 64, gamma=8, signed=True,
                   ranges=(20, 20, 3000)))
    cs.append(Case("attention", "int16", "int32", (2,), 16, 700, 64, 64, gamma=8, signed=True,
                   extremes=True))
    cs.append(Case("attention", "int8", "int32", (2,), 1, 1000, 64, 64, gamma=2, signed=True,
                   extremes=True))
    cs.append(Case("attention", "int16", "int32", (2,), 200, 300, 32, 32, gamma=4, signed=True,
                   causal=True, ranges=(10, 10, 400)))
    cs.append(Case("attention", "int16", "int32", (2,), 40, 300, 32, 32, gamma=4, signed=True,
                   dynamic=True, ranges=(10, 10, 400)))
    cs.append(Case("attention", "float32", "float32", (), 40, 129, 16, 8, gamma=4.0,
                   dynamic=True))
    cs.append(Case("attention", "float32", "float32", (2,), 24, 300, 16, 8, gamma=16,
                   causal=True, dynamic=True))
    return cs


def row_sum_cases():
    """Sums over the innermost loop of several rows at once (the score of
    up to 4 queries per head, summed over D with keys as rows, and any tile whose
    reduction is innermost), reduced as one tree of shuffles across the
    rows (TreeReduction.cpp): i16/i32/i64 and i8 sums, D from one native
    vector to several, ragged key tiles, broadcast and grouped K/V heads,
    dynamic shapes, extremes that wrap; with the pipeline's tile-sizes the
    rows per step can be odd or more than one vector holds."""
    cs = []
    cs.append(Case("attention", "int16", "int32", (8,), 1, 512, 64, 64, gamma=8, signed=True,
                   ranges=(20, 20, 3000)))
    cs.append(Case("attention", "int16", "int32", (2,), 1, 130, 32, 16, signed=True,
                   extremes=True))
    cs.append(Case("attention", "int16", "int16", (), 1, 256, 64, 64, gamma=3, signed=True,
                   extremes=True))
    cs.append(Case("attention", "int16", "int16", (3,), 1, 100, 48, 8, ranges=(30, 30, 2000)))
    cs.append(Case("attention", "int32", "int64", (2,), 1, 77, 16, 16, gamma=5, signed=True,
                   extremes=True))
    cs.append(Case("attention", "int32", "int32", (), 1, 64, 128, 16, signed=True,
                   extremes=True))
    cs.append(Case("attention", "int8", "int32", (4,), 1, 256, 64, 32, gamma=4, signed=True,
                   ranges=(10, 10, 120)))
    cs.append(Case("attention", "int16", "int32", (4,), 1, 256, 64, 16, signed=True,
                   kv_batch=(1,), ranges=(10, 10, 400)))
    cs.append(Case("attention", "int16", "int32", (2, 4), 1, 256, 64, 16, signed=True,
                   kv_batch=(2, 1), ranges=(10, 10, 400)))
    cs.append(Case("attention", "int16", "int32", (2,), 1, 200, 64, 16, signed=True,
                   dynamic=True, ranges=(10, 10, 400)))
    cs.append(Case("attention", "int16", "int32", (), 1, 256, 64, 64, signed=True, causal=True,
                   ranges=(10, 10, 400)))
    cs.append(Case("attention", "float32", "float32", (2,), 1, 256, 64, 16, gamma=16))
    # Up to 4 queries read K as stored too.
    cs.append(Case("attention", "int16", "int32", (4,), 3, 256, 64, 32, gamma=8, signed=True,
                   ranges=(20, 20, 3000)))
    cs.append(Case("attention", "int16", "int16", (2,), 4, 130, 32, 16, signed=True,
                   extremes=True))
    cs.append(Case("attention", "float32", "float32", (), 2, 200, 32, 16, gamma=16,
                   causal=True))
    # 96 keys: one key tile that 6 and 32 rows per step divide.
    cs.append(Case("attention", "int16", "int32", (2,), 1, 96, 64, 16, signed=True,
                   extremes=True))
    cs.append(Case("attention", "int32", "int32", (), 1, 96, 32, 8, signed=True,
                   ranges=(1000, 1000, 100000)))
    cs.append(Case("score", "int16", "int32", (), 1, 100, 64, 1, gamma=3, alpha=1,
                   extremes=True))
    cs.append(Case("score", "int16", "int32", (2,), 3, 37, 24, 1, extremes=True))
    cs.append(Case("score", "int32", "int32", (), 5, 20, 32, 1, signed=True, extremes=True))
    return cs


def byte_cases():
    """The fused kernel's signed inhibition of i8 values in bytes
    (--inhibitor-vectorize-byte-inhibition, pmaddubsw): i8 data, an i16
    accumulator (and i32, whose narrow tiles are i16), value columns in
    whole vectors (E = 32, 64, 96, 128: one, two or three 512-bit vectors
    of i16 lanes), key tiles of an even static size (M <= 128 or a multiple
    of 128), query counts that are and are not multiples of 4, extremes
    (-128, 127) with gamma = 64 so that Z crosses 127 and 128 (the byte
    bounds' two clamps); and sizes that keep the i16 inhibition (odd M,
    M = 130, E = 48, a mask, causal, unsigned), which must agree too."""
    cs = []
    for e in (32, 64, 96, 128):
        cs.append(Case("attention", "int8", "int16", (), 32, 64, 64, e, gamma=64, signed=True,
                       extremes=True))
    for n, m in ((1, 2), (4, 128), (6, 256), (64, 128), (5, 384)):
        cs.append(Case("attention", "int8", "int16", (2,), n, m, 64, 64, gamma=64, signed=True,
                       extremes=True))
    cs.append(Case("attention", "int8", "int16", (), 32, 128, 64, 64, gamma=8, signed=True))
    cs.append(Case("attention", "int8", "int16", (), 32, 128, 64, 64, gamma=1, alpha=3, signed=True,
                   extremes=True))
    cs.append(Case("attention", "int8", "int32", (2,), 40, 256, 64, 64, gamma=64, signed=True,
                   ranges=(127, 128, 127)))
    cs.append(Case("attention", "int8", "int32", (), 40, 256, 64, 64, gamma=64, signed=True,
                   extremes=True))
    # The i16 inhibition: odd M, a ragged key tile, E not whole vectors, a
    # mask, causal, unsigned.
    cs.append(Case("attention", "int8", "int16", (), 9, 7, 64, 64, gamma=64, signed=True,
                   extremes=True))
    cs.append(Case("attention", "int8", "int16", (), 9, 130, 64, 64, gamma=64, signed=True,
                   extremes=True))
    cs.append(Case("attention", "int8", "int16", (), 9, 64, 64, 48, gamma=64, signed=True,
                   extremes=True))
    cs.append(Case("attention", "int8", "int16", (), 9, 64, 64, 64, gamma=64, signed=True,
                   extremes=True, mask=(9, 64)))
    cs.append(Case("attention", "int8", "int16", (), 64, 64, 64, 64, gamma=64, signed=True,
                   extremes=True, causal=True))
    cs.append(Case("attention", "int8", "int16", (), 9, 64, 64, 64, gamma=64, extremes=True))
    return cs


def input_types(case: Case):
    vt = case.v_type or case.in_type
    return {"q": case.in_type, "k": case.in_type, "v": vt,
            "z": case.z_type or case.acc_type, "bias": case.acc_type, "mask": "bool"}


def reference_result(case: Case, inputs):
    acc = case.acc_type
    if case.op == "score":
        return reference.manhattan_score(inputs["q"], inputs["k"], gamma=case.gamma,
                                         alpha=case.alpha, bias=inputs.get("bias"),
                                         acc_dtype=acc)
    if case.op == "inhibit":
        return reference.inhibit(inputs["v"], inputs["z"], signed=case.signed, acc_dtype=acc)
    return reference.attention(inputs["q"], inputs["k"], inputs["v"], gamma=case.gamma,
                               alpha=case.alpha, signed=case.signed,
                               mask=inputs.get("mask"), causal=case.causal,
                               bias=inputs.get("bias"), acc_dtype=acc,
                               causal_offset=case.causal_offset or 0)


def result_shape(case: Case):
    b = tuple(case.batch)
    return b + ((case.n, case.m) if case.op == "score" else (case.n, case.e))


def emit_kernel(idx: int, case: Case, inputs) -> str:
    types = input_types(case)
    names = [n for n in ("q", "k", "v", "z", "mask", "bias") if n in inputs]
    args, arg_types = [], {}
    for n in names:
        t = operand_type(case, n, inputs[n].shape, types[n])
        arg_types[n] = t
        args.append(f"%{n}: {t}")
    rshape = result_shape(case)
    rdims = operand_dims(case, "result", rshape)
    rt = operand_type(case, "result", rshape, case.acc_type)
    lines = [f"func.func @kernel{idx}({', '.join(args)}) -> {rt} {{"]
    dyn = []
    rank = len(rshape)
    first = "q" if "q" in inputs else "z"
    for i in range(rank):
        if rdims[i] != "?":
            continue
        if i < rank - 2:
            src, d = first, i
        elif i == rank - 2:
            src, d = first, rank - 2
        else:
            src, d = ("k", rank - 2) if case.op == "score" else ("v", rank - 1)
        lines.append(f"  %c{i} = arith.constant {d} : index")
        lines.append(f"  %d{i} = tensor.dim %{src}, %c{i} : {arg_types[src]}")
        dyn.append(f"%d{i}")
    lines.append(f"  %init = tensor.empty({', '.join(dyn)}) : {rt}")
    attrs = gamma_alpha_attrs(case)
    bias = f" bias(%bias : {arg_types['bias']})" if "bias" in inputs else ""
    if case.op == "score":
        lines.append(f"  %r = inhibitor.manhattan_score {attrs}ins(%q, %k : {arg_types['q']}, "
                     f"{arg_types['k']}){bias} outs(%init : {rt}) -> {rt}")
    elif case.op == "inhibit":
        kw = "signed " if case.signed else ""
        lines.append(f"  %r = inhibitor.inhibit {kw}ins(%v, %z : {arg_types['v']}, "
                     f"{arg_types['z']}) outs(%init : {rt}) -> {rt}")
    else:
        kw = ("causal " if case.causal else "") + ("signed " if case.signed else "")
        mask = f" mask(%mask : {arg_types['mask']})" if "mask" in inputs else ""
        offset = ""
        if case.causal_offset is not None:
            lines.append(f"  %offset = arith.constant {case.causal_offset} : index")
            offset = " causal_offset(%offset)"
        lines.append(f"  %r = inhibitor.attention {kw}{attrs}ins(%q, %k, %v : {arg_types['q']}, "
                     f"{arg_types['k']}, {arg_types['v']}){mask}{bias}{offset} "
                     f"outs(%init : {rt}) -> {rt}")
    lines.append(f"  return %r : {rt}")
    lines.append("}")
    return "\n".join(lines)


def emit_call(idx: int, case: Case, inputs) -> str:
    types = input_types(case)
    lines, operands, optypes = [], [], []
    for n in [n for n in ("q", "k", "v", "z", "mask", "bias") if n in inputs]:
        a = inputs[n]
        st = dataclasses.replace(case, dynamic=False)
        st = operand_type(st, n, a.shape, types[n])
        dt = operand_type(case, n, a.shape, types[n])
        val = dense(a, types[n])
        lines.append(f"  %{n}{idx}s = arith.constant {val} : {st}")
        lines.append(f"  %{n}{idx} = tensor.cast %{n}{idx}s : {st} to {dt}")
        optypes.append(dt)
        operands.append(f"%{n}{idx}")
    rshape = result_shape(case)
    rt = operand_type(case, "result", rshape, case.acc_type)
    st = tensor_type(rshape, case.acc_type)
    lines.append(f"  %r{idx}d = call @kernel{idx}({', '.join(operands)}) : "
                 f"({', '.join(optypes)}) -> {rt}")
    lines.append(f"  %r{idx} = tensor.cast %r{idx}d : {rt} to {st}")
    acc = case.acc_type
    bits = BITS[acc]
    cur, cur_t = f"%r{idx}", st
    if acc not in INT_TYPES:
        it = tensor_type(rshape, f"int{bits}")
        lines.append(f"  %r{idx}b = arith.bitcast {cur} : {cur_t} to {it}")
        cur, cur_t = f"%r{idx}b", it
    if bits < 64:
        wt = tensor_type(rshape, "int64")
        ext = "arith.extsi" if acc in INT_TYPES else "arith.extui"
        lines.append(f"  %r{idx}w = {ext} {cur} : {cur_t} to {wt}")
        cur, cur_t = f"%r{idx}w", wt
    mt = cur_t.replace("tensor<", "memref<")
    lines.append(f"  %r{idx}m = bufferization.to_buffer {cur} : {cur_t} to {mt}")
    lines.append(f"  %r{idx}u = memref.cast %r{idx}m : {mt} to memref<*xi64>")
    lines.append(f"  call @printMemrefI64(%r{idx}u) : (memref<*xi64>) -> ()")
    return "\n".join(lines)


def build_module(cases, all_inputs) -> str:
    parts = ["func.func private @printMemrefI64(memref<*xi64>) attributes {llvm.emit_c_interface}"]
    for i, (c, inp) in enumerate(zip(cases, all_inputs)):
        parts.append(emit_kernel(i, c, inp))
    body = [emit_call(i, c, inp) for i, (c, inp) in enumerate(zip(cases, all_inputs))]
    parts.append("func.func @main() {\n" + "\n".join(body) + "\n  return\n}")
    return "\n\n".join(parts) + "\n"


def decode(values: np.ndarray, case: Case) -> np.ndarray:
    acc = case.acc_type
    if acc in INT_TYPES:
        return values.astype(np.dtype(acc))
    if acc == "bfloat16":
        return (values.astype(np.uint32) << 16).view(np.float32)
    utype = {16: np.uint16, 32: np.uint32, 64: np.uint64}[BITS[acc]]
    return values.astype(np.uint64).astype(utype).view(np.dtype(acc))


def parse_output(text: str):
    results = []
    for chunk in text.split("Unranked Memref")[1:]:
        data = chunk.split("data =", 1)[1]
        results.append(np.array([int(x) for x in re.findall(r"-?\d+", data)], dtype=np.int64))
    return results


def compare(case: Case, got: np.ndarray, ref: np.ndarray, inputs) -> str | None:
    if got.size != ref.size:
        return f"size {got.size} != {ref.size}"
    got = got.reshape(ref.shape)
    if case.acc_type in INT_TYPES:
        if np.array_equal(got, ref):
            return None
        bad = np.argwhere(got != ref)[0]
        return f"first mismatch at {tuple(bad)}: got {got[tuple(bad)]}, want {ref[tuple(bad)]}"
    g = got.astype(np.float64)
    r = ref.astype(np.float64)
    scale = max([1.0, float(np.max(np.abs(r), initial=0))] +
                [float(np.max(np.abs(inputs[n].astype(np.float64)), initial=0)) for n in ("v", "z") if n in inputs])
    if case.op != "inhibit" and "q" in inputs:
        bias = inputs.get("bias")
        z = reference.manhattan_score(inputs["q"], inputs["k"], gamma=case.gamma, alpha=case.alpha,
                                      bias=None if bias is None else bias.astype(np.float64),
                                      acc_dtype="float64")
        z = z[np.isfinite(z)]
        scale = max(scale, float(np.max(np.abs(z), initial=0)))
    if np.array_equal(np.isnan(g), np.isnan(r)):
        g, r = np.nan_to_num(g, nan=0.0), np.nan_to_num(r, nan=0.0)
    tol = 4 * (case.d + case.m) * EPS[case.acc_type] * scale
    err = np.abs(g - r)
    if np.all(err <= tol):
        return None
    bad = np.unravel_index(np.argmax(err), err.shape)
    return f"max error {err[bad]} > tol {tol} at {bad}: got {g[bad]}, want {r[bad]}"


def run_cases(cases, args, rng) -> int:
    all_inputs = [make_inputs(c, rng) for c in cases]
    module = build_module(cases, all_inputs)
    with tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False) as f:
        f.write(module)
        path = f.name
    try:
        opt = subprocess.run([args.opt, path, f"--{args.pipeline}"] + args.opt_arg,
                             capture_output=True, text=True)
        if opt.returncode != 0:
            print(f"FAIL: {args.opt} failed on {path}:\n{opt.stderr[-4000:]}")
            return len(cases)
        if args.expect_ir and args.expect_ir not in opt.stdout:
            print(f"FAIL: the lowered module of {'; '.join(c.describe() for c in cases)} "
                  f"has no {args.expect_ir}")
            return len(cases)
        run = subprocess.run([args.runner, "-e", "main", "-entry-point-result=void",
                              f"-shared-libs={args.shared_libs}"],
                             input=opt.stdout, capture_output=True, text=True)
        if run.returncode != 0:
            print(f"FAIL: mlir-runner failed ({run.returncode}) on {path}:\n{run.stderr[-4000:]}")
            return len(cases)
    finally:
        if not args.keep:
            os.unlink(path)
    outputs = parse_output(run.stdout)
    failures = 0
    for c, inp, out in zip(cases, all_inputs, outputs + [None] * (len(cases) - len(outputs))):
        if out is None:
            print(f"FAIL: {c.describe()}: no output")
            failures += 1
            continue
        ref = reference_result(c, inp)
        problem = compare(c, decode(out, c), ref, inp)
        if problem:
            failures += 1
            print(f"FAIL: {c.describe()}: {problem}")
    return failures


def random_case(r: random.Random, types, ops) -> Case:
    op = r.choice(ops)
    in_type = r.choice(types)
    acc_choices = {"int8": ["int8", "int16", "int32"], "int16": ["int16", "int32"],
                   "int32": ["int32", "int64"], "int64": ["int64"],
                   "float16": ["float16", "float32"], "bfloat16": ["bfloat16", "float32"],
                   "float32": ["float32", "float64"], "float64": ["float64"]}
    acc = r.choice(acc_choices[in_type])
    sizes = [1, 3, 7, 17, 64, 100]
    small = [1, 2, 3, 5]
    nb = r.choice([0, 1, 2])
    batch = tuple(r.choice(small) for _ in range(nb))
    n, m = r.choice(sizes), r.choice(sizes)
    d, e = r.choice(sizes), r.choice(sizes)
    # Keep each case small enough to run in a blink.
    while (max(1, np.prod(batch)) * n * m * max(d, e)) > 120000:
        n, m = max(1, n // 2), max(1, m // 2)
    is_int = acc in INT_TYPES
    if is_int:
        gamma = r.choice([1, 1, 2, 8, 3, 7])
        alpha = r.choice([0, 0, 1, 5])
    else:
        gamma = r.choice([1.0, 2.0, 8.0, 3.0]) if in_type not in ("float16", "bfloat16") else r.choice([1.0, 2.0, 8.0])
        alpha = r.choice([0.0, 0.5, 2.0])
    mask = None
    causal = False
    if op == "attention":
        causal = r.random() < 0.3
        if r.random() < 0.3:
            full = batch + (n, m)
            rank = r.randint(1, len(full))
            mask = tuple(1 if r.random() < 0.3 else s for s in full[len(full) - rank:])
    return Case(op=op, in_type=in_type, acc_type=acc, batch=batch, n=n, m=m, d=d, e=e,
                gamma=gamma, alpha=alpha, signed=r.random() < 0.5, causal=causal, mask=mask,
                dynamic=r.random() < 0.25 and mask is None or (mask is not None and 1 not in mask and r.random() < 0.3),
                extremes=is_int and r.random() < 0.3)


def causal_cases():
    """The causal diagonal moved (`causal_offset` d: pairs j <= i + d): a KV
    cache's bottom-right causal mask (d = M - N) in decode (1, 4 and 16
    queries: K read as stored, K tiles transposed in the loop) and in a
    chunk of prefill (several query tiles, a partial last key tile), the
    byte score and byte inhibition (i8), narrow and wide tiles (i16 -> i32),
    grouped K/V heads, a mask and a bias next to it, dynamic shapes, a
    negative d (rows that attend no key are 0) and a d past M (every key)."""
    cs = []
    for n, m in ((1, 300), (4, 1000), (16, 700), (100, 300)):
        cs.append(Case("attention", "int16", "int32", (2,), n, m, 64, 32, gamma=8, signed=True,
                       causal=True, causal_offset=m - n, ranges=(20, 20, 3000)))
    cs.append(Case("attention", "int16", "int32", (2,), 40, 300, 64, 32, gamma=8, signed=True,
                   causal=True, causal_offset=260, extremes=True))
    cs.append(Case("attention", "int16", "int16", (), 33, 257, 64, 16, gamma=8, signed=True,
                   causal=True, causal_offset=-5, ranges=(10, 10, 100)))
    cs.append(Case("attention", "int8", "int32", (2,), 72, 383, 64, 64, gamma=2, signed=True,
                   causal=True, causal_offset=311, ranges=(10, 10, 120)))
    cs.append(Case("attention", "int8", "int8", (), 4, 200, 64, 64, gamma=8, signed=True,
                   causal=True, causal_offset=196, ranges=(2, 2, 20)))
    cs.append(Case("attention", "int16", "int32", (4,), 16, 500, 64, 64, gamma=8, signed=True,
                   kv_batch=(2,), causal=True, causal_offset=484, ranges=(20, 20, 3000)))
    cs.append(Case("attention", "float32", "float32", (2,), 40, 300, 32, 16, gamma=16,
                   causal=True, causal_offset=-30, mask=(40, 300), bias=(2, 1, 300)))
    cs.append(Case("attention", "float32", "float32", (2,), 24, 300, 16, 8, gamma=16,
                   causal=True, causal_offset=276, dynamic=True))
    cs.append(Case("attention", "int16", "int32", (2,), 40, 300, 32, 32, gamma=4, signed=True,
                   causal=True, causal_offset=1000, dynamic=True, ranges=(10, 10, 400)))
    cs.append(Case("attention", "int32", "int32", (), 7, 9, 3, 5, causal=True,
                   causal_offset=-7))
    return cs


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--opt", default="inhibitor-opt")
    p.add_argument("--runner", default="mlir-runner")
    p.add_argument("--shared-libs", required=True)
    p.add_argument("--pipeline", default="inhibitor-to-llvm")
    p.add_argument("--opt-arg", action="append", default=[])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--cases", type=int, default=50, help="number of random cases")
    p.add_argument("--batch", type=int, default=25, help="cases per compiled module")
    p.add_argument("--types", default="int8,int16,int32,int64,float16,bfloat16,float32,float64")
    p.add_argument("--ops", default="attention,score,inhibit")
    p.add_argument("--suite", choices=["random", "edge", "sad", "grouped", "grouped-random", "narrow",
                                       "byte", "key-layout", "row-sums", "prefetch", "ragged", "causal"],
                   default="random")
    p.add_argument("--keep", action="store_true", help="keep the generated .mlir files")
    p.add_argument("--expect-ir", default=None,
                   help="a string the lowered module must contain (a case is a FAIL "
                        "where it does not), e.g. llvm.intr.prefetch")
    args = p.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    r = random.Random(args.seed)
    if args.suite == "random":
        cases = [random_case(r, args.types.split(","), args.ops.split(",")) for _ in range(args.cases)]
    elif args.suite == "sad":
        cases = sad_cases()
    elif args.suite == "narrow":
        cases = narrow_cases()
    elif args.suite == "byte":
        cases = byte_cases()
    elif args.suite == "key-layout":
        cases = key_layout_cases()
    elif args.suite == "row-sums":
        cases = row_sum_cases()
    elif args.suite == "prefetch":
        cases = prefetch_cases()
    elif args.suite == "ragged":
        cases = ragged_cases()
    elif args.suite == "causal":
        cases = causal_cases()
    elif args.suite == "grouped":
        cases = [c for c in grouped_cases() if c.in_type in args.types.split(",")]
    elif args.suite == "grouped-random":
        cases = [with_bias_and_groups(random_case(r, args.types.split(","), args.ops.split(",")), r)
                 for _ in range(args.cases)]
    else:
        cases = edge_cases()
    failures = 0
    for i in range(0, len(cases), args.batch):
        failures += run_cases(cases[i:i + args.batch], args, rng)
    print(f"{len(cases) - failures} passed, {failures} failed")
    return 1 if failures else 0


def edge_cases():
    """Hand-picked cases of SPEC section 4: extremes that wrap, size 1, odd."""
    cs = []
    for op in ("attention", "score", "inhibit"):
        # i16 extremes in an i16 accumulator: sums and differences wrap.
        cs.append(Case(op, "int16", "int16", (), 7, 17, 3, 5, gamma=3, alpha=1, signed=True, extremes=True))
        cs.append(Case(op, "int16", "int32", (2,), 3, 7, 64, 17, gamma=8, extremes=True))
        cs.append(Case(op, "int8", "int8", (), 3, 3, 7, 3, extremes=True))
        cs.append(Case(op, "int32", "int32", (1, 2), 1, 1, 1, 1, gamma=7, alpha=5, extremes=True))
        cs.append(Case(op, "float32", "float32", (), 100, 100, 64, 64, gamma=8.0, alpha=0.5, signed=True))
        cs.append(Case(op, "float64", "float64", (2,), 17, 7, 3, 100, gamma=3.0, alpha=0.5))
        cs.append(Case(op, "float16", "float16", (), 7, 7, 7, 7, gamma=2.0))
        cs.append(Case(op, "bfloat16", "float32", (), 17, 3, 64, 1, gamma=8.0, alpha=2.0))
        cs.append(Case(op, "int16", "int32", (2, 3), 17, 3, 7, 100, dynamic=True, signed=True))
    cs.append(Case("attention", "int8", "int32", (), 64, 64, 64, 64, gamma=8, alpha=1, signed=True,
                   causal=True, mask=(64, 64)))
    cs.append(Case("attention", "int16", "int32", (2, 3), 7, 17, 3, 5, causal=True, mask=(3, 1, 17)))
    cs.append(Case("attention", "float32", "float32", (2,), 17, 100, 7, 3, causal=True, dynamic=True))
    cs.append(Case("attention", "int8", "int16", (), 100, 64, 64, 1, causal=True, signed=True,
                   v_type="int16"))
    cs.append(Case("inhibit", "int16", "int32", (), 3, 7, 1, 17, signed=True, v_type="int8", z_type="int16"))
    return cs


def grouped_cases():
    """Additive bias (ints wrapping, floats with -inf / +inf, with masks and
    causal) and grouped heads (g = 2, 4, multi-query g = Hq, two batch dims,
    dynamic dims around static head counts), every type family, odd sizes."""
    cs = []
    for ty, acc in (("int8", "int16"), ("int16", "int32"), ("int32", "int64"),
                    ("float32", "float32"), ("float64", "float64"), ("float16", "float32"),
                    ("bfloat16", "float32"), ("float16", "float16")):
        is_int = acc in INT_TYPES
        g, a = (3, 1) if is_int else (2.0, 0.5)
        # bias only, full shape and broadcast shapes
        cs.append(Case("attention", ty, acc, (2, 3), 7, 17, 5, 3, gamma=g, alpha=a, signed=True,
                       bias=(2, 3, 7, 17), bias_inf=not is_int))
        cs.append(Case("score", ty, acc, (3,), 5, 9, 7, 1, gamma=g, alpha=a, bias=(1, 9),
                       bias_inf=not is_int))
        # grouped: g = 2 and 4 and MQA, with bias, mask, causal
        cs.append(Case("attention", ty, acc, (2, 8), 5, 7, 3, 4, gamma=g, signed=True,
                       kv_batch=(2, 4), bias=(8, 1, 7), causal=True))
        cs.append(Case("attention", ty, acc, (8,), 9, 9, 6, 5, gamma=g, alpha=a, kv_batch=(2,),
                       mask=(8, 9, 9), bias=(9, 9), bias_inf=not is_int))
        cs.append(Case("attention", ty, acc, (1, 6), 3, 11, 4, 2, kv_batch=(1, 1), signed=True,
                       causal=True))
        cs.append(Case("score", ty, acc, (4, 2), 3, 5, 17, 1, gamma=g, kv_batch=(2, 1), bias=(2, 3, 5)))
        cs.append(Case("inhibit", ty, acc, (6,), 5, 7, 1, 3, signed=True, kv_batch=(3,)))
    # integer bias at the extremes: the subtraction wraps
    cs.append(Case("attention", "int16", "int16", (), 7, 5, 3, 4, gamma=2, signed=True,
                   extremes=True, bias=(7, 5)))
    cs.append(Case("score", "int8", "int8", (2,), 3, 5, 7, 1, extremes=True, bias=(2, 3, 5)))
    # dynamic dims around static head counts (g = 4, multi-query with dynamic Q heads)
    cs.append(Case("attention", "int16", "int32", (2, 8), 17, 7, 3, 5, signed=True, causal=True,
                   kv_batch=(2, 2), bias=(8, 17, 7), dynamic=True))
    cs.append(Case("attention", "float32", "float32", (3, 4), 9, 13, 5, 3, gamma=2.0,
                   kv_batch=(3, 1), bias=(9, 13), bias_inf=True, mask=(3, 1, 9, 13),
                   dynamic=True))
    cs.append(Case("score", "int8", "int32", (6,), 5, 3, 33, 1, kv_batch=(2,), bias=(1, 3),
                   dynamic=True))
    cs.append(Case("inhibit", "float64", "float64", (4,), 5, 3, 1, 7, kv_batch=(1,), dynamic=True))
    # larger than one fused tile (query-tile 32, key-tile 128 by default)
    cs.append(Case("attention", "int8", "int32", (4,), 70, 150, 16, 9, gamma=4, signed=True,
                   causal=True, kv_batch=(2,), bias=(70, 150)))
    cs.append(Case("attention", "float32", "float32", (2,), 33, 130, 8, 5, gamma=2.0, alpha=0.5,
                   kv_batch=(1,), bias=(2, 33, 130), bias_inf=True))
    return cs


def with_bias_and_groups(case: Case, r: random.Random) -> Case:
    """A random case with random grouped heads and a random bias."""
    if case.op in ("score", "attention") and r.random() < 0.7:
        full = case.batch + (case.n, case.m)
        rank = r.randint(1, len(full))
        case.bias = tuple(1 if r.random() < 0.3 else s for s in full[len(full) - rank:])
        case.bias_inf = case.acc_type not in INT_TYPES and r.random() < 0.5
    if case.batch and case.op != "score" or case.batch and r.random() < 0.8:
        heads = r.choice([2, 4, 6, 8])
        kv = r.choice([h for h in (1, 2, 3, 4) if heads % h == 0])
        i = r.randrange(len(case.batch))
        case.batch = case.batch[:i] + (heads,) + case.batch[i + 1:]
        case.kv_batch = case.batch[:i] + (kv,) + case.batch[i + 1:]
        if case.mask is not None:
            off = len(case.batch) + 2 - len(case.mask)
            case.mask = tuple(1 if s == 1 else (case.batch + (case.n, case.m))[off + j]
                              for j, s in enumerate(case.mask))
        if case.bias is not None:
            off = len(case.batch) + 2 - len(case.bias)
            case.bias = tuple(1 if s == 1 else (case.batch + (case.n, case.m))[off + j]
                              for j, s in enumerate(case.bias))
        while np.prod(case.batch) * case.n * case.m * max(case.d, case.e) > 120000:
            case.n, case.m = max(1, case.n // 2), max(1, case.m // 2)
            full = case.batch + (case.n, case.m)
            for attr in ("mask", "bias"):
                sh = getattr(case, attr)
                if sh is not None:
                    off = len(full) - len(sh)
                    setattr(case, attr, tuple(1 if s == 1 else full[off + j] for j, s in enumerate(sh)))
    return case


def sad_cases():
    """The i8 score as a byte sum of absolute differences (x86 psadbw): i8
    data in i16/i32/i64 accumulators with the extremes -128 and 127 (so
    |q - k| = 255 occurs), sums that wrap an i16 accumulator (D = 257, 300),
    D and M that are no multiple of the vector width or of the key group,
    D beyond the unrolled rows (loop over chunks), dynamic shapes, batch
    dims, gamma/alpha, masks and causal; and an i8 accumulator, which keeps
    the default form."""
    cs = []
    for op in ("score", "attention"):
        for d in (1, 7, 31, 32, 33, 64, 100, 128, 257, 300):
            cs.append(Case(op, "int8", "int16", (), 5, 7, d, 3, gamma=3, alpha=1, signed=True,
                           extremes=True))
        cs.append(Case(op, "int8", "int32", (2,), 17, 13, 64, 17, gamma=8, extremes=True))
        cs.append(Case(op, "int8", "int64", (), 3, 9, 65, 5, gamma=7, alpha=2, extremes=True))
        cs.append(Case(op, "int8", "int16", (2, 3), 9, 11, 37, 5, gamma=2, signed=True,
                       dynamic=True, extremes=True))
        cs.append(Case(op, "int8", "int32", (), 1, 1, 1, 1))
        cs.append(Case(op, "int8", "int8", (), 3, 5, 33, 3, extremes=True))
    cs.append(Case("attention", "int8", "int16", (), 70, 130, 64, 64, gamma=8, signed=True,
                   causal=True, mask=(70, 130)))
    cs.append(Case("attention", "int8", "int32", (2,), 33, 200, 300, 9, gamma=16, alpha=3,
                   signed=True, extremes=True, dynamic=True))
    return cs


if __name__ == "__main__":
    sys.exit(main())
