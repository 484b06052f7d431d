#!/usr/bin/env python3
"""The fused kernel against tiling through the ops' interface (#16, item 4).

One head of `inhibitor.attention` (d = 64, the kernel of
benchmarks/roofline.py: i16 or i8 data with an i16 or an i32 result),
compiled five ways by the same `inhibitor-opt` and timed
interleaved in the same rounds:

- `fused`: `--inhibitor-to-llvm` alone, the fused kernel that the conversion
  to linalg builds (query tiles of 32, key tiles of 128);
- `transform`: the transform script of docs/Tiling.md first (upstream
  `transform.structured.tile_using_forall` for query tiles of 32, then
  `tile_using_for` for key tiles of 128, through the op's TilingInterface),
  then the same pipeline on the tiled ops;
- `key-tiles`: the script with `--inhibitor-pack-keys='biased-keys=false'`
  first: `key_tiles` only, each tile of the i8 byte score offsetting its
  own K slice (the `packed` kernel before `biased_keys`; the same kernel
  as `packed` for i16);
- `packed`: the script with `--inhibitor-pack-keys` first (upstream
  `transform.apply_registered_pass`): the op gets its keys prepared once
  (`key_tiles`, linalg.pack, and for i8 `biased_keys`, K xor 0x80) and
  each tile reads its K tile from there instead of transposing (or, for
  the i8 byte score, offsetting) its slice of K in every query tile;
- `versioned`: the packed script with `--inhibitor-version-narrow-sums`
  first: i16 data with an i32 result check once per call that 16-bit
  partial sums are exact (the op twice under an `scf.if`, one with
  `narrow_sums`), not in every tile (the same kernel as `packed` for the
  other types: no narrow mode, or for i8 -> i32 with d = 64 one the
  element types prove, without a check).

ISAs: those of the host (AVX-512 where it has AVX-512BW, and AVX2 with
`target-cpu=x86-64-v3`). Every kernel is checked against the NumPy
reference before it is timed.

    benchmarks/tiling.py [--sizes 256,1024,4096] [--isa avx512,avx2]
                         [--types i16,i16-i32,i8,i8-i32] [--causal] [--name tiling]

`--causal`: causal attention (the tiles of the script are causal with their
own `causal_offset`, so that each runs only its keys on or below the
diagonal, as the fused kernel's key loop does).

Writes benchmarks/results/<name>-<date>-<cpu>.{csv,json} and prints the
table. `--check-only` compiles every kernel, checks it and times nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))
import native  # noqa: E402
import variants as V  # noqa: E402
from kernels import CACHE, Kernel, as_memref, compile_kernel  # noqa: E402
from run import add_row_bench_args, time_one, write_row_results  # noqa: E402
from inhibitor import reference  # noqa: E402

GAMMA = 8
D = 64
TYPES = {"i16": (np.int16, np.int16), "i16-i32": (np.int16, np.int32), "i8": (np.int8, np.int16),
         "i8-i32": (np.int8, np.int32)}
ISAS = {"avx512": ("", ("-O3", "-march=native")),
        "avx2": ("target-cpu=x86-64-v3", ("-O3", "-march=x86-64-v3", "-mtune=native"))}
# docs/Tiling.md's scripts for an op of rank 2 (domain [N, E, M]): tiles of
# 32 queries in an scf.forall and of 128 keys in an scf.for, the second
# with the keys packed first.
TILE = """    %tile, %forall = transform.structured.tile_using_forall %att tile_sizes [32, 0, 0]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    %tile2, %for = transform.structured.tile_using_for %tile tile_sizes [0, 0, 128]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}
"""
HEAD = """module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op) {
"""
FUNC = """    %func = transform.structured.match ops{["func.func"]} in %root
      : (!transform.any_op) -> !transform.any_op
"""


def registered_pass(result: str, name: str, target: str, more: str = "") -> str:
    """`result` = the pass `name` (option key-tile = 128, and `more`) run on
    `target`."""
    return f"""    {result} = transform.apply_registered_pass "{name}"
      with options = {{"key-tile" = 128 : i64{more}}} to {target}
      : (!transform.any_op) -> !transform.any_op
"""


def match_attention(root: str) -> str:
    return f"""    %att = transform.structured.match ops{{["inhibitor.attention"]}} in {root}
      : (!transform.any_op) -> !transform.any_op
"""


SCRIPTS = {
    "transform": HEAD + match_attention("%root") + TILE,
    "key-tiles": HEAD + FUNC
    + registered_pass("%packed", "inhibitor-pack-keys", "%func", ', "biased-keys" = false')
    + match_attention("%packed") + TILE,
    "packed": HEAD + FUNC + registered_pass("%packed", "inhibitor-pack-keys", "%func")
    + match_attention("%packed") + TILE,
    "versioned": HEAD + FUNC
    + registered_pass("%versioned", "inhibitor-version-narrow-sums", "%func")
    + registered_pass("%packed", "inhibitor-pack-keys", "%versioned")
    + match_attention("%packed") + TILE}
MODES = ("fused", "transform", "key-tiles", "packed", "versioned")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="256,1024,4096", help="n = queries = keys")
    p.add_argument("--isa", default="", help="comma-separated subset of the host's ISAs")
    p.add_argument("--types", default="i16,i16-i32,i8,i8-i32")
    p.add_argument("--causal", action="store_true", help="causal attention (PyTorch's is_causal)")
    add_row_bench_args(p, "tiling", shapes="static")
    args = p.parse_args()
    types = args.types.split(",")
    if not set(types) <= set(TYPES):
        p.error(f"--types: some of {','.join(TYPES)}, not {args.types!r}")
    isas = [i for i in native.host_isas() if not args.isa or i in args.isa.split(",")]
    if not isas:
        p.error("no ISA of --isa runs on this host")
    os.makedirs(CACHE, exist_ok=True)
    pres = {"fused": ()}
    for mode, text in SCRIPTS.items():
        # Named by its text: the kernels' cache keys hold the path.
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        script = os.path.join(CACHE, f"tiling-{mode}-{digest}.mlir")
        with open(script, "w") as f:
            f.write(text)
        pres[mode] = (f"--transform-preload-library=transform-library-paths={script}",
                      "--transform-interpreter")
    load_before = os.getloadavg()
    rng = np.random.default_rng(0)
    rows, checked = [], 0
    for isa in isas:
        opts, cflags = ISAS[isa]
        pipeline = "inhibitor-to-llvm" + (f"={opts}" if opts else "")
        for ts in types:
            dt, acc = TYPES[ts]
            for n in [int(s) for s in args.sizes.split(",") if s]:
                lim = 100 if dt == np.int16 else 60
                q, k, v = [rng.integers(-lim, lim + 1, (n, D)).astype(dt) for _ in range(3)]
                want = reference.attention(q, k, v, gamma=GAMMA, signed=True, acc_dtype=acc,
                                           causal=args.causal)
                text = V.inhibitor_attention(0, n, D, np.dtype(dt).name, np.dtype(acc).name,
                                             gamma=GAMMA, signed=True, causal=args.causal)
                kerns = {mode: Kernel(compile_kernel(text, "k", pipeline, cflags, pres[mode]),
                                      "k", 2, acc) for mode in MODES}
                for mode, kern in kerns.items():
                    assert np.array_equal(kern(q, k, v), want), f"{isa} {ts} n={n} {mode}: wrong"
                    checked += 1
                if args.check_only:
                    continue
                refs = [as_memref(a) for a in (q, k, v)]
                samples = {mode: [] for mode in MODES}
                for kern in kerns.values():
                    time_one(lambda kern=kern: kern.timed_call(refs), args.min_seconds / 4)
                for _ in range(args.samples):
                    for mode, kern in kerns.items():
                        samples[mode].append(
                            time_one(lambda kern=kern: kern.timed_call(refs), args.min_seconds))
                row = {"isa": isa, "type": ts, "n": n, "d": D, "causal": args.causal}
                for mode in MODES:
                    row[f"{mode}_us"] = min(samples[mode]) * 1e6
                for mode in MODES[1:]:
                    row[f"{mode}_over_fused"] = row[f"{mode}_us"] / row["fused_us"]
                rows.append(row)
                print(f"{isa:6} {ts:7} n={n:5}: fused {row['fused_us']:9.1f} us | "
                      f"transform {row['transform_us']:9.1f} us ({row['transform_over_fused']:.3f}x) | "
                      f"key-tiles {row['key-tiles_us']:9.1f} us "
                      f"({row['key-tiles_over_fused']:.3f}x) | "
                      f"packed {row['packed_us']:9.1f} us ({row['packed_over_fused']:.3f}x) | "
                      f"versioned {row['versioned_us']:9.1f} us "
                      f"({row['versioned_over_fused']:.3f}x)",
                      flush=True)
    if args.check_only:
        print(f"{checked} passed, 0 failed")
        return 0
    return write_row_results(
        args, load_before, rows,
        "best of interleaved rounds, one inhibitor-opt; x = time over the fused "
        "kernel's (> 1: slower)", scripts=SCRIPTS)


if __name__ == "__main__":
    sys.exit(main())
