#!/usr/bin/env python3
"""Cost of the run-time checks (--inhibitor-to-llvm runtime-checks=true, the
default, against runtime-checks=false; docs/Testing.md).

The checks cost something only where shapes are dynamic (static pairs are
proved by the verifier; each heap allocation gets one null test), so the
kernels here take fully dynamic tensors: fused i16 attention (i16
accumulator, 2 heads) and the unfused one (whose [N, M] score buffer is
checked too), d = 64. Both builds of a kernel are timed interleaved, in
alternating rounds, and checked against the NumPy reference first.

    benchmarks/runtime_checks.py [--sizes 64,256,1024] [--samples 7]

Writes benchmarks/results/runtime-checks-<date>-<cpu>.{csv,json} with the
CPU and load, and prints the table.
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

KERNEL = """func.func @k(%q: tensor<?x?x?xi16>, %k: tensor<?x?x?xi16>, %v: tensor<?x?x?xi16>)
    -> tensor<?x?x?xi16> attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x?x?xi16>
  %n = tensor.dim %q, %c1 : tensor<?x?x?xi16>
  %e = tensor.dim %v, %c2 : tensor<?x?x?xi16>
  %init = tensor.empty(%b, %n, %e) : tensor<?x?x?xi16>
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<?x?x?xi16>, tensor<?x?x?xi16>, tensor<?x?x?xi16>)
         outs(%init : tensor<?x?x?xi16>) -> tensor<?x?x?xi16>
  return %h : tensor<?x?x?xi16>
}"""


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="64,256,1024")
    p.add_argument("--samples", type=int, default=7)
    p.add_argument("--min-seconds", type=float, default=0.2)
    p.add_argument("--out", default=os.path.join(HERE, "results"))
    args = p.parse_args()
    rng = np.random.default_rng(0)
    rows = []
    for kind, base in (("fused", "inhibitor-to-llvm"),
                       ("unfused", "inhibitor-to-llvm=fuse-attention=false")):
        sep = " " if "=" in base else "="
        kernels = {checks: Kernel(compile_kernel(KERNEL, "k", f"{base}{sep}runtime-checks={checks}"),
                                  "k", 3, np.int16)
                   for checks in ("true", "false")}
        for n in (int(s) for s in args.sizes.split(",")):
            q, k, v = [rng.integers(-60, 61, (2, n, 64)).astype(np.int16) for _ in range(3)]
            want = reference.attention(q, k, v, gamma=8, signed=True, acc_dtype=np.int16)
            samples = {c: [] for c in kernels}
            for c, kern in kernels.items():
                assert np.array_equal(kern(q, k, v), want), f"{kind} n={n} checks={c}: wrong"
                time_one(lambda kern=kern: kern(q, k, v), args.min_seconds / 4)
            for _ in range(args.samples):
                for c, kern in kernels.items():
                    samples[c].append(time_one(lambda kern=kern: kern(q, k, v), args.min_seconds))
            on, off = statistics.median(samples["true"]), statistics.median(samples["false"])
            rows.append({"kernel": f"i16 attention {kind}, dynamic shapes", "heads": 2, "n": n,
                         "d": 64, "checks_on_us": on * 1e6, "checks_off_us": off * 1e6,
                         "ratio_on_over_off": on / off})
            print(f"{kind:8} n={n:5}: checks on {on * 1e6:10.1f} us, off {off * 1e6:10.1f} us, "
                  f"on/off {on / off:.3f}", flush=True)
    meta = {"load_average": os.getloadavg(),
            "samples": args.samples, "min_seconds": args.min_seconds,
            "note": "medians of interleaved rounds; the machine was shared (see load)"}
    base, meta = write_results(args.out, "runtime-checks", meta, rows)
    print(f"wrote {base}.csv/.json ({meta['cpu']}, load {meta['load_average']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
