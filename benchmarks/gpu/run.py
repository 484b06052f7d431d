#!/usr/bin/env python3
"""GPU benchmark: inhibitor attention (i8, i16, f16) against dot-product
attention (f16), all compiled by `inhibitor-opt --inhibitor-to-gpu` and run
with `mlir-runner` on our CUDA runtime (build/lib/libinhibitor_cuda_runtime.so).

One command on a machine with an NVIDIA GPU, after building:

    python3 benchmarks/gpu/run.py            # n in 256 1024 4096 16384
    python3 benchmarks/gpu/run.py --n 256 --dry-run   # compile only (no GPU)

Every variant is compiled twice: `shared` (the default pipeline, K/V/Q
tiles staged in shared memory, `shared-memory=true`) and `plain`
(`shared-memory=false`: every thread reads global memory); `--memory`
picks one.

Shapes: 8 heads, d = 64, Q/K/V [8, n, 64]. Inputs are generated on the GPU
(index patterns), one warm-up call, then `--reps` timed calls. Kernel time
comes from CUDA events around every launch (inhibitorGpuKernelMs in the
runtime), wall time from rtclock around the calls. Writes
benchmarks/results/gpu-<device>.csv and .json with the device name.
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LLVM = "/usr/lib/llvm-22"
HEADS, D = 8, 64

# name: (element type, accumulator, body builder)
VARIANTS = ["inhibitor-i8", "inhibitor-i16", "inhibitor-f16", "dot-f16"]


def gen_input(name, ty, n, salt):
    """A [HEADS, n, D] tensor filled on the GPU with small values."""
    is_int = ty.startswith("i")
    val = (["%c = arith.index_cast %x : index to " + ty] if is_int else
           ["%ci = arith.index_cast %x : index to i32",
            "%c = arith.sitofp %ci : i32 to " + ty])
    body = "\n".join("      " + v for v in val)
    return f"""
  %{name}e = tensor.empty() : tensor<{HEADS}x{n}x{D}x{ty}>
  %{name} = linalg.generic {{indexing_maps = [affine_map<(h, i, k) -> (h, i, k)>],
      iterator_types = ["parallel", "parallel", "parallel"]}} outs(%{name}e : tensor<{HEADS}x{n}x{D}x{ty}>) {{
    ^bb0(%out: {ty}):
      %ih = linalg.index 0 : index
      %ii = linalg.index 1 : index
      %ik = linalg.index 2 : index
      %a = affine.apply affine_map<(h, i, k) -> ((h * 5 + i * {salt} + k * 3) mod 17 - 8)>(%ih, %ii, %ik)
      %x = arith.addi %a, %a0 : index
{body}
      linalg.yield %c : {ty}
  }} -> tensor<{HEADS}x{n}x{D}x{ty}>"""


def kernel(variant, n):
    t = {"inhibitor-i8": "i8", "inhibitor-i16": "i16", "inhibitor-f16": "f16", "dot-f16": "f16"}[variant]
    qt = f"tensor<{HEADS}x{n}x{D}x{t}>"
    if variant.startswith("inhibitor"):
        acc = {"i8": "i32", "i16": "i32", "f16": "f16"}[t]
        gamma = "8 : i32" if acc == "i32" else "8.0 : f16"
        ht = f"tensor<{HEADS}x{n}x{D}x{acc}>"
        return ht, f"""
func.func @attention(%q: {qt}, %k: {qt}, %v: {qt}) -> {ht} {{
  %init = tensor.empty() : {ht}
  %h = inhibitor.attention signed {{gamma = {gamma}}}
         ins(%q, %k, %v : {qt}, {qt}, {qt}) outs(%init : {ht}) -> {ht}
  return %h : {ht}
}}"""
    # softmax(Q K^T / sqrt(d)) V in f16 with f32 accumulation, as generics.
    st = f"tensor<{HEADS}x{n}x{n}xf32>"
    rt = f"tensor<{HEADS}x{n}xf32>"
    ht = f"tensor<{HEADS}x{n}x{D}xf32>"
    return ht, f"""
func.func @attention(%q: {qt}, %k: {qt}, %v: {qt}) -> {ht} {{
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %scale = arith.constant 0.125 : f32
  %se = tensor.empty() : {st}
  %s0 = linalg.fill ins(%zero : f32) outs(%se : {st}) -> {st}
  %s = linalg.generic {{indexing_maps = [affine_map<(h, i, j, k) -> (h, i, k)>,
        affine_map<(h, i, j, k) -> (h, j, k)>, affine_map<(h, i, j, k) -> (h, i, j)>],
        iterator_types = ["parallel", "parallel", "parallel", "reduction"]}}
        ins(%q, %k : {qt}, {qt}) outs(%s0 : {st}) {{
    ^bb0(%a: f16, %b: f16, %acc: f32):
      %p = arith.mulf %a, %b : f16
      %pe = arith.extf %p : f16 to f32
      %r = arith.addf %acc, %pe : f32
      linalg.yield %r : f32
  }} -> {st}
  %re = tensor.empty() : {rt}
  %m0 = linalg.fill ins(%ninf : f32) outs(%re : {rt}) -> {rt}
  %m = linalg.generic {{indexing_maps = [affine_map<(h, i, j) -> (h, i, j)>, affine_map<(h, i, j) -> (h, i)>],
        iterator_types = ["parallel", "parallel", "reduction"]}} ins(%s : {st}) outs(%m0 : {rt}) {{
    ^bb0(%x: f32, %acc: f32):
      %r = arith.maximumf %acc, %x : f32
      linalg.yield %r : f32
  }} -> {rt}
  %pe = tensor.empty() : {st}
  %p = linalg.generic {{indexing_maps = [affine_map<(h, i, j) -> (h, i, j)>, affine_map<(h, i, j) -> (h, i)>,
        affine_map<(h, i, j) -> (h, i, j)>], iterator_types = ["parallel", "parallel", "parallel"]}}
        ins(%s, %m : {st}, {rt}) outs(%pe : {st}) {{
    ^bb0(%x: f32, %mx: f32, %o: f32):
      %d = arith.subf %x, %mx : f32
      %ds = arith.mulf %d, %scale : f32
      %e = math.exp %ds : f32
      linalg.yield %e : f32
  }} -> {st}
  %l0 = linalg.fill ins(%zero : f32) outs(%re : {rt}) -> {rt}
  %l = linalg.generic {{indexing_maps = [affine_map<(h, i, j) -> (h, i, j)>, affine_map<(h, i, j) -> (h, i)>],
        iterator_types = ["parallel", "parallel", "reduction"]}} ins(%p : {st}) outs(%l0 : {rt}) {{
    ^bb0(%x: f32, %acc: f32):
      %r = arith.addf %acc, %x : f32
      linalg.yield %r : f32
  }} -> {rt}
  %he = tensor.empty() : {ht}
  %h0 = linalg.fill ins(%zero : f32) outs(%he : {ht}) -> {ht}
  %h = linalg.generic {{indexing_maps = [affine_map<(h, i, j, e) -> (h, i, j)>,
        affine_map<(h, i, j, e) -> (h, j, e)>, affine_map<(h, i, j, e) -> (h, i)>,
        affine_map<(h, i, j, e) -> (h, i, e)>],
        iterator_types = ["parallel", "parallel", "reduction", "parallel"]}}
        ins(%p, %v, %l : {st}, {qt}, {rt}) outs(%h0 : {ht}) {{
    ^bb0(%x: f32, %vv: f16, %sum: f32, %acc: f32):
      %ve = arith.extf %vv : f16 to f32
      %w = arith.divf %x, %sum : f32
      %c = arith.mulf %w, %ve : f32
      %r = arith.addf %acc, %c : f32
      linalg.yield %r : f32
  }} -> {ht}
  return %h : {ht}
}}"""


def module(variant, n, reps):
    t = {"inhibitor-i8": "i8", "inhibitor-i16": "i16", "inhibitor-f16": "f16", "dot-f16": "f16"}[variant]
    ht, kern = kernel(variant, n)
    qt = f"tensor<{HEADS}x{n}x{D}x{t}>"
    return f"""
func.func private @inhibitorGpuTimerReset()
func.func private @inhibitorGpuKernelMs() -> f64
func.func private @inhibitorGpuPrintDevice()
func.func private @rtclock() -> f64
func.func private @printF64(f64)
func.func private @printNewline()
{kern}
func.func @main() {{
  %a0 = arith.constant 0 : index
  {gen_input("q", t, n, 7)}
  {gen_input("k", t, n, 11)}
  {gen_input("v", t, n, 13)}
  call @inhibitorGpuPrintDevice() : () -> ()
  %w = call @attention(%q, %k, %v) : ({qt}, {qt}, {qt}) -> {ht}
  call @inhibitorGpuTimerReset() : () -> ()
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %reps = arith.constant {reps} : index
  %t0 = call @rtclock() : () -> f64
  scf.for %r = %c0 to %reps step %c1 {{
    %h = func.call @attention(%q, %k, %v) : ({qt}, {qt}, {qt}) -> {ht}
  }}
  %t1 = call @rtclock() : () -> f64
  %ms = call @inhibitorGpuKernelMs() : () -> f64
  %wall = arith.subf %t1, %t0 : f64
  call @printF64(%ms) : (f64) -> ()
  call @printNewline() : () -> ()
  call @printF64(%wall) : (f64) -> ()
  call @printNewline() : () -> ()
  return
}}
"""


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, nargs="+", default=[256, 1024, 4096, 16384])
    p.add_argument("--variants", nargs="+", default=VARIANTS, choices=VARIANTS)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--pipeline-options", default="", help='e.g. "tile-sizes=4,64 chip=sm_90"')
    p.add_argument("--memory", nargs="+", default=["shared", "plain"], choices=["shared", "plain"],
                   help="shared: shared-memory=true (staged tiles); plain: shared-memory=false")
    p.add_argument("--dry-run", action="store_true", help="compile only (no GPU needed)")
    p.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results"))
    args = p.parse_args()
    opt = os.path.join(args.build, "bin", "inhibitor-opt")
    runtime = os.path.join(args.build, "lib", "libinhibitor_cuda_runtime.so")
    libs = ",".join([runtime, f"{LLVM}/lib/libmlir_runner_utils.so", f"{LLVM}/lib/libmlir_c_runner_utils.so"])
    def pipeline_for(memory):
        opts = f"shared-memory={'true' if memory == 'shared' else 'false'} {args.pipeline_options}"
        return f"--inhibitor-to-gpu={opts.strip()}"
    if not args.dry_run and not os.path.exists(runtime):
        sys.exit(f"{runtime} missing: build with the CUDA toolkit installed (CMake finds CUDAToolkit)")
    rows, device = [], "unknown"
    for n in args.n:
        for variant, memory in [(v, m) for v in args.variants for m in args.memory]:
            pipeline = pipeline_for(memory)
            src = module(variant, n, args.reps)
            t0 = time.time()
            lowered = subprocess.run([opt, pipeline], input=src, capture_output=True, text=True)
            if lowered.returncode:
                sys.exit(f"{variant} {memory} n={n}: inhibitor-opt failed:\n{lowered.stderr[-3000:]}")
            compile_s = time.time() - t0
            if args.dry_run:
                print(f"{variant:14s} {memory:6s} n={n:6d} compiled in {compile_s:.1f} s")
                continue
            run = subprocess.run([f"{LLVM}/bin/mlir-runner", "-e", "main", "-entry-point-result=void",
                                  f"-shared-libs={libs}", "-O3"],
                                 input=lowered.stdout, capture_output=True, text=True)
            if run.returncode:
                print(f"{variant} {memory} n={n}: mlir-runner failed:\n{run.stderr[-3000:]}", file=sys.stderr)
                rows.append(dict(variant=variant, memory=memory, n=n, error=run.stderr.strip().splitlines()[-1:]))
                continue
            m = re.search(r"device: (.*)", run.stdout)
            device = m.group(1).strip() if m else device
            nums = [float(x) for x in re.findall(r"^\s*([-0-9.e+]+)\s*$", run.stdout, re.M)]
            kernel_ms, wall_s = nums[-2] / args.reps, nums[-1] / args.reps
            pairs = HEADS * n * n * D
            rows.append(dict(variant=variant, memory=memory, n=n, heads=HEADS, d=D, reps=args.reps,
                             kernel_ms=kernel_ms, wall_ms=wall_s * 1e3,
                             gpairs_per_s=pairs / (kernel_ms * 1e-3) / 1e9, compile_s=compile_s))
            print(f"{variant:14s} {memory:6s} n={n:6d} kernel {kernel_ms:10.3f} ms  wall {wall_s * 1e3:10.3f} ms")
    if args.dry_run:
        return 0
    os.makedirs(args.out, exist_ok=True)
    tag = re.sub(r"[^A-Za-z0-9]+", "-", device.split("(")[0]).strip("-").lower() or "gpu"
    meta = dict(device=device, pipelines={m: pipeline_for(m) for m in args.memory}, date=time.strftime("%Y-%m-%d %H:%M:%S"),
                nvidia_smi=subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True).stdout.strip())
    with open(os.path.join(args.out, f"gpu-{tag}.json"), "w") as f:
        json.dump(dict(meta, results=rows), f, indent=2)
    keys = ["variant", "memory", "n", "heads", "d", "reps", "kernel_ms", "wall_ms", "gpairs_per_s", "compile_s", "error"]
    with open(os.path.join(args.out, f"gpu-{tag}.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["device"] + keys)
        w.writeheader()
        for r in rows:
            w.writerow(dict(r, device=device))
    print(f"wrote {args.out}/gpu-{tag}.csv and .json ({device})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
