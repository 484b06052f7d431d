"""Compile MLIR kernels to shared objects and call them from NumPy (ctypes).

A kernel is an MLIR function with `llvm.emit_c_interface` taking ranked
tensors and returning one ranked tensor. `compile_kernel` lowers it with
inhibitor-opt, translates to LLVM IR and builds a shared object with clang;
`Kernel.__call__` passes NumPy arrays as memref descriptors and returns the
result as a NumPy array (the kernel's buffer, freed after copying).
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import subprocess
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LLVM_BIN = "/usr/lib/llvm-22/bin"
OPT = os.environ.get("INHIBITOR_OPT", os.path.join(ROOT, "build", "bin", "inhibitor-opt"))
CACHE = os.environ.get("INHIBITOR_BENCH_CACHE", os.path.join(tempfile.gettempdir(), "inhibitor-bench"))

_libc = ctypes.CDLL(None)
_libc.free.argtypes = [ctypes.c_void_p]


def memref_type(rank: int):
    class MemRef(ctypes.Structure):
        _fields_ = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
                    ("offset", ctypes.c_int64), ("sizes", ctypes.c_int64 * rank),
                    ("strides", ctypes.c_int64 * rank)]
    return MemRef


def as_memref(a: np.ndarray):
    assert a.flags["C_CONTIGUOUS"]
    m = memref_type(a.ndim)()
    m.allocated = m.aligned = a.ctypes.data
    m.offset = 0
    for i, (s, st) in enumerate(zip(a.shape, a.strides)):
        m.sizes[i] = s
        m.strides[i] = st // a.itemsize
    return m


def compile_kernel(mlir: str, name: str, pipeline: str = "inhibitor-to-llvm",
                   cflags=("-O3", "-march=native"), pre=()) -> str:
    """Returns the path of a shared object holding `_mlir_ciface_<name>`;
    `pre`: inhibitor-opt arguments before the pipeline (passes, a transform
    script)."""
    os.makedirs(CACHE, exist_ok=True)
    key = hashlib.sha256((mlir + " ".join(pre) + pipeline + " ".join(cflags)
                          + str(os.path.getmtime(OPT))).encode()).hexdigest()[:16]
    so = os.path.join(CACHE, f"{name}-{key}.so")
    if os.path.exists(so):
        return so
    lowered = subprocess.run([OPT, *pre, f"--{pipeline}"], input=mlir, capture_output=True, text=True)
    if lowered.returncode:
        raise RuntimeError(f"inhibitor-opt failed for {name}:\n{lowered.stderr[-3000:]}")
    ll = subprocess.run([os.path.join(LLVM_BIN, "mlir-translate"), "--mlir-to-llvmir"],
                        input=lowered.stdout, capture_output=True, text=True)
    if ll.returncode:
        raise RuntimeError(f"mlir-translate failed for {name}:\n{ll.stderr[-3000:]}")
    # OpenMP kernels (the `threads` option) call into libomp.
    omp = ["-fopenmp", "-Wl,-rpath,/usr/lib/llvm-22/lib"] if "threads=" in pipeline else []
    cc = subprocess.run([os.path.join(LLVM_BIN, "clang"), *cflags, *omp, "-Wno-override-module",
                         "-shared", "-fPIC", "-x", "ir", "-", "-o", so],
                        input=ll.stdout, capture_output=True, text=True)
    if cc.returncode:
        raise RuntimeError(f"clang failed for {name}:\n{cc.stderr[-3000:]}")
    return so


class Kernel:
    def __init__(self, so: str, name: str, out_rank: int, out_dtype):
        self.lib = ctypes.CDLL(so)
        self.fn = getattr(self.lib, f"_mlir_ciface_{name}")
        self.fn.restype = None
        self.out_type = memref_type(out_rank)
        self.out_dtype = np.dtype(out_dtype)

    def call_raw(self, memrefs):
        out = self.out_type()
        self.fn(ctypes.byref(out), *[ctypes.byref(m) for m in memrefs])
        return out

    def __call__(self, *arrays):
        refs = [as_memref(a) for a in arrays]
        out = self.call_raw(refs)
        n = int(np.prod(list(out.sizes)))
        buf = (ctypes.c_char * (n * self.out_dtype.itemsize)).from_address(
            out.aligned + out.offset * self.out_dtype.itemsize)
        res = np.frombuffer(buf, dtype=self.out_dtype).reshape(list(out.sizes)).copy()
        _libc.free(out.allocated)
        return res

    def timed_call(self, refs):
        """Calls the kernel and frees its result (for timing loops)."""
        out = self.call_raw(refs)
        _libc.free(out.allocated)
