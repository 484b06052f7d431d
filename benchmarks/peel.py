#!/usr/bin/env python3
"""Peeled register tiles: `--inhibitor-to-llvm="peel-tiles=..."` A/B.

One attention call (8 query heads, d = 64, i16 or i8 data, i32 result; the
kernels of benchmarks/decode.py) at sizes the tiles do not divide, compiled
by the same `inhibitor-opt` four ways and timed interleaved in the same
rounds (docs/Codegen.md, "Peeling partial tiles"):

- `off`: every partial register tile vectorized under `vector.mask`;
- `static`: the tile loops of constant bounds peeled, so the full tiles and
  the static partial ones run without masks;
- `split` (the default): those, and each tile loop of a dynamic dim split
  into its full tile (unmasked) and the partial one (masked) under an
  `scf.if`, where an op has one such loop;
- `all`: the loops of dynamic bounds peeled instead (opt-in: compile time).

Each row is a prefill (N queries x N keys per head, no options) or a decode
(`--decode` queries x `--decode-keys` keys, `key-splits=4 threads=2`),
static or with N and M dynamic (`--shapes`). Every kernel is checked
against the NumPy reference before it is timed. Besides the run time, the
time `inhibitor-opt` takes to lower the kernel (median of 3) is recorded:
splitting or peeling loops of dynamic bounds is what costs compile time.

    benchmarks/peel.py [--prefill 100,250,1000] [--decode 6,10]
                       [--decode-keys 16384] [--types int16,int8]
                       [--shapes static,dynamic] [--name peel]

Writes benchmarks/results/<name>-<date>-<cpu>.{csv,json} and prints the
table. `--check-only` compiles every kernel, checks it and times nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))
import kernels  # noqa: E402
from kernels import Kernel, compile_kernel  # noqa: E402
from decode import GAMMA, HEADS, D, kernel_text  # noqa: E402
from run import add_row_bench_args, time_one, write_row_results  # noqa: E402
from inhibitor import reference  # noqa: E402

MODES = ("off", "static", "split", "all")


def lower_seconds(text: str, pipeline: str) -> float:
    """inhibitor-opt's time for the pipeline alone, median of 3."""
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([kernels.OPT, f"--{pipeline}", "-o", os.devnull], input=text,
                       capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--prefill", default="100,250,1000",
                   help="N for prefill rows (N queries x N keys per head)")
    p.add_argument("--decode", default="6,10", help="queries per head for decode rows")
    p.add_argument("--decode-keys", type=int, default=16384)
    p.add_argument("--types", default="int16,int8")
    parse_shapes = add_row_bench_args(p, "peel", shapes="static,dynamic")
    args = p.parse_args()
    shapes = parse_shapes(args)
    types = args.types.split(",")
    if not set(types) <= {"int16", "int8"}:
        p.error(f"--types: int16 and/or int8, not {args.types!r}")
    rows_spec = [("prefill", int(n), int(n), "") for n in args.prefill.split(",") if n]
    rows_spec += [("decode", int(n), args.decode_keys, "key-splits=4 threads=2")
                  for n in args.decode.split(",") if n]
    load_before = os.getloadavg()
    rng = np.random.default_rng(0)
    rows, checked = [], 0
    for ts in types:
        ty = getattr(np, ts)
        for kind, n, m, opts in rows_spec:
            lim = 100 if ty == np.int16 else 60
            q = rng.integers(-lim, lim + 1, (HEADS, n, D)).astype(ty)
            k, v = [rng.integers(-lim, lim + 1, (HEADS, m, D)).astype(ty) for _ in range(2)]
            want = reference.attention(q, k, v, gamma=GAMMA, signed=True, acc_dtype=np.int32)
            for shape in shapes:
                text = kernel_text(n, m, HEADS, ty, dynamic=shape == "dynamic")
                pipes = {mode: "inhibitor-to-llvm="
                         + " ".join(filter(None, [opts, f"peel-tiles={mode}"]))
                         for mode in MODES}
                kerns = {mode: Kernel(compile_kernel(text, "k", pipe), "k", 3, np.int32)
                         for mode, pipe in pipes.items()}
                for mode, kern in kerns.items():
                    assert np.array_equal(kern(q, k, v), want), \
                        f"{ts} {kind} n={n} m={m} {shape} peel-tiles={mode}: wrong"
                    checked += 1
                if args.check_only:
                    continue
                row = {"type": ts, "kind": kind, "shapes": shape, "heads": HEADS,
                       "queries": n, "keys": m, "d": D, "options": opts}
                for mode in MODES:
                    row[f"{mode}_compile_s"] = lower_seconds(text, pipes[mode])
                samples = {mode: [] for mode in MODES}
                for kern in kerns.values():
                    time_one(lambda kern=kern: kern(q, k, v), args.min_seconds / 4)
                for _ in range(args.samples):
                    for mode, kern in kerns.items():
                        samples[mode].append(
                            time_one(lambda kern=kern: kern(q, k, v), args.min_seconds))
                for mode in MODES:
                    row[f"{mode}_us"] = min(samples[mode]) * 1e6
                for mode in MODES[1:]:
                    row[f"{mode}_over_off"] = row["off_us"] / row[f"{mode}_us"]
                rows.append(row)
                speeds = " | ".join(
                    f"{mode} {row[f'{mode}_us']:9.1f} us ({row[f'{mode}_over_off']:.2f}x)"
                    for mode in MODES[1:])
                compiles = "/".join(f"{row[f'{mode}_compile_s']:.2f}" for mode in MODES)
                print(f"{ts:5} {kind:7} {shape:7} n={n:5} m={m:6}: "
                      f"off {row['off_us']:9.1f} us | {speeds} | compile "
                      f"{'/'.join(MODES)} {compiles} s", flush=True)
    if args.check_only:
        print(f"{checked} passed, 0 failed")
        return 0
    return write_row_results(
        args, load_before, rows,
        "best of interleaved rounds, the same inhibitor-opt with peel-tiles="
        "off/static/split/all; compile = inhibitor-opt --inhibitor-to-llvm alone, "
        "median of 3")


if __name__ == "__main__":
    sys.exit(main())
