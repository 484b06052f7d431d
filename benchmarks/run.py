#!/usr/bin/env python3
"""CPU benchmark suite: inhibitor attention against dot-product attention.

One command (`benchmarks/run.py`, after `scripts/build`) measures, side by
side in one run and interleaved round-robin per sample:

- ours: inhibitor attention compiled by `inhibitor-opt --inhibitor-to-llvm`
  (fused and unfused, linalg and affine strategies) for i8/i16/i32/f32 data;
- dot-product attention f32 (linalg.matmul + linalg.softmax + linalg.matmul)
  through the *same* pipeline (`approximate-math` for its exp);
- plain C++ -O3 -march=native of both mechanisms (benchmarks/native);
- the vector throughput this CPU reaches on the score's instruction mix, so
  the fused i16 kernel is also reported as a fraction of that peak;
- the extra memory of the fused i16 kernel at n = 16384 (peak RSS).

Every variant's output is checked against the NumPy reference before it is
timed. Results go to benchmarks/results/<date>-<cpu>.{csv,json,png}; all
times are medians in microseconds with the 10th and 90th percentiles.
PyTorch is not installed by the project (Debian's python3-torch pulls in
about 175 packages); its rows are measured only where `import torch` works.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime
import json
import os
import platform
import resource
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

    def __init__(self, name, family, call, check, lane_ops=None):
        self.name, self.family, self.call, self.check = name, family, call, check
        self.lane_ops = lane_ops
        self.samples = []


def inhibitor_variant(name, heads, n, d, dtype, acc, pipeline, rng):
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


def dot_variant(name, heads, n, d, rng):
    src = V.dot_attention(heads, n, d)
    k = Kernel(compile_kernel(src, "k", pipeline="inhibitor-to-llvm=approximate-math"), "k",
               3 if heads else 2, "float32")
    shape = ((heads,) if heads else ()) + (n, d)
    q, kk, v = [rng.standard_normal(shape).astype(np.float32) for _ in range(3)]
    refs = [as_memref(a) for a in (q, kk, v)]

    def check():
        got = k(q, kk, v)
        s = q.astype(np.float64) @ np.swapaxes(kk, -1, -2).astype(np.float64) / np.sqrt(d)
        p = np.exp(s - s.max(-1, keepdims=True))
        want = (p / p.sum(-1, keepdims=True)) @ v.astype(np.float64)
        if not np.allclose(got, want, rtol=1e-3, atol=1e-4):
            raise RuntimeError(f"{name}: result differs from the reference")

    return Variant(name, "same pipeline", lambda: k.timed_call(refs), check)


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
    for v in variants:
        v.check()
        time_one(v.call, min_seconds / 4)  # warm-up
    for _ in range(samples):
        for v in variants:
            v.samples.append(time_one(v.call, min_seconds))


def peak_rss_of_fused_i16(n: int, d: int) -> dict:
    """Runs the fused i16 kernel once at size n in a fresh process and reports
    its peak RSS beyond inputs + output (what Z or a tile would add)."""
    code = f"""
import resource, sys, numpy as np
sys.path.insert(0, {HERE!r}); sys.path.insert(0, {os.path.join(os.path.dirname(HERE), 'python')!r})
import variants as V
from kernels import Kernel, as_memref, compile_kernel
k = Kernel(compile_kernel(V.inhibitor_attention(0, {n}, {d}, 'int16', 'int16', gamma={GAMMA}), 'k'), 'k', 2, 'int16')
rng = np.random.default_rng(0)
q, kk, v = [rng.integers(-60, 61, ({n}, {d})).astype(np.int16) for _ in range(3)]
refs = [as_memref(a) for a in (q, kk, v)]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
import time; t = time.perf_counter(); k.timed_call(refs); t = time.perf_counter() - t
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(before, after, t)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after, seconds = out.stdout.split()
    extra = (int(after) - int(before)) * 1024
    return {"n": n, "d": d, "extra_bytes_peak_rss": extra,
            "output_bytes": n * d * 2, "materialized_z_bytes": n * n * 2,
            "seconds": float(seconds)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="32,64,128,256,1024,4096")
    ap.add_argument("--d", type=int, default=64)
    ap.add_argument("--samples", type=int, default=7)
    ap.add_argument("--min-seconds", type=float, default=0.02)
    ap.add_argument("--memory-n", type=int, default=16384)
    ap.add_argument("--quick", action="store_true", help="two small sizes, few samples")
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    args = ap.parse_args()
    if args.quick:
        args.sizes, args.samples, args.memory_n = "64,256", 3, 0
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = np.random.default_rng(2023)
    lib = build_native()
    peak = max(lib.peak_i16_score_lane_ops_per_ns(20_000_000) for _ in range(3))
    print(f"vector peak (vpsubw+vpabsw+vpaddw, ymm): {peak:.1f} lane-ops/ns", flush=True)

    rows = []
    for heads in (0, 8):
        for n in sizes:
            if heads and n > 1024:
                continue
            big = n >= 4096
            d = args.d
            vs = [
                inhibitor_variant("inhibitor i16 (i16 acc) fused", heads, n, d, "int16", "int16", "inhibitor-to-llvm", rng),
                inhibitor_variant("inhibitor i16 (i32 acc) fused", heads, n, d, "int16", "int32", "inhibitor-to-llvm", rng),
                inhibitor_variant("inhibitor i8 (i16 acc) fused", heads, n, d, "int8", "int16", "inhibitor-to-llvm", rng),
                inhibitor_variant("inhibitor f32 fused", heads, n, d, "float32", "float32", "inhibitor-to-llvm", rng),
                dot_variant("dot-product f32 (same pipeline)", heads, n, d, rng),
            ]
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
                print(f"heads={heads or 1:2d} n={n:5d} {v.name:36s} {row['median_us']:12.1f} us"
                      + (f"  {100 * row['fraction_of_peak']:5.1f}% of peak" if "fraction_of_peak" in row else ""),
                      flush=True)

    memory = peak_rss_of_fused_i16(args.memory_n, args.d) if args.memory_n else None
    if memory:
        print(f"n={memory['n']} fused i16: extra peak RSS {memory['extra_bytes_peak_rss'] / 2**20:.1f} MiB "
              f"(a materialized Z would be {memory['materialized_z_bytes'] / 2**20:.0f} MiB), "
              f"{memory['seconds']:.2f} s", flush=True)

    meta = {"date": datetime.date.today().isoformat(), "cpu": cpu_name(), "llvm_host_cpu": host_cpu(),
            "vector_isa": cpu_flags(), "cores_used": 1,
            "peak_i16_score_lane_ops_per_ns": peak, "torch": "not installed",
            "python": platform.python_version(), "numpy": np.__version__}
    os.makedirs(args.out, exist_ok=True)
    stem = os.path.join(args.out, f"cpu-{meta['date']}-{meta['llvm_host_cpu']}")
    with open(stem + ".json", "w") as f:
        json.dump({"meta": meta, "rows": rows, "memory": memory}, f, indent=1)
    keys = ["variant", "family", "heads", "n", "d", "median_us", "p10_us", "p90_us", "samples", "fraction_of_peak"]
    with open(stem + ".csv", "w") as f:
        f.write(",".join(keys) + "\n")
        for r in rows:
            f.write(",".join(str(r.get(k, "")) for k in keys) + "\n")
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
    fig, axes = plt.subplots(1, 2, figsize=(14, 6))
    for ax, heads in zip(axes, (1, 8)):
        names = sorted({r["variant"] for r in rows if r["heads"] == heads})
        for name in names:
            pts = sorted((r["n"], r["median_us"]) for r in rows if r["heads"] == heads and r["variant"] == name)
            style = "--" if "dot" in name else "-"
            ax.plot([p[0] for p in pts], [p[1] for p in pts], style, marker="o", label=name)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("n (queries = keys), d = 64")
        ax.set_ylabel("median time per call (us)")
        ax.set_title(f"{heads} head{'s' if heads > 1 else ''}, one core")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(f"Inhibitor vs dot-product attention — {meta['cpu']} ({meta['llvm_host_cpu']}), {meta['date']}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    sys.exit(main())
