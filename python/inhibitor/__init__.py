"""Inhibitor attention (arXiv 2310.02041): compiler entry points and reference.

- :func:`compile` JIT-compiles MLIR (inhibitor ops and upstream tensor IR)
  with ``--inhibitor-to-llvm`` into a callable on NumPy arrays;
- :func:`attention` runs the fused ``inhibitor.attention`` kernel, compiled
  once per shapes, types and options;
- :mod:`inhibitor.reference` is the NumPy reference of SPEC section 1 (the
  compiler's contract);
- :mod:`inhibitor.approx` mirrors and calibrates the approximate key filter
  (``--inhibitor-approximate-filter``, docs/KeySkipping.md).

The compiled entry points load libInhibitorCAPI.so through ctypes when first
used (see :mod:`inhibitor._capi` for where it is looked for and why ctypes);
the reference needs only NumPy.
"""

from . import approx, reference
from ._capi import LibraryNotFound, library_path
from .jit import CompileError, Function, Kernel, compile
from .kernels import attention, attention_mlir

__all__ = ["reference", "approx", "compile", "attention", "attention_mlir", "CompileError",
           "Kernel", "Function", "LibraryNotFound", "library_path"]
