#!/usr/bin/env python3
"""Our kernels against the strongest baselines and this core's limits (#16).

One command (`benchmarks/roofline.py`, after `scripts/build`) measures in one
run, interleaved round-robin per sample, at d = 64 and n = 256, 1024, 4096
(queries = keys), one thread unless a name says otherwise:

- ours: the fused i16 kernel (i16 and i32 accumulator) and the i8 kernel with
  the psadbw score (`sad=on`, i16 accumulator), and the i16 kernel with an i32
  accumulator on full-range data (`i16->i32 full`: |x| up to 32767, as data
  quantized to 16 bits hold them, whose sums the narrow 16-bit tiles cannot
  hold; every other row's data are small, |x| <= 60), compiled by
  `inhibitor-opt --inhibitor-to-llvm` once per ISA: for the host (AVX-512 where
  it has AVX-512BW) and with `target-cpu=x86-64-v3` (AVX2); at n = 1024 also
  the host's fused i16 kernel on 2 threads (`threads=2`);
- the hand-vectorized i16 / i16->i32 / i8 inhibitor kernels per ISA
  (benchmarks/native/hand_kernels.cpp): the speed-of-light reference; at
  n = 1024 also the host's hand i16 kernel on 2 threads (OpenMP over its
  query blocks): the speed-up this host gives a second thread;
- f32 dot-product attention with Eigen per ISA and with OpenBLAS sgemm plus an
  intrinsics softmax (benchmarks/native/f32_attention.cpp), and PyTorch's
  (1 thread);
- this core's vector peak on the kernels' instruction mixes (per ISA) and its
  one-thread memory bandwidth (read and triad).

Every kernel's output is checked against the reference before it is timed
(bit for bit for the integer ones). The ratios use each variant's fastest
sample (see STAT); medians and the 10th/90th percentiles are recorded too. Results: benchmarks/results/
<tag>-<date>-<cpu>.{csv,json,png}, with the CPU, the load average before and
after, and a summary of the #16 targets (ratios against the best baseline of
the same ISA). `--check-only` compiles and checks everything at small sizes
and times nothing (test/Integration/roofline.test).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))
import native  # noqa: E402
import run as R  # noqa: E402
import variants as V  # noqa: E402
from kernels import CACHE, Kernel, as_memref, compile_kernel  # noqa: E402
from inhibitor import reference  # noqa: E402

GAMMA = 8
# How our pipeline and clang target each ISA.
OURS = {"avx512": ("", ("-O3", "-march=native")),
        "avx2": ("target-cpu=x86-64-v3", ("-O3", "-march=x86-64-v3", "-mtune=native"))}
# Instruction mixes of machine.cpp: (name, element bytes).
MIXES = [("i16 score: vpsubw+vpabsw+vpaddw", 2), ("i16 inhibition: vpmaxsw+vpminsw+vpaddw", 2),
         ("i8 score: vpsadbw+vpaddw", 1), ("i8 inhibition: vpmaxsb+vpminsb+vpmaddubsw+vpaddw", 1),
         ("f32: vfmadd231ps", 4)]


# The statistic the ratios use: the fastest sample of CPU time. Each sample
# averages at least --min-seconds of calls. The machine's cores are shared:
# CPU time (of the calling thread; wall time for multi-threaded variants)
# leaves out the time the thread waits for a core, and the fastest sample is
# the least disturbed. Wall-clock times, medians and percentiles are in the
# CSV and JSON too.
STAT = "best_us"


def time_one(call, min_seconds):
    """(wall, CPU time of this thread) per call, over >= min_seconds."""
    w0, c0 = time.perf_counter(), time.thread_time()
    reps = 0
    while True:
        call()
        reps += 1
        w = time.perf_counter() - w0
        if w >= min_seconds:
            return w / reps, (time.thread_time() - c0) / reps


class Variant:
    def __init__(self, name, kind, isa, call, check, dtype=None):
        self.name, self.kind, self.isa, self.call, self.check = name, kind, isa, call, check
        self.dtype = dtype  # "i16", "i16->i32", "i8", "f32"
        self.group = 0  # run.run_size: every variant in one round-robin
        self.samples, self.wall = [], []  # seconds: the statistic's, wall clock
        self.threads = 1


_INPUTS, _WANT = {}, {}


def inputs(rng, n, d, dtype, full_range=False):
    """One input set per (n, d, dtype, range), shared by every variant (they
    only read it), so that the reference runs once per set."""
    key = (n, d, np.dtype(dtype).name, full_range)
    if key not in _INPUTS:
        if full_range:
            lo, hi = -int(np.iinfo(dtype).max), int(np.iinfo(dtype).max)
        else:
            lo, hi = (-20, 20) if dtype == np.int8 else (-60, 60)
        _INPUTS[key] = [rng.integers(lo, hi + 1, (n, d)).astype(dtype) for _ in range(3)]
    return _INPUTS[key]


def want(q, k, v, acc):
    key = (q.shape, q.dtype.name, np.dtype(acc).name, int(np.abs(q.astype(np.int64)).max()))
    if key not in _WANT:
        _WANT[key] = reference.attention(q, k, v, gamma=GAMMA, signed=True, acc_dtype=acc)
    return _WANT[key]


def ours(isa, n, d, dtype, acc, rng, extra="", label=None, full_range=False):
    opts, cflags = OURS[isa]
    opts = " ".join(o for o in (opts, extra) if o)
    pipeline = "inhibitor-to-llvm" + (f"={opts}" if opts else "")
    src = V.inhibitor_attention(0, n, d, np.dtype(dtype).name, np.dtype(acc).name, gamma=GAMMA, signed=True)
    k = Kernel(compile_kernel(src, "k", pipeline=pipeline, cflags=cflags), "k", 2, acc)
    q, kk, v = inputs(rng, n, d, dtype, full_range)
    refs = [as_memref(a) for a in (q, kk, v)]
    tag = {(np.int16, np.int16): "i16", (np.int16, np.int32): "i16->i32", (np.int8, np.int16): "i8"}[(dtype, acc)]
    tag += " full" if full_range else ""

    def check():
        if not np.array_equal(k(q, kk, v), want(q, kk, v, acc)):
            raise RuntimeError(f"ours {tag} {pipeline}: result differs from the reference")
    name = label or f"ours {tag}" + (" sad=on" if "sad=on" in extra else "") + f" [{isa}]"
    return Variant(name, "ours", isa, lambda: k.timed_call(refs), check, tag)


def hand(lib, kernel, n, d, rng, label=None):
    dt, acc = native.INT_KERNELS[kernel]
    q, k, v = inputs(rng, n, d, dt)
    out = np.zeros((n, d), acc)
    call = lib.bind(kernel, q, k, v, out, GAMMA)
    tag = {"hand_inhibitor_i16": "i16", "hand_inhibitor_i16_t2": "i16", "hand_inhibitor_i16_i32": "i16->i32",
           "hand_inhibitor_i8": "i8"}[kernel]

    def check():
        out[:] = 0
        call()
        if not np.array_equal(out, want(q, k, v, acc)):
            raise RuntimeError(f"hand {tag} [{lib.isa}]: result differs from the reference")
    return Variant(label or f"hand {tag} [{lib.isa}]", "hand", lib.isa, call, check, tag)


def f32(lib, kernel, label, isa, n, d, rng):
    q, k, v = [rng.standard_normal((n, d)).astype(np.float32) for _ in range(3)]
    out = np.zeros((n, d), np.float32)
    call = lib.bind(kernel, q, k, v, out, native.F32_BLOCK)

    def check():
        call()
        if not np.allclose(out, native.f32_reference(q, k, v), rtol=1e-4, atol=1e-5):
            raise RuntimeError(f"{label}: result differs from the reference")
    return Variant(label, "f32", isa, call, check, "f32")


def torch_dot(n, d, rng):
    try:
        import torch
    except ImportError:
        return None
    qf, kf, vf = [rng.standard_normal((n, d)).astype(np.float32) for _ in range(3)]
    q, k, v = (torch.from_numpy(a) for a in (qf, kf, vf))
    scale = 1.0 / np.sqrt(d)
    sdpa = getattr(torch.nn.functional, "scaled_dot_product_attention", None)

    torch.set_num_threads(1)

    def call():
        with torch.inference_mode():
            if sdpa is not None:
                return sdpa(q[None], k[None], v[None])[0]
            return torch.softmax((q @ k.T) * scale, dim=-1) @ v  # torch < 2.0: no SDPA

    def check():
        if not np.allclose(call().numpy(), native.f32_reference(qf, kf, vf), rtol=1e-3, atol=1e-4):
            raise RuntimeError("PyTorch dot-product differs from the reference")
    return Variant("PyTorch f32, 1 thread", "f32", "any", call, check, "f32")


def openblas_isa(core: str) -> str:
    return "avx512" if any(c in core.lower() for c in ("skylakex", "cooperlake", "sapphire", "zen4")) else "avx2"


def variants_for(n, d, libs, rng, core, threads_n=1024):
    vs = []
    for isa, lib in libs.items():
        vs += [ours(isa, n, d, np.int16, np.int16, rng), ours(isa, n, d, np.int16, np.int32, rng),
               ours(isa, n, d, np.int16, np.int32, rng, full_range=True),
               ours(isa, n, d, np.int8, np.int16, rng, "sad=on"),
               hand(lib, "hand_inhibitor_i16", n, d, rng), hand(lib, "hand_inhibitor_i16_i32", n, d, rng),
               hand(lib, "hand_inhibitor_i8", n, d, rng),
               f32(lib, "eigen_dot_f32", f"Eigen f32 [{isa}]", isa, n, d, rng)]
    # OpenBLAS picks its sgemm kernel at run time, once per process: one row,
    # counted in the ISA of that kernel, with the softmax of the host's ISA.
    top = next(iter(libs))
    vs.append(f32(libs[top], "openblas_dot_f32", f"OpenBLAS f32 ({core}) [{openblas_isa(core)}]",
                  openblas_isa(core), n, d, rng))
    if n == threads_n:
        two = ours(top, n, d, np.int16, np.int16, rng, "threads=2", f"ours i16 [{top}], 2 threads")
        # The hand kernel on 2 threads: what this host gives a perfectly
        # vectorized kernel's second thread (its ceiling for ours).
        hand_two = hand(libs[top], "hand_inhibitor_i16_t2", n, d, rng, f"hand i16 [{top}], 2 threads")
        two.threads = hand_two.threads = 2
        vs += [two, hand_two]
    t = torch_dot(n, d, rng)
    return vs + ([t] if t else [])


def measure_peaks(libs, peaks=None):
    """Best of 15 short runs per mix (a run shares the core with whatever else
    runs; the best one is the core's own rate), merged with `peaks` (the
    benchmark measures before and after the kernels and keeps the best)."""
    peaks = peaks or {}
    for isa, lib in libs.items():
        p = peaks.setdefault(isa, {"vector_bytes": lib.vector_bytes})
        for i, (name, eb) in enumerate(MIXES):
            ipns = max([lib.peak(i, 5_000_000) for _ in range(15)]
                       + [p.get(name, {}).get("instructions_per_ns", 0.0)])
            p[name] = {"instructions_per_ns": ipns, "lane_ops_per_ns": ipns * lib.vector_bytes / eb}
    return peaks


def print_peaks(peaks):
    for isa, p in peaks.items():
        for name, _ in MIXES:
            print(f"peak [{isa}] {name:50s} {p[name]['instructions_per_ns']:6.2f} instr/ns"
                  f" {p[name]['lane_ops_per_ns']:8.1f} lane-ops/ns")


def measure_bandwidth(libs, bandwidth_mib):
    top = libs[next(iter(libs))]
    bw = {"read_gbs": top.bandwidth(0, bandwidth_mib, 5), "triad_gbs": top.bandwidth(1, bandwidth_mib // 2, 5),
          "array_mib": {"read": bandwidth_mib, "triad": bandwidth_mib // 2}}
    print(f"memory bandwidth, 1 thread: read {bw['read_gbs']:.1f} GB/s, triad {bw['triad_gbs']:.1f} GB/s")
    return bw


def summarize(rows, peaks, sizes):
    """Ratios against the best baseline of the same ISA and the #16 targets."""
    t = {(r["variant"], r["n"]): r[STAT] for r in rows}
    isas = sorted({r["isa"] for r in rows if r["isa"] != "any"}, reverse=True)
    out = []
    for isa in isas:
        for n in sizes:
            def get(name):
                return t.get((name, n))
            f32s = [r[STAT] for r in rows if r["n"] == n and r["isa"] == isa and r["kind"] == "f32"]
            best_f32 = min(f32s) if f32s else None
            s = {"isa": isa, "n": n, "best_f32_us": best_f32, "pytorch_us": get("PyTorch f32, 1 thread")}
            for tag in ("i16", "i16->i32", "i8"):
                o = get(f"ours {tag}{' sad=on' if tag == 'i8' else ''} [{isa}]")
                h = get(f"hand {tag} [{isa}]")
                s[f"ours_{tag}_us"], s[f"hand_{tag}_us"] = o, h
                s[f"ours_{tag}_over_hand"] = o / h if o and h else None
                s[f"best_f32_over_ours_{tag}"] = best_f32 / o if o and best_f32 else None
                s[f"pytorch_over_ours_{tag}"] = s["pytorch_us"] / o if o and s["pytorch_us"] else None
            # Full-range i16 data (no hand kernel sums them exactly).
            o = get(f"ours i16->i32 full [{isa}]")
            s["ours_i16->i32_full_us"] = o
            s["best_f32_over_ours_i16->i32_full"] = best_f32 / o if o and best_f32 else None
            s["pytorch_over_ours_i16->i32_full"] = s["pytorch_us"] / o if o and s["pytorch_us"] else None
            for who in ("ours", "hand"):
                for tag in ("i16", "i16->i32", "i8"):
                    v = s[f"{who}_{tag}_us"]
                    s[f"{who}_{tag}_fraction_of_peak"] = bound_us(peaks[isa], tag, n, n, 64) / v if v else None
            # Wall clock against wall clock.
            wall = {r["variant"]: r["best_wall_us"] for r in rows if r["n"] == n}
            two, one = wall.get(f"ours i16 [{isa}], 2 threads"), wall.get(f"ours i16 [{isa}]")
            s["two_thread_speedup"] = one / two if two and one else None
            two, one = wall.get(f"hand i16 [{isa}], 2 threads"), wall.get(f"hand i16 [{isa}]")
            s["hand_two_thread_speedup"] = one / two if two and one else None
            s["targets"] = {
                "i16 within 10% of hand": _target(s["ours_i16_over_hand"], 1.1, False),
                "i8 within 10% of hand": _target(s["ours_i8_over_hand"], 1.1, False),
                "i16 >= 1.3x best f32": _target(s["best_f32_over_ours_i16"], 1.3, True),
                "i8 >= 2x best f32": _target(s["best_f32_over_ours_i8"], 2.0, True),
                "i16 faster than PyTorch": _target(s["pytorch_over_ours_i16"], 1.0, True),
            }
            if s["two_thread_speedup"]:
                s["targets"]["2 threads >= 1.8x"] = _target(s["two_thread_speedup"], 1.8, True)
            out.append(s)
    return out


def bound_us(peak, tag, n, m, d):
    """The time (us) of the kernels' vector instructions at this ISA's peak
    (compute bound; K/V of these sizes stay in cache): i16 (hand_kernels.cpp)
    3 score + 3 inhibition instructions per (query, key vector, d); i8 2 SAD
    instructions per (query, 8-byte chunk, key qword lane group) and 4 per
    (query, key pair, E vector); f32 2 n m d FMAs (the exp not counted)."""
    b = peak["vector_bytes"]

    def ns(mix, count):
        return count / peak[MIXES[mix][0]]["instructions_per_ns"]
    if tag in ("i16", "i16->i32"):
        t = ns(0, 3 * n * m * d / (b // 2)) + ns(1, 3 * n * m * d / (b // 2))
    elif tag == "i8":
        t = ns(2, 2 * n * m * d / b) + ns(3, 4 * n * m * d / b)
    else:
        t = ns(4, 2 * n * m * d / (b // 4))
    return t / 1e3


def _target(value, goal, at_least):
    if value is None:
        return None
    met = value >= goal if at_least else value <= goal
    return {"value": value, "goal": goal, "met": met,
            "miss_factor": None if met else (goal / value if at_least else value / goal)}


def main() -> int:
    if any(os.environ.get(k) != v for k, v in R.MALLOC_ENV.items()):
        os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, **R.MALLOC_ENV})
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="256,1024,4096")
    ap.add_argument("--d", type=int, default=64)
    ap.add_argument("--samples", type=int, default=12, help="samples per variant (half at n >= 4096)")
    ap.add_argument("--rounds", type=int, default=3, help="passes over all sizes the samples are spread over")
    ap.add_argument("--min-seconds", type=float, default=0.05)
    ap.add_argument("--bandwidth-mib", type=int, default=1024, help="array size of the bandwidth loops")
    ap.add_argument("--isa", default="", help="comma-separated subset of the host's ISAs (avx512, avx2)")
    ap.add_argument("--check-only", action="store_true",
                    help="check every kernel against the reference at small sizes, time nothing")
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    ap.add_argument("--tag", default="roofline")
    ap.add_argument("--report", metavar="JSON", help="print markdown tables of a results file, measure nothing")
    args = ap.parse_args()
    if args.report:
        report(args.report)
        return 0
    isas = [i for i in native.host_isas() if not args.isa or i in args.isa.split(",")]
    if not isas:
        print("this host has neither AVX2+FMA nor AVX-512BW: nothing to measure")
        return 1
    libs = {isa: native.Native(isa, CACHE) for isa in isas}
    core = libs[isas[0]].openblas_core()
    rng = np.random.default_rng(16)
    if args.check_only:
        count = sum(native.check_all(lib, reference) for lib in libs.values())
        for n in (32, 256):
            for v in variants_for(n, args.d, libs, rng, core, n) + variants_for(n, 40, libs, rng, core):
                v.check()
                count += 1
        print(f"{count} passed, 0 failed")
        return 0
    load_before = os.getloadavg()
    peaks = measure_peaks(libs)
    bw = measure_bandwidth(libs, args.bandwidth_mib)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    per_size = {}
    for n in sizes:  # compile and check everything first, then time
        per_size[n] = variants_for(n, args.d, libs, rng, core)
        for v in per_size[n]:
            v.check()
            time_one(v.call, args.min_seconds / 4)  # warm-up
    # Rounds over all sizes, so that a burst of load on the shared machine
    # hits one round of a size, not all of its samples.
    round_loads = []
    for r in range(args.rounds):
        for n in sizes:
            for _ in range(max(1, (args.samples if n < 4096 else args.samples // 2) // args.rounds)):
                for v in per_size[n]:
                    w, c = time_one(v.call, args.min_seconds)
                    v.wall.append(w)
                    v.samples.append(c if v.threads == 1 else w)
        round_loads.append(os.getloadavg())
        print(f"round {r + 1} of {args.rounds} done (load {round_loads[-1][0]:.1f})", flush=True)
    for n in sizes:
        for v in per_size[n]:
            t = np.array(v.samples) * 1e6
            row = {"variant": v.name, "kind": v.kind, "isa": v.isa, "dtype": v.dtype, "n": n, "d": args.d,
                   "best_us": float(t.min()), "median_us": float(np.median(t)),
                   "p10_us": float(np.percentile(t, 10)),
                   "p90_us": float(np.percentile(t, 90)), "samples": len(t),
                   "time": "cpu" if v.threads == 1 else "wall", "threads": v.threads,
                   "best_wall_us": float(np.min(v.wall) * 1e6), "median_wall_us": float(np.median(v.wall) * 1e6)}
            rows.append(row)
            print(f"n={n:5d} {v.name:48s} {row['best_us']:12.1f} us (median {row['median_us']:.1f})", flush=True)
    measure_peaks(libs, peaks)  # again: the best of before and after
    print_peaks(peaks)
    for row in rows:
        # (No bound for full-range data: its sums leave the 16-bit lanes.)
        if row["isa"] in peaks and "threads" not in row["variant"] and \
                not row["dtype"].endswith(" full"):
            row["fraction_of_peak"] = bound_us(peaks[row["isa"]], row["dtype"], row["n"], row["n"],
                                               row["d"]) / row[STAT]
    summary = summarize(rows, peaks, sizes)
    meta = {"date": datetime.date.today().isoformat(), "time": time.strftime("%H:%M:%S"),
            "cpu": R.cpu_name(), "llvm_host_cpu": R.host_cpu(), "isas": isas, "openblas_core": core,
            "loadavg_before": load_before, "loadavg_after_each_round": round_loads,
            "loadavg_after": os.getloadavg(), "cores": os.cpu_count(),
            "torch": R.torch_version().replace(f"threads: 1 and {os.cpu_count()}", "1 thread"), "f32_query_block": native.F32_BLOCK, "gamma": GAMMA,
            "exp_max_rel_error": libs[isas[0]].exp_error(), "malloc_env": R.MALLOC_ENV}
    os.makedirs(args.out, exist_ok=True)
    stem = os.path.join(args.out, f"{args.tag}-{meta['date']}-{meta['llvm_host_cpu']}")
    with open(stem + ".json", "w") as f:
        json.dump({"meta": meta, "peaks": peaks, "bandwidth": bw, "rows": rows, "summary": summary}, f, indent=1)
    keys = ["variant", "kind", "isa", "dtype", "n", "d", "threads", "time", "best_us", "median_us", "p10_us",
            "p90_us", "samples", "best_wall_us", "median_wall_us", "fraction_of_peak"]
    with open(stem + ".csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    plot(rows, meta, stem + ".png")
    report(stem + ".json")
    print(f"load average before {load_before}, after {meta['loadavg_after']}")
    print(f"wrote {stem}.csv, .json, .png")
    return 0


def report(path):
    """Markdown tables (times, ratios per ISA, #16 targets) of a results JSON."""
    data = json.load(open(path))
    rows, summary = data["rows"], data["summary"]
    sizes = sorted({r["n"] for r in rows})
    print("| variant: fastest sample, us of CPU time (% of the ISA's peak) | " + " | ".join(f"n = {n}" for n in sizes) + " |")
    print("|---" * (len(sizes) + 1) + "|")
    for name in dict.fromkeys(r["variant"] for r in rows):
        cells = []
        for n in sizes:
            r = next((r for r in rows if r["variant"] == name and r["n"] == n), None)
            f = f" ({100 * r['fraction_of_peak']:.0f}%)" if r and r.get("fraction_of_peak") else ""
            cells.append(f"{r[STAT]:,.0f}{f}" if r else "-")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    cols = [("ours i16 / hand i16", "ours_i16_over_hand"), ("ours i8 / hand i8", "ours_i8_over_hand"),
            ("ours i16->i32 / hand", "ours_i16->i32_over_hand"),
            ("best f32 / ours i16", "best_f32_over_ours_i16"), ("best f32 / ours i8", "best_f32_over_ours_i8"),
            ("PyTorch / ours i16", "pytorch_over_ours_i16"), ("PyTorch / ours i8", "pytorch_over_ours_i8"),
            ("best f32 / ours i16->i32 full", "best_f32_over_ours_i16->i32_full"),
            ("2 threads", "two_thread_speedup"), ("hand, 2 threads", "hand_two_thread_speedup")]
    print("| ISA | n | " + " | ".join(c for c, _ in cols) + " |")
    print("|---" * (len(cols) + 2) + "|")
    for x in summary:
        print(f"| {x['isa']} | {x['n']} | " + " | ".join(f"{x[k]:.2f}" if x.get(k) else "-" for _, k in cols)
              + " |")
    print()
    for x in summary:
        missed = [f"{k} ({t['value']:.2f} vs {t['goal']}, off by {t['miss_factor']:.2f}x)"
                  for k, t in x["targets"].items() if t and not t["met"]]
        met = [k for k, t in x["targets"].items() if t and t["met"]]
        print(f"- {x['isa']} n={x['n']}: met: {', '.join(met) or 'none'}; missed: {'; '.join(missed) or 'none'}")


def plot(rows, meta, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing: no plot")
        return
    isas = meta["isas"]
    fig, axes = plt.subplots(1, len(isas), figsize=(8 * len(isas), 6.5), squeeze=False)
    for ax, isa in zip(axes.flat, isas):
        sel = [r for r in rows if r["isa"] in (isa, "any")]
        for ci, name in enumerate(sorted({r["variant"] for r in sel})):
            pts = sorted((r["n"], r[STAT]) for r in sel if r["variant"] == name)
            style = "-" if name.startswith("ours") else ("--" if name.startswith("hand") else ":")
            ax.plot([p[0] for p in pts], [p[1] for p in pts], style, marker="o", label=name,
                    color=plt.cm.tab20.colors[ci % 20])
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("n (queries = keys), d = 64")
        ax.set_ylabel("fastest sample: time per call (us)")
        ax.set_title(f"{isa}: ours (solid), hand kernels (dashed), f32 baselines (dotted)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(f"{meta['cpu']} ({meta['llvm_host_cpu']}), {meta['date']}, load {meta['loadavg_before'][0]:.1f}"
                 f" -> {meta['loadavg_after'][0]:.1f}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    sys.exit(main())
