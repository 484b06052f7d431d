#!/usr/bin/env python3
"""Decode: a few queries against many cached keys (issue 16, item 5).

One attention call with N = 1..16 queries per head against M = 4K..64K
cached keys (d = 64; 8 query heads over 8 or 2 key/value heads, i.e. plain
multi-head or grouped-query attention; i16 or i8 K/V, i32 accumulator),
compiled by `inhibitor-opt --inhibitor-to-llvm` four ways, timed
interleaved in the same run:

- `plain`: the fused kernel as it is (its parallel loop runs over heads and
  query tiles, of which decode has few);
- `split`: `key-splits=S` (the keys in S parts added afterwards,
  docs/Tiling.md), one thread;
- `split-threads`: `key-splits=S threads=T` on T OpenMP threads (T = the
  cores of this machine, S = 2T);
- `no-prefetch`: the same with `prefetch=false` (no software prefetch of
  the next K/V tile, --inhibitor-prefetch-tiles), for the ratio
  `prefetch_speedup`.

With `--shapes static,dynamic` each row is also compiled as front ends
emit decode, every dim but D and the heads dynamic (`tensor<8x?x64xi16>`,
the split of a dynamic N in docs/Tiling.md), and timed in the same rounds
as the static kernel of the same sizes. With `--biased-keys` each int8 row
is also compiled with its keys kept biased by 128 (`biased_keys`, K xor
0x80, made once and passed in, as a KV cache kept for the byte score
would hold them: no per-tile offset of K in the kernel), a row `biased`
timed in the same rounds as the static one. With `--key-tiles` each int16
row is also compiled with its keys passed packed (`key_tiles`, K^T in
tiles of 128 keys, [heads, M / 128, D, 128], made once and passed in, as a
KV cache kept in that layout would hold them: no transpose of K tiles in
the kernel), a row `key-tiles` timed in the same rounds. With
`--full-range` each row is also timed on data of its type's whole range,
|x| <= 32767 for int16 and 127 for int8 (as a KV cache quantized by
`--inhibitor-quantize` or `inhibitor.quantize` holds them: they map the
largest magnitude to qmax), a row `full-range` of the static kernel in
the same rounds. The other rows' data are small (|x| <= 100 for int16, 60
for int8), which the int16 kernels' 16-bit key tiles need: on full-range
int16 data their run-time check fails and each key tile sums in the i32
accumulator (docs/Lowering.md); the hand kernel's rate (below) is then no
bound, since it sums in 16 bits and is exact only on small data.

Each kernel is checked against the NumPy reference at the smallest M
before it is timed. The rate is the K/V bytes the call must read over its
time, next to this machine's read bandwidth measured in the same run (a
C loop summing a 512 MiB array, built -O3 -march=native with OpenMP, on 1
and on T threads): decode is memory-bound once K/V leave the caches, and
the issue's target is 70% of that bandwidth. The T-thread bandwidth is
measured again in each round of each row, interleaved with the kernels,
and a row's share is against the median of its own rounds (on a shared VM
the bandwidth moves by 1.5x within minutes).

The compute bound: the hand-vectorized kernel of the row's data type
(benchmarks/native/hand_kernels.cpp, the widest ISA of this host; i16 data
with an i32 result, i8 data), one head of 1024 queries against 1024 keys
(K and V in cache), is timed in the same rounds on one thread; its time
per query-key pair is the fastest this host computes the kernel. A row
of P pairs on T threads then needs at least P times that over T, and
`bound_of_bandwidth` = min(1, read time / that time) is the largest share
of the bandwidth that a kernel computing at the hand kernel's rate can
reach: where it is below 70%, the issue's target is beyond what the
arithmetic allows on this host. `of_bound` is the row's share over it.

    benchmarks/decode.py [--keys 4096,16384,65536] [--queries 1,4,16]
                         [--shapes static,dynamic] [--biased-keys] [--key-tiles]
                         [--full-range]
                         [--name decode]

Writes benchmarks/results/<name>-<date>-<cpu>.{csv,json} (CPU, load,
bandwidth) and prints the table. `--check-only` compiles every kernel at
the sizes given, checks it against the reference and times nothing.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import statistics
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))
import native  # noqa: E402
from kernels import CACHE, Kernel, compile_kernel  # noqa: E402
from run import add_row_bench_args, time_one, write_row_results  # noqa: E402
from inhibitor import reference  # noqa: E402

D = 64
HEADS = 8
GAMMA = 8
KEY_TILE = 128
# The hand kernel timed for the compute bound, per data type, and its size.
HAND_KERNEL = {np.int16: "hand_inhibitor_i16_i32", np.int8: "hand_inhibitor_i8"}
HAND_N = 1024
MLIR_TYPE = {np.int8: "i8", np.int16: "i16"}

BANDWIDTH_C = r"""
#include <stdint.h>
#include <stddef.h>
/* Sums n uint64 words in 64-byte vectors with 4 independent accumulators:
   a read stream. (A scalar-looking loop of 8 strided sums vectorized into
   shuffles on AMD Zen 5 and measured a quarter of the bandwidth.) */
typedef uint64_t v8u __attribute__((vector_size(64), aligned(8)));
uint64_t read_sum(const uint64_t *a, size_t n, int threads) {
  uint64_t total = 0;
#pragma omp parallel for num_threads(threads) reduction(+ : total) schedule(static)
  for (size_t blk = 0; blk < n / 4096; ++blk) {
    const v8u *p = (const v8u *)(a + blk * 4096);
    v8u s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
    for (size_t i = 0; i < 512; i += 4) {
      s0 += p[i];
      s1 += p[i + 1];
      s2 += p[i + 2];
      s3 += p[i + 3];
    }
    v8u s = (s0 + s1) + (s2 + s3);
    for (int j = 0; j < 8; ++j)
      total += s[j];
  }
  return total;
}
"""


def bandwidth_lib():
    os.makedirs(CACHE, exist_ok=True)
    so = os.path.join(CACHE, "read_bandwidth.so")
    src = os.path.join(CACHE, "read_bandwidth.c")
    with open(src, "w") as f:
        f.write(BANDWIDTH_C)
    subprocess.run(["/usr/lib/llvm-22/bin/clang", "-O3", "-march=native", "-fopenmp",
                    "-Wl,-rpath,/usr/lib/llvm-22/lib", "-shared", "-fPIC", src, "-o", so],
                   check=True)
    lib = ctypes.CDLL(so)
    lib.read_sum.restype = ctypes.c_uint64
    lib.read_sum.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    return lib


def kernel_text(n: int, m: int, kv_heads: int, ty, dynamic: bool = False,
                biased: bool = False, key_tiles: bool = False) -> str:
    """The attention call; with `dynamic`, N and M are `?` (as front ends
    emit decode) and H is allocated with N read from Q; with `biased`, a
    fourth argument holds the keys biased by 128 (`biased_keys`, K xor 0x80,
    as a KV cache kept for the i8 byte score would hold them); with
    `key_tiles`, a fourth argument holds K packed in tiles of KEY_TILE keys
    (`key_tiles`, as a KV cache kept for the score's keys in vector lanes
    would hold them)."""
    t = MLIR_TYPE[ty]
    ns, ms = ("?", "?") if dynamic else (n, m)
    q = f"tensor<{HEADS}x{ns}x{D}x{t}>"
    kv = f"tensor<{kv_heads}x{ms}x{D}x{t}>"
    h = f"tensor<{HEADS}x{ns}x{D}xi32>"
    init = (f"""%c1 = arith.constant 1 : index
  %n = tensor.dim %q, %c1 : {q}
  %init = tensor.empty(%n) : {h}""" if dynamic else f"%init = tensor.empty() : {h}")
    kb_arg, kb_use = (f", %kb: {kv}", f" biased_keys(%kb : {kv})") if biased else ("", "")
    if key_tiles:
        kt = f"tensor<{kv_heads}x{-(-m // KEY_TILE)}x{D}x{KEY_TILE}x{t}>"
        kb_arg, kb_use = f", %kt: {kt}", f" key_tiles(%kt : {kt})"
    return f"""func.func @k(%q: {q}, %k: {kv}, %v: {kv}{kb_arg}) -> {h} attributes {{llvm.emit_c_interface}} {{
  {init}
  %h = inhibitor.attention signed {{gamma = {GAMMA} : i32}}
         ins(%q, %k, %v : {q}, {kv}, {kv}){kb_use} outs(%init : {h}) -> {h}
  return %h : {h}
}}"""


class PreparedKeys:
    """A kernel whose fourth argument is K prepared (biased by 128, or packed
    in key tiles), made once as a KV cache kept that way would hold it;
    called as the others."""

    def __init__(self, kern, prepared):
        self.kern, self.prepared = kern, prepared

    def __call__(self, q, k, v):
        return self.kern(q, k, v, self.prepared)


def pack_key_tiles(k: np.ndarray) -> np.ndarray:
    """K [heads, M, D] as `key_tiles` holds it: [heads, ceil(M / T), D, T],
    zeros after the last key (linalg.pack's layout, docs/Tiling.md)."""
    heads, m, d = k.shape
    tiles = -(-m // KEY_TILE)
    padded = np.zeros((heads, tiles * KEY_TILE, d), k.dtype)
    padded[:, :m] = k
    return np.ascontiguousarray(padded.reshape(heads, tiles, KEY_TILE, d).transpose(0, 1, 3, 2))


class HandRate:
    """The hand kernel of one data type on one head of HAND_N queries and
    keys (in cache), one thread, checked against the reference once:
    `pair_ns()` times it and returns its time per query-key pair in
    nanoseconds."""

    def __init__(self, lib, ty, rng):
        kernel = HAND_KERNEL[ty]
        dt, acc = native.INT_KERNELS[kernel]
        lim = 100 if dt == np.int16 else 60
        q, k, v = [rng.integers(-lim, lim + 1, (HAND_N, D)).astype(dt) for _ in range(3)]
        out = np.zeros((HAND_N, D), acc)
        self.call = lib.bind(kernel, q, k, v, out, GAMMA)
        self.call()
        want = reference.attention(q, k, v, gamma=GAMMA, signed=True, acc_dtype=acc)
        assert np.array_equal(out, want), f"{kernel}: wrong"

    def pair_ns(self, min_seconds) -> float:
        return time_one(self.call, min_seconds) * 1e9 / HAND_N**2


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--keys", default="4096,16384,65536")
    p.add_argument("--queries", default="1,4,16")
    p.add_argument("--kv-heads", default="8,2")
    p.add_argument("--types", default="int16,int8")
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--biased-keys", action="store_true",
                   help="int8 rows: also the static kernel that reads its keys kept "
                        "biased (biased_keys, K xor 0x80, passed in), in the same rounds")
    p.add_argument("--key-tiles", action="store_true",
                   help="int16 rows: also the static kernel that reads its keys packed "
                        "(key_tiles, K^T in tiles of 128 keys, passed in), in the same rounds")
    p.add_argument("--full-range", action="store_true",
                   help="also the static kernel on data of the type's whole range "
                        "(|x| <= 32767 for int16, 127 for int8, as a quantized KV cache "
                        "holds), in the same rounds")
    parse_shapes = add_row_bench_args(p, "decode", shapes="static")
    args = p.parse_args()
    shapes = parse_shapes(args)

    def row_shapes(ty):
        return (shapes + (["biased"] if args.biased_keys and ty == np.int8 else [])
                + (["key-tiles"] if args.key_tiles and ty == np.int16 else [])
                + (["full-range"] if args.full_range else []))

    threads = max(1, args.threads)
    splits = 2 * threads
    load_before = os.getloadavg()

    variants = {"plain": "inhibitor-to-llvm",
                "split": f"inhibitor-to-llvm=key-splits={splits}",
                "split-threads": f"inhibitor-to-llvm=key-splits={splits} threads={threads}",
                "no-prefetch": f"inhibitor-to-llvm=key-splits={splits} threads={threads} "
                               "prefetch=false"}
    rng = np.random.default_rng(0)
    keys = [int(s) for s in args.keys.split(",")]
    configs = [(getattr(np, ts), int(kvs), int(ns), m)
               for ts in args.types.split(",") for kvs in args.kv_heads.split(",")
               for ns in args.queries.split(",") for m in keys]

    def inputs(ty, kv_heads, n, m, full_range=False):
        if full_range:
            lim = int(np.iinfo(ty).max)
        else:
            lim = 100 if ty == np.int16 else 60
        q = rng.integers(-lim, lim + 1, (HEADS, n, D)).astype(ty)
        k, v = [rng.integers(-lim, lim + 1, (kv_heads, m, D)).astype(ty) for _ in range(2)]
        return q, k, v

    def compiled(ty, kv_heads, n, m, shape, k):
        text = kernel_text(n, m, kv_heads, ty, dynamic=shape == "dynamic",
                           biased=shape == "biased", key_tiles=shape == "key-tiles")
        kerns = {name: Kernel(compile_kernel(text, "k", pipe), "k", 3, np.int32)
                 for name, pipe in variants.items()}
        prepared = {"biased": lambda: k ^ np.int8(-128), "key-tiles": lambda: pack_key_tiles(k)}
        if shape in prepared:
            extra = prepared[shape]()
            kerns = {name: PreparedKeys(kern, extra) for name, kern in kerns.items()}
        return kerns

    def check(kerns, q, k, v, what):
        want = reference.attention(q, k, v, gamma=GAMMA, signed=True, acc_dtype=np.int32)
        for name, kern in kerns.items():
            assert np.array_equal(kern(q, k, v), want), f"{name} {what}: wrong"

    if args.check_only:
        checked = 0
        for ty, kv_heads, n, m in configs:
            for shape in row_shapes(ty):
                q, k, v = inputs(ty, kv_heads, n, m, full_range=shape == "full-range")
                check(compiled(ty, kv_heads, n, m, shape, k), q, k, v,
                      f"{ty.__name__} n={n} m={m} kv={kv_heads} {shape}")
                checked += len(variants)
        print(f"{checked} passed, 0 failed")
        return 0

    lib = bandwidth_lib()
    words = (512 << 20) // 8
    buf = np.ones(words, dtype=np.uint64)
    bw = {}
    for t in sorted({1, threads}):
        ptr = buf.ctypes.data
        assert lib.read_sum(ptr, words, t) == words
        secs = statistics.median(time_one(lambda t=t: lib.read_sum(ptr, words, t), args.min_seconds)
                                 for _ in range(args.samples))
        bw[t] = words * 8 / secs / 1e9
        print(f"read bandwidth, {t} thread(s): {bw[t]:.1f} GB/s", flush=True)
    # The bandwidth is measured again in every round of every row, next to
    # the kernels (this VM's bandwidth moves by 1.5x within minutes): a
    # row's share of the bandwidth is against its own rounds' median.
    ptr = buf.ctypes.data

    def read_round() -> float:
        return time_one(lambda: lib.read_sum(ptr, words, threads), args.min_seconds)

    # The compute bound's hand kernels (none where this host has neither
    # AVX2 nor AVX-512: no bound then).
    isas = native.host_isas()
    hand_lib = native.Native(isas[0], CACHE) if isas else None
    rates = ({ty: HandRate(hand_lib, ty, rng) for ty in {c[0] for c in configs}}
             if hand_lib else {})

    rows = []
    for ty, kv_heads, n, m in configs:
        q, k, v = inputs(ty, kv_heads, n, m)
        # Each shape's data: the row's, or of the type's whole range.
        data = {shape: (inputs(ty, kv_heads, n, m, full_range=True)
                        if shape == "full-range" else (q, k, v))
                for shape in row_shapes(ty)}
        # The shapes' kernels of one row are timed in the same rounds (the
        # full-range row's are the static kernels).
        kerns = {(shape, name): kern for shape in row_shapes(ty)
                 for name, kern in compiled(ty, kv_heads, n, m,
                                            "static" if shape == "full-range" else shape,
                                            data[shape][1]).items()}
        if m == min(keys):
            for shape in row_shapes(ty):
                check({name: kern for (s, name), kern in kerns.items() if s == shape},
                      *data[shape], f"{ty.__name__} n={n} m={m} kv={kv_heads} {shape}")
        samples = {key: [] for key in kerns}
        read_secs, hand_ns = [], []
        for key, kern in kerns.items():
            time_one(lambda kern=kern, a=data[key[0]]: kern(*a), args.min_seconds / 4)
        for _ in range(args.samples):
            read_secs.append(read_round())
            if ty in rates:
                hand_ns.append(rates[ty].pair_ns(args.min_seconds))
            for key, kern in kerns.items():
                samples[key].append(
                    time_one(lambda kern=kern, a=data[key[0]]: kern(*a), args.min_seconds))
        kv_bytes = 2 * k.nbytes
        read_gbs = words * 8 / statistics.median(read_secs) / 1e9
        for shape in row_shapes(ty):
            row = {"type": ty.__name__, "shapes": shape, "heads": HEADS, "kv_heads": kv_heads,
                   "queries": n, "keys": m, "d": D, "kv_mib": kv_bytes / 2**20,
                   "splits": splits, "threads": threads}
            for name in variants:
                t = statistics.median(samples[(shape, name)])
                row[f"{name}_us"] = t * 1e6
                row[f"{name}_gbs"] = kv_bytes / t / 1e9
            row["split_threads_over_plain"] = row["plain_us"] / row["split-threads_us"]
            row["prefetch_speedup"] = row["no-prefetch_us"] / row["split-threads_us"]
            row["read_bandwidth_gbs"] = read_gbs
            row["split_threads_of_bandwidth"] = row["split-threads_gbs"] / read_gbs
            pairs = HEADS * n * m
            row["split_threads_pair_ns"] = row["split-threads_us"] * 1e3 * threads / pairs
            # (None for full-range int16 data, which the hand kernel cannot
            # sum exactly: decode-r9's int16 full-range rows still have
            # these columns, against small data's rate.)
            if hand_ns and not (shape == "full-range" and ty == np.int16):
                # Reading K/V at the rounds' bandwidth against computing
                # every pair at the hand kernel's rate on `threads` threads.
                row["hand_pair_ns"] = statistics.median(hand_ns)
                read_s = kv_bytes / (read_gbs * 1e9)
                compute_s = pairs * row["hand_pair_ns"] * 1e-9 / threads
                row["bound_of_bandwidth"] = min(1.0, read_s / compute_s)
                row["of_bound"] = row["split_threads_of_bandwidth"] / row["bound_of_bandwidth"]
            if shape in ("dynamic", "biased", "key-tiles", "full-range") and "static" in shapes:
                for name in ("split-threads", "plain"):
                    row[f"{shape}_over_static_{name.replace('-', '_')}"] = (
                        row[f"{name}_us"] /
                        (statistics.median(samples[("static", name)]) * 1e6))
            rows.append(row)
            bound = (f", bound {100 * row['bound_of_bandwidth']:.0f}%"
                     if "bound_of_bandwidth" in row else "")
            print(f"{ty.__name__:5} {shape:9} kv={kv_heads} n={n:2} m={m:6} "
                  f"({row['kv_mib']:6.1f} MiB): "
                  f"plain {row['plain_us']:9.1f} us {row['plain_gbs']:5.1f} GB/s | "
                  f"split {row['split_us']:9.1f} us | "
                  f"split+{threads}thr {row['split-threads_us']:9.1f} us "
                  f"{row['split-threads_gbs']:5.1f} GB/s "
                  f"({100 * row['split_threads_of_bandwidth']:.0f}% of "
                  f"{row['read_bandwidth_gbs']:.1f} GB/s{bound}, "
                  f"{row['split_threads_over_plain']:.2f}x plain, "
                  f"{row['prefetch_speedup']:.2f}x no prefetch)", flush=True)
    # Every row has the same columns (csv.DictWriter takes the first's).
    columns = dict.fromkeys(c for row in rows for c in row)
    rows = [{c: row.get(c, "") for c in columns} for row in rows]
    return write_row_results(
        args, load_before, rows,
        "medians of interleaved rounds; K/V bytes read per call over time; "
        f"each row's share of the {threads}-thread read bandwidth is against "
        "the bandwidth measured in the same rounds",
        read_bandwidth_gbs={str(t): b for t, b in bw.items()})


if __name__ == "__main__":
    sys.exit(main())
