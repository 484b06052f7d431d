#!/usr/bin/env python3
"""CPU benchmark suite: inhibitor attention against dot-product attention.

One command (`benchmarks/run.py`, after `scripts/build`) measures, side by
side in one run and interleaved round-robin per sample:

- ours: inhibitor attention compiled by `inhibitor-opt --inhibitor-to-llvm`
  (fused and unfused, linalg and affine strategies) for i8/i16/i32/f32 data
  (i8 with and without the psadbw score, `sad=on`/`sad=off`),
  and the fused i16 kernel on all cores (`threads=N`, OpenMP) for n >= 256;
- dot-product attention f32 (linalg.matmul + linalg.softmax + linalg.matmul)
  through the *same* pipeline (`approximate-math` for its exp), and its
  integer-GEMM variant (i8 Q K^T into i32, f32 softmax and P V);
- plain C++ -O3 -march=native of both mechanisms (benchmarks/native);
- the vector throughput this CPU reaches on the score's instruction mix, so
  the fused i16 kernel is also reported as a fraction of that peak;
- n = 16384, i16: the fused kernel runs with at most 64 MiB of extra address
  space (RLIMIT_AS), where the unfused one, whose Z alone takes 512 MiB,
  fails.

Every variant's output is checked against the NumPy reference before it is
timed. Results go to benchmarks/results/<date>-<cpu>.{csv,json,png}; all
times are medians in microseconds with the 10th and 90th percentiles.
- PyTorch (Debian's python3-torch, installed by scripts/setup with
  libopenblas0-serial, which Debian's BLAS alternative then picks: ~20x the
  reference BLAS's GEMM rate): dot-product attention and the paper's cdist
  inhibitor (appendix eq. 7-8), f32, on 1 thread and on all cores
  (torch.set_num_threads); skipped where `import torch` fails. The BLAS in
  use is recorded in the results.

d = 64 (single head and 8 heads) and d = 16 (n <= 1024).
"""

from __future__ import annotations

import argparse
import csv
import ctypes
import datetime
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))
import variants as V  # noqa: E402
from kernels import Kernel, as_memref, compile_kernel  # noqa: E402
from inhibitor import reference  # noqa: E402

GAMMA = 8


def cpu_name() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpu_flags() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("flags"):
                f = line.split()
                return "avx512f" if "avx512f" in f else ("avx2" if "avx2" in f else "sse")
    except OSError:
        pass
    return "unknown"


def host_cpu() -> str:
    out = subprocess.run(["/usr/lib/llvm-22/bin/llc", "--version"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if "Host CPU" in line:
            return line.split(":", 1)[1].strip()
    return "host"


def torch_version() -> str:
    try:
        import torch
        blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
        return f"{torch.__version__} (threads: 1 and {os.cpu_count()}; BLAS: {blas})"
    except ImportError:
        return "not installed"


def build_native() -> ctypes.CDLL:
    so = os.path.join(os.environ.get("INHIBITOR_BENCH_CACHE", "/tmp/inhibitor-bench"), "baselines.so")
    os.makedirs(os.path.dirname(so), exist_ok=True)
    src = os.path.join(HERE, "native", "baselines.cpp")
    if not os.path.exists(so) or os.path.getmtime(so) < os.path.getmtime(src):
        subprocess.run(["/usr/lib/llvm-22/bin/clang++", "-O3", "-march=native", "-shared",
                        "-fPIC", src, "-o", so], check=True)
    lib = ctypes.CDLL(so)
    lib.peak_i16_score_lane_ops_per_ns.restype = ctypes.c_double
    lib.peak_i16_score_lane_ops_per_ns.argtypes = [ctypes.c_long]
    return lib


class Variant:
    """A callable on fixed inputs, checked once, then timed."""

    def __init__(self, name, family, call, check, lane_ops=None, group=0):
        self.name, self.family, self.call, self.check = name, family, call, check
        self.lane_ops = lane_ops
        # Variants of one group are sampled round-robin; groups one after
        # the other (for what cannot be interleaved cheaply).
        self.group = group
        self.samples = []


# --only: names (substrings) of the variants to build and measure; empty: all.
ONLY = []


def selected(name):
    return not ONLY or any(p in name for p in ONLY)


def inhibitor_variant(name, heads, n, d, dtype, acc, pipeline, rng):
    if not selected(name):
        return None
    src = V.inhibitor_attention(heads, n, d, dtype, acc, gamma=GAMMA, signed=True)
    k = Kernel(compile_kernel(src, "k", pipeline=pipeline), "k", 3 if heads else 2, acc)
    shape = ((heads,) if heads else ()) + (n, d)
    lo, hi = (-60, 60) if dtype != "int8" else (-20, 20)
    q, kk, v = [rng.integers(lo, hi + 1, shape).astype(dtype) for _ in range(3)]
    refs = [as_memref(a) for a in (q, kk, v)]

    def check():
        got = k(q, kk, v)
        want = reference.attention(q, kk, v, gamma=GAMMA, signed=True, acc_dtype=acc)
        ok = np.array_equal(got, want) if acc.startswith("int") else np.allclose(
            got, want, rtol=1e-4, atol=1e-3 * float(np.max(np.abs(want)) + 1))
        if not ok:
            raise RuntimeError(f"{name}: result differs from the reference")

    h = heads or 1
    # Score: sub, abs, add per (i, j, c); signed inhibition (clamp form):
    # min, neg, max, sub, add per (i, j, e).
    return Variant(name, "ours", lambda: k.timed_call(refs), check, h * n * n * (3 * d + 5 * d))


def dot_variant(name, heads, n, d, rng, dtype="float32"):
    if not selected(name):
        return None
    src = V.dot_attention(heads, n, d, dtype)
    k = Kernel(compile_kernel(src, "k", pipeline="inhibitor-to-llvm=approximate-math"), "k",
               3 if heads else 2, "float32")
    shape = ((heads,) if heads else ()) + (n, d)
    if dtype == "float32":
        q, kk = [rng.standard_normal(shape).astype(np.float32) for _ in range(2)]
    else:  # small integers: scores of the size a quantized model sees
        q, kk = [rng.integers(-3, 4, shape).astype(dtype) for _ in range(2)]
    v = rng.standard_normal(shape).astype(np.float32)
    refs = [as_memref(a) for a in (q, kk, v)]

    def check():
        got = k(q, kk, v)
        s = q.astype(np.float64) @ np.swapaxes(kk, -1, -2).astype(np.float64) / np.sqrt(d)
        p = np.exp(s - s.max(-1, keepdims=True))
        want = (p / p.sum(-1, keepdims=True)) @ v.astype(np.float64)
        if not np.allclose(got, want, rtol=1e-3, atol=1e-4):
            raise RuntimeError(f"{name}: result differs from the reference")

    return Variant(name, "same pipeline", lambda: k.timed_call(refs), check)


def torch_variants(heads, n, d, rng):
    """PyTorch 1 thread and all threads: dot-product attention
    (softmax(Q K^T / sqrt(d)) V; torch 1.13 has no scaled_dot_product_attention)
    and the paper's cdist inhibitor (appendix eq. 7-8: inhibitor.nn's
    mechanism, keys in chunks of 128 so the [n, chunk, d] intermediate stays
    bounded), f32. Empty when PyTorch is missing."""
    try:
        import torch
        from inhibitor.nn import inhibitor_attention
    except ImportError:
        return []
    shape = ((heads,) if heads else ()) + (n, d)
    qf, kf, vf = [rng.standard_normal(shape).astype(np.float32) for _ in range(3)]
    q, k, v = (torch.from_numpy(a) for a in (qf, kf, vf))
    scale = 1.0 / np.sqrt(d)

    def dot():
        with torch.inference_mode():
            return torch.softmax((q @ k.transpose(-1, -2)) * scale, dim=-1) @ v

    def inh():
        with torch.inference_mode():
            return inhibitor_attention(q, k, v, gamma=GAMMA, signed=True, key_chunk=128)

    def check_dot():
        s = qf.astype(np.float64) @ np.swapaxes(kf, -1, -2).astype(np.float64) * scale
        p = np.exp(s - s.max(-1, keepdims=True))
        want = (p / p.sum(-1, keepdims=True)) @ vf.astype(np.float64)
        if not np.allclose(dot().numpy(), want, rtol=1e-3, atol=1e-4):
            raise RuntimeError("PyTorch dot-product differs from the reference")

    def check_inh():
        want = reference.attention(qf, kf, vf, gamma=GAMMA, signed=True)
        if not np.allclose(inh().numpy(), want, rtol=1e-4, atol=1e-3 * float(np.max(np.abs(want)) + 1)):
            raise RuntimeError("PyTorch cdist inhibitor differs from the reference")

    def with_threads(fn, t):
        def call():
            if torch.get_num_threads() != t:  # changing it rebuilds the pool
                torch.set_num_threads(t)
            fn()
        return call

    out = []
    cores = os.cpu_count() or 1
    for t in sorted({1, cores}):
        label = "1 thread" if t == 1 else f"{t} threads"
        # Switching PyTorch's thread count costs milliseconds (its OpenMP
        # pool is rebuilt), so the all-cores rows run in a second round.
        group = 0 if t == 1 else 1
        out.append(Variant(f"PyTorch dot-product f32, {label}", "PyTorch", with_threads(dot, t),
                           with_threads(check_dot, t), group=group))
        if n <= 1024:  # the broadcast inhibition costs ~n*n*d element ops in unfused passes
            out.append(Variant(f"PyTorch cdist inhibitor f32, {label}", "PyTorch", with_threads(inh, t),
                               with_threads(check_inh, t), group=group))
    return out


def plain_variants(lib, n, d, rng):
    q, kk, v = [rng.integers(-60, 61, (n, d)).astype(np.int16) for _ in range(3)]
    h = np.zeros((n, d), np.int32)
    P = lambda a: a.ctypes.data_as(ctypes.c_void_p)  # noqa: E731

    def call_inh():
        lib.plain_inhibitor_i16(P(q), P(kk), P(v), P(h), n, d, GAMMA)

    def check_inh():
        call_inh()
        want = reference.attention(q, kk, v, gamma=GAMMA, signed=True, acc_dtype=np.int32)
        if not np.array_equal(h, want):
            raise RuntimeError("plain C++ inhibitor differs from the reference")

    qf, kf, vf = [rng.standard_normal((n, d)).astype(np.float32) for _ in range(3)]
    hf = np.zeros((n, d), np.float32)
    scratch = np.zeros(n, np.float32)

    def call_dot():
        lib.plain_dot_f32(P(qf), P(kf), P(vf), P(hf), P(scratch), n, d)

    def check_dot():
        call_dot()
        s = qf.astype(np.float64) @ kf.T.astype(np.float64) / np.sqrt(d)
        p = np.exp(s - s.max(-1, keepdims=True))
        want = (p / p.sum(-1, keepdims=True)) @ vf.astype(np.float64)
        if not np.allclose(hf, want, rtol=1e-3, atol=1e-4):
            raise RuntimeError("plain C++ dot-product differs from the reference")

    return [Variant("plain C++ inhibitor i16", "plain C++", call_inh, check_inh),
            Variant("plain C++ dot f32", "plain C++", call_dot, check_dot)]


def add_row_bench_args(p, name: str, shapes: str):
    """The options shared by the benchmarks that time a table of kernel rows
    against each other (decode.py, peel.py): --shapes, --samples,
    --min-seconds, --name, --check-only, --out. Returns a function that
    takes the parsed arguments and returns the list of --shapes (or exits
    with the parser's error)."""
    p.add_argument("--shapes", default=shapes,
                   help="static, dynamic or both (static,dynamic): a row per shape kind")
    p.add_argument("--samples", type=int, default=5)
    p.add_argument("--min-seconds", type=float, default=0.2)
    p.add_argument("--name", default=name, help="results file name prefix")
    p.add_argument("--check-only", action="store_true",
                   help="compile and check every kernel against the reference, time nothing")
    p.add_argument("--out", default=os.path.join(HERE, "results"))

    def parse_shapes(args):
        kinds = args.shapes.split(",")
        if not set(kinds) <= {"static", "dynamic"}:
            p.error(f"--shapes: static and/or dynamic, not {args.shapes!r}")
        return kinds

    return parse_shapes


def write_results(out_dir: str, name: str, meta: dict, rows: list):
    """Writes <out_dir>/<name>-<date>-<cpu>.{json,csv}, meta first gaining the
    CPU's model name, LLVM's host CPU name and the date; returns the path
    without its extension and that meta."""
    stamp = datetime.date.today().isoformat()
    cpu = host_cpu()
    meta = {"cpu": cpu_name(), "llvm_host_cpu": cpu, "date": stamp, **meta}
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.join(out_dir, f"{name}-{stamp}-{cpu}")
    with open(base + ".json", "w") as f:
        json.dump({"meta": meta, "rows": rows}, f, indent=1)
    with open(base + ".csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return base, meta


def write_row_results(args, load_before, rows: list, note: str, **extra) -> int:
    """The end of a row benchmark (add_row_bench_args): writes its results
    with the load average before and after, --samples, --min-seconds, the
    `extra` entries and `note` in the meta, prints where, returns 0."""
    meta = {"load_average_before": load_before, "load_average_after": os.getloadavg(),
            **extra, "samples": args.samples, "min_seconds": args.min_seconds,
            "note": note}
    base, meta = write_results(args.out, args.name, meta, rows)
    print(f"wrote {base}.csv/.json ({meta['cpu']}, load {load_before} -> "
          f"{meta['load_average_after']})")
    return 0


def time_one(call, min_seconds):
    t0 = time.perf_counter()
    reps = 0
    while True:
        call()
        reps += 1
        el = time.perf_counter() - t0
        if el >= min_seconds:
            return el / reps


def run_size(variants, samples, min_seconds):
    for group in sorted({v.group for v in variants}):
        vs = [v for v in variants if v.group == group]
        for v in vs:
            v.check()
            time_one(v.call, min_seconds / 4)  # warm-up
        for _ in range(samples):
            for v in vs:
                v.samples.append(time_one(v.call, min_seconds))


def memory_bound(n: int, d: int, fused: bool, limit_mib: int = 64) -> dict:
    """Runs the i16 kernel once at size n in a fresh process whose address
    space may grow by at most `limit_mib` MiB beyond what it holds before
    the call (RLIMIT_AS): the fused kernel must fit, the unfused one, whose
    Z alone is n * n * 2 bytes, cannot. The first rows are checked against
    the reference."""
    pipeline = "inhibitor-to-llvm" + ("" if fused else "=fuse-attention=false")
    code = f"""
import resource, sys, time, numpy as np
sys.path.insert(0, {HERE!r}); sys.path.insert(0, {os.path.join(os.path.dirname(HERE), 'python')!r})
import variants as V
from kernels import Kernel, compile_kernel
from inhibitor import reference
k = Kernel(compile_kernel(V.inhibitor_attention(0, {n}, {d}, 'int16', 'int16', gamma={GAMMA}), 'k',
                          pipeline={pipeline!r}), 'k', 2, 'int16')
rng = np.random.default_rng(0)
q, kk, v = [rng.integers(-60, 61, ({n}, {d})).astype(np.int16) for _ in range(3)]
want = reference.attention(q[:4], kk, v, gamma={GAMMA}, signed=True, acc_dtype=np.int16)
vm = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmSize')][0] * 1024
limit = vm + {limit_mib} * 2**20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
t = time.perf_counter(); h = k(q, kk, v); t = time.perf_counter() - t
assert np.array_equal(h[:4], want), 'first rows differ from the reference'
print(t)
"""
    # Default malloc settings here: MALLOC_TOP_PAD_ alone would exceed the limit.
    env = {k: v for k, v in os.environ.items() if k not in MALLOC_ENV}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    ok = out.returncode == 0
    return {"n": n, "d": d, "fused": fused, "extra_address_space_limit_mib": limit_mib,
            "ran_within_limit": ok, "seconds": float(out.stdout.split()[-1]) if ok else None,
            "materialized_z_mib": n * n * 2 / 2**20,
            "exit": out.returncode, "stderr_tail": "" if ok else out.stderr[-300:]}


def variants_for(heads, n, d, lib, rng):
    """The variants measured at one size (heads = 0: no batch dim)."""
    big = n >= 4096
    vs = [
        inhibitor_variant("inhibitor i16 (i16 acc) fused", heads, n, d, "int16", "int16", "inhibitor-to-llvm", rng),
        inhibitor_variant("inhibitor i16 (i32 acc) fused", heads, n, d, "int16", "int32", "inhibitor-to-llvm", rng),
        # i8: the score as a byte sum of absolute differences (psadbw), and
        # the same kernel without it (the i16-style score on widened bytes);
        # the default sad=auto picks the first at d = 64, the second at d = 16.
        inhibitor_variant("inhibitor i8 (i16 acc) fused, sad=on", heads, n, d, "int8", "int16",
                          "inhibitor-to-llvm=sad=on", rng),
        inhibitor_variant("inhibitor i8 (i16 acc) fused, sad=off", heads, n, d, "int8", "int16",
                          "inhibitor-to-llvm=sad=off", rng),
        # An i32 accumulator for i8 data, as written and with
        # --inhibitor-narrow-accumulators (the pipeline option), which proves
        # i16 exact while M <= 256 (signed; docs/IntegerWidths.md).
        inhibitor_variant("inhibitor i8 (i32 acc) fused", heads, n, d, "int8", "int32",
                          "inhibitor-to-llvm", rng),
        inhibitor_variant("inhibitor i8 (i32 acc) fused, narrow-accumulators", heads, n, d, "int8",
                          "int32", "inhibitor-to-llvm=narrow-accumulators=true", rng),
        inhibitor_variant("inhibitor f32 fused", heads, n, d, "float32", "float32", "inhibitor-to-llvm", rng),
        dot_variant("dot-product f32 (same pipeline)", heads, n, d, rng),
        dot_variant("dot-product i8 GEMM + f32 softmax (same pipeline)", heads, n, d, rng, "int8"),
    ]
    if n >= 256:
        threads = os.cpu_count() or 1
        if threads > 1:
            vs.append(inhibitor_variant(f"inhibitor i16 (i16 acc) fused, {threads} threads", heads, n, d,
                                        "int16", "int16", f"inhibitor-to-llvm=threads={threads}", rng))
    if not big:
        vs += [
            inhibitor_variant("inhibitor i32 fused", heads, n, d, "int32", "int32", "inhibitor-to-llvm", rng),
            inhibitor_variant("inhibitor i16 (i16 acc) unfused", heads, n, d, "int16", "int16",
                              "inhibitor-to-llvm=fuse-attention=false", rng),
            inhibitor_variant("inhibitor f32 unfused", heads, n, d, "float32", "float32",
                              "inhibitor-to-llvm=fuse-attention=false", rng),
            inhibitor_variant("inhibitor i16 (i16 acc) affine", heads, n, d, "int16", "int16",
                              "inhibitor-to-llvm=strategy=affine", rng),
            inhibitor_variant("inhibitor f32 affine", heads, n, d, "float32", "float32",
                              "inhibitor-to-llvm=strategy=affine", rng),
        ]
    if not heads and n <= 1024:
        vs += plain_variants(lib, n, d, rng)
    vs += torch_variants(heads, n, d, rng)
    return [v for v in vs if v is not None and selected(v.name)]


# glibc serves large allocations with fresh mmap()s, whose pages fault in
# (zeroed) on first touch: in these VMs that made PyTorch's temporaries cost
# more than its arithmetic (the cdist inhibitor 5x, dot-product 1.8x at
# n = 64). Every variant runs with these settings (the process re-executes
# itself with them), so freed memory is reused instead.
MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": str(1 << 30), "MALLOC_TRIM_THRESHOLD_": str(1 << 32),
              "MALLOC_TOP_PAD_": str(1 << 28)}


def main() -> int:
    if any(os.environ.get(k) != v for k, v in MALLOC_ENV.items()):
        os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, **MALLOC_ENV})
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="32,64,128,256,1024,4096")
    ap.add_argument("--dims", default="64,16",
                    help="head dims; dims other than the first run n <= 1024 only")
    ap.add_argument("--samples", type=int, default=7)
    ap.add_argument("--min-seconds", type=float, default=0.02)
    ap.add_argument("--memory-n", type=int, default=16384)
    ap.add_argument("--quick", action="store_true", help="two small sizes, few samples")
    ap.add_argument("--check-only", action="store_true",
                    help="compile every variant and check it against the reference, time nothing "
                         "(what the test suite runs)")
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    ap.add_argument("--only", default="",
                    help="comma-separated substrings: measure only the variants whose names "
                         "contain one (the results' file names get the prefix --tag)")
    ap.add_argument("--tag", default="cpu", help="prefix of the results' file names")
    args = ap.parse_args()
    if args.quick:
        args.sizes, args.samples, args.memory_n = "64,256", 3, 0
    if args.check_only:
        args.sizes, args.memory_n = "32,256", 0
    sizes = [int(s) for s in args.sizes.split(",")]
    ONLY[:] = [p for p in args.only.split(",") if p]
    rng = np.random.default_rng(2023)
    lib = build_native()
    dims = [int(x) for x in args.dims.split(",")]
    if args.check_only:
        count = 0
        for heads in (0, 8):
            for n in sizes:
                for v in variants_for(heads, n, dims[0], lib, rng):
                    v.check()
                    count += 1
        print(f"{count} passed, 0 failed")
        return 0
    peak = max(lib.peak_i16_score_lane_ops_per_ns(20_000_000) for _ in range(3))
    print(f"vector peak (vpsubw+vpabsw+vpaddw, ymm): {peak:.1f} lane-ops/ns", flush=True)

    rows = []
    for d, heads, n in [(d, h, n) for d in dims for h in (0, 8) for n in sizes]:
            if (heads or d != dims[0]) and n > 1024:
                continue
            big = n >= 4096
            vs = variants_for(heads, n, d, lib, rng)
            samples = 3 if big else args.samples
            run_size(vs, samples, args.min_seconds)
            for v in vs:
                t = np.array(v.samples) * 1e6
                row = {"variant": v.name, "family": v.family, "heads": heads or 1, "n": n, "d": d,
                       "median_us": float(np.median(t)), "p10_us": float(np.percentile(t, 10)),
                       "p90_us": float(np.percentile(t, 90)), "samples": len(t)}
                if v.lane_ops:
                    row["fraction_of_peak"] = v.lane_ops / (row["median_us"] * 1e3) / peak
                rows.append(row)
                print(f"d={d:2d} heads={heads or 1:2d} n={n:5d} {v.name:36s} {row['median_us']:12.1f} us"
                      + (f"  {100 * row['fraction_of_peak']:5.1f}% of peak" if "fraction_of_peak" in row else ""),
                      flush=True)

    memory = [memory_bound(args.memory_n, dims[0], fused) for fused in (True, False)] if args.memory_n else []
    for m in memory:
        print(f"n={m['n']} i16 {'fused' if m['fused'] else 'unfused'} with at most "
              f"{m['extra_address_space_limit_mib']} MiB extra address space: "
              + (f"ran in {m['seconds']:.2f} s, first rows match the reference" if m["ran_within_limit"]
                 else f"failed (exit {m['exit']}); a materialized Z needs {m['materialized_z_mib']:.0f} MiB"),
              flush=True)

    meta = {"date": datetime.date.today().isoformat(), "cpu": cpu_name(), "llvm_host_cpu": host_cpu(),
            "vector_isa": cpu_flags(), "cores_used": "1 (the 'N threads' rows: N = os.cpu_count())",
            "peak_i16_score_lane_ops_per_ns": peak, "torch": torch_version(),
            "python": platform.python_version(), "numpy": np.__version__, "malloc_env": MALLOC_ENV}
    os.makedirs(args.out, exist_ok=True)
    if args.only:
        meta["only"] = args.only
    stem = os.path.join(args.out, f"{args.tag}-{meta['date']}-{meta['llvm_host_cpu']}")
    with open(stem + ".json", "w") as f:
        json.dump({"meta": meta, "rows": rows, "memory": memory}, f, indent=1)
    keys = ["variant", "family", "heads", "n", "d", "median_us", "p10_us", "p90_us", "samples", "fraction_of_peak"]
    with open(stem + ".csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys, extrasaction="ignore")  # quotes names with commas
        w.writeheader()
        w.writerows(rows)
    plot(rows, meta, stem + ".png")
    print(f"wrote {stem}.csv, .json, .png")
    return 0


def plot(rows, meta, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing (apt-get install python3-matplotlib): no plot")
        return
    panels = sorted({(r["d"], r["heads"]) for r in rows}, key=lambda p: (-p[0], p[1]))
    cols = 2
    nrows = (len(panels) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(15, 6.5 * nrows), squeeze=False)
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    for ax, (d, heads) in zip(axes.flat, panels):
        sel = [r for r in rows if r["heads"] == heads and r["d"] == d]
        names = sorted({r["variant"] for r in sel})
        colors = plt.cm.tab20.colors
        for ci, name in enumerate(names):
            pts = sorted((r["n"], r["median_us"]) for r in sel if r["variant"] == name)
            style = "--" if "dot" in name else (":" if ("plain" in name or "PyTorch" in name) else "-")
            ax.plot([p[0] for p in pts], [p[1] for p in pts], style, marker="o", label=name,
                    color=colors[ci % len(colors)])
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel(f"n (queries = keys), d = {d}")
        ax.set_ylabel("median time per call (us)")
        ax.set_title(f"d = {d}, {heads} head{'s' if heads > 1 else ''}, one core unless a name says threads")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(f"Inhibitor vs dot-product attention — {meta['cpu']} ({meta['llvm_host_cpu']}), {meta['date']}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    sys.exit(main())
