#!/usr/bin/env python3
"""Exact key skipping (`--inhibitor-to-llvm="skip-keys=true"`) against the
plain fused kernel, on three kinds of data (docs/KeySkipping.md).

Kernels: signed inhibitor attention, 2 heads, d = e = 64, gamma = 8
(sqrt(d)), alpha = 0, in two integer forms:

  i8   Q, K, V int8, int16 accumulator (the score as psadbw where the host
       has AVX2; its chunk is then all of D, so only the inhibition skips)
  i16  Q, K, V int16, int32 accumulator (the bounds of int16 data in an
       int16 accumulator cannot be proved, so the skip needs int32)

Data (values in the quantized units of the type, R = 100 for both):

  uniform  Q, K, V uniform in [-R, R].
  trained  attention shaped like a trained model's: keys are a random walk
           over positions (k_j = k_{j-1} + a step uniform in [-S, S], folded
           back into [-R, R]; neighbouring tokens share context), each
           query is the key at its own position plus noise uniform in
           [-2, 2], and V is uniform in [-R/2, R/2]. A query is near the
           few keys around its position (a local window, the most common
           pattern in trained heads) and far from the others: the pairs of
           a row that survive are a small band around the diagonal.
  worst    nothing can be skipped: Q, K uniform in [-2, 2] (every score is
           at most 64 * 4 / 8 = 32) and V uniform in [-R, R] with one
           column at R, so every key's bound exceeds every score.

Every variant's output is checked bit for bit against the NumPy reference
before it is timed. Variants of one size are timed interleaved (rounds of
one sample each), medians reported. The fractions skipped are counted from
the data with the kernel's rule (a [query-tile, key-tile] block skips its
inhibition when all its pairs are extinguished; its score stops after the
first chunk of `skip-chunk` dims at which all partial sums reach their
thresholds; before that, the exact box pre-filter skips a whole block
whose score lower bound from per-dimension bounding boxes of its queries
and keys reaches every threshold of its keys).

    benchmarks/skip.py [--sizes 256,1024,4096] [--types i8,i16] [--samples 5]

Writes benchmarks/results/skip-<date>-<cpu>.{csv,json,png} with the CPU
(LLVM host name) and the machine's load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))
from kernels import Kernel, compile_kernel  # noqa: E402
from run import time_one, write_results  # noqa: E402
from inhibitor import reference  # noqa: E402

HEADS, D, GAMMA, R = 2, 64, 8, 100
TYPES = {"i8": ("int8", "i8", "int16", "i16"), "i16": ("int16", "i16", "int32", "i32")}


def kernel_source(n: int, ty: str) -> str:
    _, t, _, acc = TYPES[ty]
    shape = f"{HEADS}x{n}x{D}"
    return f"""func.func @k(%q: tensor<{shape}x{t}>, %k: tensor<{shape}x{t}>, %v: tensor<{shape}x{t}>)
    -> tensor<{shape}x{acc}> attributes {{llvm.emit_c_interface}} {{
  %init = tensor.empty() : tensor<{shape}x{acc}>
  %h = inhibitor.attention signed {{gamma = {GAMMA} : {acc}}}
         ins(%q, %k, %v : tensor<{shape}x{t}>, tensor<{shape}x{t}>, tensor<{shape}x{t}>)
         outs(%init : tensor<{shape}x{acc}>) -> tensor<{shape}x{acc}>
  return %h : tensor<{shape}x{acc}>
}}"""


def generate(kind: str, n: int, dtype, rng: np.random.Generator):
    shape = (HEADS, n, D)
    if kind == "uniform":
        q, k, v = (rng.integers(-R, R + 1, shape) for _ in range(3))
    elif kind == "trained":
        steps = rng.integers(-6, 7, shape)
        walk = np.cumsum(steps, axis=1) + rng.integers(-R, R + 1, (HEADS, 1, D))
        # Fold into [-R, R] (a triangle wave keeps neighbours neighbours).
        period = 4 * R
        w = np.mod(walk + R, period)
        k = np.where(w <= 2 * R, w, period - w) - R
        q = np.clip(k + rng.integers(-2, 3, shape), -R, R)
        v = rng.integers(-R // 2, R // 2 + 1, shape)
    elif kind == "worst":
        q, k = (rng.integers(-2, 3, shape) for _ in range(2))
        v = rng.integers(-R, R + 1, shape)
        v[..., 0] = R
    else:
        raise ValueError(kind)
    return [np.ascontiguousarray(a.astype(dtype)) for a in (q, k, v)]


def skipped_fractions(q, k, v, qt: int, kt: int, chunk: int):
    """(pairs extinguished, inhibition work skipped, score work skipped,
    blocks ruled out by the box pre-filter) by the kernel's block rule, from
    the data (exact integer arithmetic)."""
    q64, k64, v64 = (a.astype(np.int64) for a in (q, k, v))
    bound = np.abs(v64).max(-1)                       # [h, M]
    thr = np.where(bound <= 0, 0, GAMMA * bound)      # sum-space, alpha = 0
    h, n, _ = q.shape
    m = k.shape[1]
    nchunks = -(-D // chunk)
    dead_pairs = 0
    blocks_skipped = 0.0
    prefiltered = 0.0
    chunks_done = 0.0
    for b in range(h):
        for i0 in range(0, n, qt):
            qs = q64[b, i0:i0 + qt]
            partial = np.zeros((qs.shape[0], m), np.int64)
            alive_after = np.ones((nchunks, m), bool)
            for c in range(nchunks):
                partial += np.abs(qs[:, None, c * chunk:(c + 1) * chunk]
                                  - k64[b, None, :, c * chunk:(c + 1) * chunk]).sum(-1)
                alive_after[c] = (partial < thr[b][None, :]).any(0)
            dead_pairs += int((partial >= thr[b][None, :]).sum())
            qlo, qhi = qs.min(0), qs.max(0)
            for j0 in range(0, m, kt):
                # The box pre-filter: a lower bound of every score of the
                # block reaching every threshold skips the block outright.
                ks = k64[b, j0:j0 + kt]
                lb = np.maximum(0, np.maximum(ks.min(0) - qhi, qlo - ks.max(0))).sum()
                if lb >= thr[b, j0:j0 + kt].max():
                    blocks_skipped += qs.shape[0] * min(kt, m - j0)
                    prefiltered += qs.shape[0] * min(kt, m - j0)
                    continue
                alive = alive_after[:, j0:j0 + kt].any(1)
                # Chunks summed: up to and including the first with none alive.
                first_dead = np.argmin(alive) if not alive.all() else nchunks - 1
                chunks_done += (first_dead + 1) * qs.shape[0] * min(kt, m - j0)
                if not alive[-1]:
                    blocks_skipped += qs.shape[0] * min(kt, m - j0)
    total = h * n * m
    return (dead_pairs / total, blocks_skipped / total, 1 - chunks_done / (total * nchunks),
            prefiltered / total)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="256,1024,4096")
    p.add_argument("--types", default="i8,i16")
    p.add_argument("--data", default="uniform,trained,worst")
    p.add_argument("--samples", type=int, default=5)
    p.add_argument("--min-seconds", type=float, default=0.2)
    p.add_argument("--query-tile", type=int, default=8)
    p.add_argument("--key-tile", type=int, default=32)
    p.add_argument("--skip-chunk", type=int, default=16)
    p.add_argument("--skip-options", default="",
                   help="more --inhibitor-to-llvm options for the skip variant")
    p.add_argument("--out", default=os.path.join(HERE, "results"))
    args = p.parse_args()
    rng = np.random.default_rng(0)
    tiles = f"query-tile={args.query_tile} key-tile={args.key_tile}"
    pipelines = {
        "plain": "inhibitor-to-llvm",
        "plain-small-tiles": f"inhibitor-to-llvm={tiles}",
        "skip": f"inhibitor-to-llvm=skip-keys=true {tiles} skip-chunk={args.skip_chunk}"
                + (f" {args.skip_options}" if args.skip_options else ""),
    }
    rows = []
    for ty in args.types.split(","):
        np_in, _, np_acc, _ = TYPES[ty]
        # The i8 score runs as psadbw over all of D: one chunk.
        chunk = D if ty == "i8" else args.skip_chunk
        for n in (int(s) for s in args.sizes.split(",")):
            src = kernel_source(n, ty)
            kernels = {name: Kernel(compile_kernel(src, "k", pipe), "k", 3, np_acc)
                       for name, pipe in pipelines.items()}
            for kind in args.data.split(","):
                q, k, v = generate(kind, n, np_in, rng)
                want = reference.attention(q, k, v, gamma=GAMMA, signed=True, acc_dtype=np_acc)
                for name, kern in kernels.items():
                    got = kern(q, k, v)
                    if not np.array_equal(got, want):
                        raise RuntimeError(f"{name} {ty} n={n} {kind}: differs from the reference")
                    time_one(lambda kern=kern: kern(q, k, v), args.min_seconds / 4)
                samples = {name: [] for name in kernels}
                for _ in range(args.samples):
                    for name, kern in kernels.items():
                        samples[name].append(
                            time_one(lambda kern=kern: kern(q, k, v), args.min_seconds))
                med = {name: statistics.median(s) for name, s in samples.items()}
                dead, inhibit_skipped, score_skipped, prefiltered = skipped_fractions(
                    q, k, v, args.query_tile, args.key_tile, chunk)
                row = {"type": ty, "data": kind, "n": n, "d": D, "heads": HEADS,
                       "pairs_extinguished": round(dead, 4),
                       "inhibition_skipped": round(inhibit_skipped, 4),
                       "score_skipped": round(score_skipped, 4),
                       "prefiltered": round(prefiltered, 4),
                       "plain_us": med["plain"] * 1e6,
                       "plain_small_tiles_us": med["plain-small-tiles"] * 1e6,
                       "skip_us": med["skip"] * 1e6,
                       "speedup": med["plain"] / med["skip"],
                       "speedup_vs_small_tiles": med["plain-small-tiles"] / med["skip"],
                       "spread_skip": (max(samples["skip"]) - min(samples["skip"])) / med["skip"]}
                rows.append(row)
                print(f"{ty:3} {kind:7} n={n:5}: extinguished {dead:6.1%}, inhibition skipped "
                      f"{inhibit_skipped:6.1%}, score skipped {score_skipped:6.1%} (pre-filter "
                      f"{prefiltered:6.1%}); plain "
                      f"{row['plain_us']:9.1f} us, plain small tiles {row['plain_small_tiles_us']:9.1f}"
                      f" us, skip {row['skip_us']:9.1f} us: x{row['speedup']:.2f} "
                      f"(x{row['speedup_vs_small_tiles']:.2f} vs small tiles)", flush=True)
    meta = {"load_average": os.getloadavg(),
            "cores": os.cpu_count(), "samples": args.samples, "min_seconds": args.min_seconds,
            "pipelines": pipelines, "gamma": GAMMA, "range": R,
            "note": "medians of interleaved rounds; the machine was shared (see load)"}
    base, meta = write_results(args.out, "skip", meta, rows)
    plot(rows, meta, base + ".png")
    print(f"wrote {base}.csv/.json/.png ({meta['cpu']}, load {meta['load_average']})")
    return 0


def plot(rows, meta, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    types = sorted({r["type"] for r in rows})
    fig, axes = plt.subplots(1, len(types), figsize=(6 * len(types), 4), squeeze=False)
    for ax, ty in zip(axes[0], types):
        for kind in sorted({r["data"] for r in rows}):
            rs = sorted((r for r in rows if r["type"] == ty and r["data"] == kind),
                        key=lambda r: r["n"])
            ax.plot([r["n"] for r in rs], [r["speedup"] for r in rs], "o-", label=kind)
        ax.axhline(1.0, color="gray", lw=0.8)
        ax.set_xscale("log", base=2)
        ax.set_xlabel("n (= M, d = 64, 2 heads)")
        ax.set_ylabel("plain fused time / skip-keys time")
        ax.set_title(f"{ty}: exact key skipping")
        ax.legend()
    fig.suptitle(f"{meta['cpu']} ({meta['llvm_host_cpu']}), load {meta['load_average'][0]:.1f}")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


if __name__ == "__main__":
    sys.exit(main())
