"""The hand-written native kernels (benchmarks/native/*.cpp), built per ISA.

`build(isa)` compiles hand_kernels.cpp, f32_attention.cpp and machine.cpp
into one shared object with clang++ -O3: "avx512" with -march=native (only on
a host with AVX-512BW), "avx2" with -march=x86-64-v3 -mtune=native (AVX2 +
FMA only, no EVEX encodings), so each ISA's kernels run on a host that has
both. `Native` wraps the exported functions for NumPy arrays; `check_all`
compares every kernel with the reference (python/inhibitor/reference.py) on
odd sizes and extreme values: bit for bit for the integer kernels, with a
tolerance for the f32 ones.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import subprocess

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "native")
SOURCES = ["hand_kernels.cpp", "f32_attention.cpp", "machine.cpp"]
CXX = os.environ.get("INHIBITOR_BENCH_CXX", "/usr/lib/llvm-22/bin/clang++")
FLAGS = {"avx512": ["-march=native"], "avx2": ["-march=x86-64-v3", "-mtune=native"]}
# Queries per block of the f32 kernels (the score block is [F32_BLOCK, m]):
# of 16 ... 512, 128-256 were fastest for both at n = 1024 and 4096 here.
F32_BLOCK = 256


def host_flags() -> set:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def host_isas() -> list:
    """The ISAs this host runs, widest first."""
    f = host_flags()
    isas = []
    if {"avx512f", "avx512bw"} <= f:
        isas.append("avx512")
    if {"avx2", "fma"} <= f:
        isas.append("avx2")
    return isas


def build(isa: str, cache: str) -> str:
    os.makedirs(cache, exist_ok=True)
    paths = [os.path.join(SRC, s) for s in SOURCES + ["simd.h"]]
    key = hashlib.sha256(("".join(open(p).read() for p in paths) + CXX + " ".join(FLAGS[isa])).encode())
    so = os.path.join(cache, f"native-{isa}-{key.hexdigest()[:16]}.so")
    if not os.path.exists(so):
        cmd = [CXX, "-O3", "-std=c++17", *FLAGS[isa], "-shared", "-fPIC", "-isystem", "/usr/include/eigen3",
               "-I/usr/include/x86_64-linux-gnu/openblas-serial",
               *[os.path.join(SRC, s) for s in SOURCES], "-lopenblas",
               # hand_inhibitor_i16_t2: OpenMP, libomp as our `threads=` kernels link it
               "-fopenmp", "-Wl,-rpath,/usr/lib/llvm-22/lib", "-o", so + ".tmp"]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError(f"building the {isa} kernels failed:\n{' '.join(cmd)}\n{r.stderr[-3000:]}")
        os.replace(so + ".tmp", so)
    return so


P = ctypes.c_void_p
CInt = ctypes.c_int
ERRORS = {-1: "gamma is not a positive power of two", -2: "inputs exceed the bound of the i16 partial sums",
          -3: "out of memory"}


class Native:
    def __init__(self, isa: str, cache: str):
        self.isa = isa
        self.lib = ctypes.CDLL(build(isa, cache))
        for name in ("hand_inhibitor_i16", "hand_inhibitor_i16_t2", "hand_inhibitor_i16_i32", "hand_inhibitor_i8",
                     "eigen_dot_f32", "openblas_dot_f32"):
            fn = self._fn(name)
            fn.restype = CInt
            fn.argtypes = [P, P, P, P, CInt, CInt, CInt, CInt]
        self._fn("peak_instructions_per_ns").restype = ctypes.c_double
        self._fn("peak_instructions_per_ns").argtypes = [CInt, ctypes.c_long]
        self._fn("bandwidth_gbs").restype = ctypes.c_double
        self._fn("bandwidth_gbs").argtypes = [CInt, ctypes.c_long, CInt]
        self._fn("exp_max_rel_err").restype = ctypes.c_double
        self._fn("exp_max_rel_err").argtypes = [ctypes.c_float, CInt]
        self._fn("openblas_core").restype = ctypes.c_char_p
        self.vector_bytes = self._fn("vector_bytes")()

    def _fn(self, name):
        return getattr(self.lib, f"{name}_{self.isa}")

    def bind(self, name, q, k, v, out, last):
        """A no-argument call of kernel `name` on fixed arrays (for timing);
        `last` is gamma (integer kernels) or the query block (f32)."""
        fn = self._fn(name)
        n, d = q.shape
        m = k.shape[0]
        args = [a.ctypes.data_as(P) for a in (q, k, v, out)] + [n, m, d, last]

        def call():
            rc = fn(*args)
            if rc:
                raise RuntimeError(f"{name}_{self.isa}: {ERRORS.get(rc, rc)}")
        return call

    def run(self, name, q, k, v, out_dtype, last):
        for a in (q, k, v):
            assert a.flags["C_CONTIGUOUS"] and a.ndim == 2
        out = np.zeros(q.shape, out_dtype)
        self.bind(name, q, k, v, out, last)()
        return out

    def peak(self, mix: int, iterations: int) -> float:
        return self._fn("peak_instructions_per_ns")(mix, iterations)

    def bandwidth(self, kind: int, mib: int, reps: int) -> float:
        return self._fn("bandwidth_gbs")(kind, mib, reps)

    def exp_error(self) -> float:
        return self._fn("exp_max_rel_err")(-87.0, 1 << 20)

    def openblas_core(self) -> str:
        return self._fn("openblas_core")().decode()


# The integer kernels: name -> (input dtype, result dtype).
INT_KERNELS = {"hand_inhibitor_i16": (np.int16, np.int16), "hand_inhibitor_i16_t2": (np.int16, np.int16),
               "hand_inhibitor_i16_i32": (np.int16, np.int32),
               "hand_inhibitor_i8": (np.int8, np.int16)}


def f32_reference(q, k, v):
    s = q.astype(np.float64) @ k.T.astype(np.float64) / np.sqrt(q.shape[1])
    p = np.exp(s - s.max(-1, keepdims=True))
    return (p / p.sum(-1, keepdims=True)) @ v.astype(np.float64)


def check_all(lib: Native, reference, log=print) -> int:
    """Compares every kernel of `lib` with the reference; returns the number
    of cases checked, raises on the first difference."""
    rng = np.random.default_rng(16)
    count = 0
    sizes = [(1, 1, 1), (5, 3, 7), (33, 70, 24), (64, 128, 64), (130, 257, 64), (7, 300, 100), (256, 256, 64)]
    for name, (dt, acc) in INT_KERNELS.items():
        info = np.iinfo(dt)
        for gamma in (1, 8, 64):
            for (n, m, d) in sizes + [(0, 5, 8), (5, 0, 8), (3, 4, 0)]:  # and empty operands
                for lohi in ((info.min, info.max), (-60, 60), (-3, 3)):
                    if name.endswith("_i32") and lohi[1] > 60:
                        continue  # outside the documented bound
                    q, k, v = [rng.integers(lohi[0], lohi[1] + 1, s, endpoint=False).astype(dt)
                               for s in ((n, d), (m, d), (m, d))]
                    got = lib.run(name, q, k, v, acc, gamma)
                    want = reference.attention(q, k, v, gamma=gamma, signed=True, acc_dtype=acc)
                    if not np.array_equal(got, want):
                        bad = np.argwhere(got != want)[0]
                        raise RuntimeError(f"{name}_{lib.isa} n={n} m={m} d={d} gamma={gamma} values {lohi}: "
                                           f"differs at {tuple(bad)}: {got[tuple(bad)]} != {want[tuple(bad)]}")
                    count += 1
        # Errors are reported, never a wrong result.
        q = np.zeros((4, 8), dt)
        for bad_gamma in (0, 3, -8):
            try:
                lib.run(name, q, q, q, acc, bad_gamma)
                raise AssertionError(f"{name}: gamma={bad_gamma} accepted")
            except RuntimeError as e:
                assert "power of two" in str(e), e
                count += 1
        if name.endswith("_i32"):
            big = np.full((4, 8), 300, dt)
            try:
                lib.run(name, big, big, big, acc, 8)
                raise AssertionError(f"{name}: out-of-bound inputs accepted")
            except RuntimeError as e:
                assert "bound" in str(e), e
                count += 1
    for name in ("eigen_dot_f32", "openblas_dot_f32"):
        for (n, m, d) in sizes:
            for block in (1, 16, F32_BLOCK):
                q, k, v = [rng.standard_normal(s).astype(np.float32) for s in ((n, d), (m, d), (m, d))]
                got = lib.run(name, q, k, v, np.float32, block)
                if not np.allclose(got, f32_reference(q, k, v), rtol=1e-4, atol=1e-5):
                    raise RuntimeError(f"{name}_{lib.isa} n={n} m={m} d={d} block={block}: differs")
                count += 1
    err = lib.exp_error()
    if not err < 4e-7:
        raise RuntimeError(f"exp approximation ({lib.isa}): max relative error {err:.2e} >= 4e-7")
    count += 1
    log(f"{lib.isa}: {count} cases match the reference (exp approximation: max rel. error {err:.2e})")
    return count
