"""Compile MLIR text with --inhibitor-to-llvm and call it on NumPy arrays.

    kernel = inhibitor.compile(text)          # or a path to a .mlir file
    h = kernel(q, k, v)                      # the first public func.func
    h = kernel["other"](x)                   # another function by name

Each public ``func.func`` whose arguments and results are ranked tensors or
memrefs of i1/i8/i16/i32/i64/f16/bf16/f32/f64 becomes callable. Arguments are
checked (rank, static sizes, dtype) and passed as memref descriptors without
copies when C-contiguous; results come back as new NumPy arrays. Compiled
kernels are cached per (text, pipeline, opt_level).
"""

import ctypes
import os
import threading

import numpy as np

from . import _capi
from .reference import to_bfloat16


class CompileError(RuntimeError):
    """The MLIR text did not parse or verify, or the pipeline failed on it.

    ``diagnostics`` holds MLIR's messages (also in the exception text).
    """

    def __init__(self, what, diagnostics):
        self.diagnostics = list(diagnostics)
        text = what
        if self.diagnostics:
            text += ":\n" + "\n".join("  " + d for d in self.diagnostics)
        super().__init__(text)


_DTYPES = {
    "i1": np.dtype(np.bool_),
    "i8": np.dtype(np.int8),
    "i16": np.dtype(np.int16),
    "i32": np.dtype(np.int32),
    "i64": np.dtype(np.int64),
    "f16": np.dtype(np.float16),
    "bf16": np.dtype(np.uint16),  # storage; float32 values at the interface
    "f32": np.dtype(np.float32),
    "f64": np.dtype(np.float64),
}


class _MemRefType:
    """Rank, static sizes (None = dynamic) and element type of one argument."""

    def __init__(self, rank, sizes, element):
        self.rank, self.sizes, self.element = rank, tuple(sizes), element
        self.storage = _DTYPES[element]
        fields = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
                  ("offset", ctypes.c_int64)]
        if rank:
            fields += [("sizes", ctypes.c_int64 * rank), ("strides", ctypes.c_int64 * rank)]
        self.descriptor = type(f"MemRef{rank}D", (ctypes.Structure,), {"_fields_": fields})

    def __str__(self):
        dims = "x".join("?" if s is None else str(s) for s in self.sizes)
        return f"{dims}x{self.element}" if self.rank else self.element

    def to_storage(self, value, what):
        """A C-contiguous, aligned array of the storage dtype, after the
        checks."""
        a = np.asarray(value)
        if self.element == "bf16":
            if a.dtype.kind != "f":
                raise TypeError(f"{what}: expected a float array (bf16), got {a.dtype}")
            a = to_bfloat16(a).view(np.uint32)
            a = (a >> np.uint32(16)).astype(np.uint16)
        elif a.dtype != self.storage:
            raise TypeError(
                f"{what}: expected a {self.storage.name} array ({self}), got {a.dtype.name}")
        if a.ndim != self.rank:
            raise ValueError(
                f"{what}: expected {self.rank} dims ({self}), got shape {a.shape}")
        for i, (want, got) in enumerate(zip(self.sizes, a.shape)):
            if want is not None and want != got:
                raise ValueError(
                    f"{what}: dim {i} must be {want} ({self}), got shape {a.shape}")
        # C order and aligned to the element (a view of a byte buffer at an
        # odd offset is copied, not passed misaligned).
        return np.require(a, requirements=["C_CONTIGUOUS", "ALIGNED"])

    def wrap(self, a):
        d = self.descriptor()
        d.allocated = d.aligned = a.ctypes.data
        d.offset = 0
        for i in range(self.rank):
            d.sizes[i] = a.shape[i]
            d.strides[i] = a.strides[i] // a.itemsize
        return d

    def unwrap(self, d):
        """A NumPy copy of a result descriptor's elements."""
        shape = tuple(d.sizes[i] for i in range(self.rank))
        strides = tuple(d.strides[i] * self.storage.itemsize for i in range(self.rank))
        out = np.empty(shape, self.storage)
        if out.size:
            base = d.aligned + d.offset * self.storage.itemsize
            span = sum((n - 1) * s for n, s in zip(shape, strides)) + self.storage.itemsize
            buf = (ctypes.c_char * span).from_address(base)
            out[...] = np.ndarray(shape, self.storage, buffer=buf, strides=strides)
        if self.element == "bf16":
            out = (out.astype(np.uint32) << np.uint32(16)).view(np.float32)
        return out


def _shaped_type(t, what):
    c = _capi.lib()
    if not (c.mlirTypeIsARankedTensor(t) or c.mlirTypeIsAMemRef(t)):
        raise CompileError(f"{what} has type {_capi.type_str(t)}", [
            "only ranked tensors and memrefs can be passed from NumPy"])
    rank = c.mlirShapedTypeGetRank(t)
    sizes = [None if c.mlirShapedTypeIsDynamicDim(t, i) else c.mlirShapedTypeGetDimSize(t, i)
             for i in range(rank)]
    element = _capi.type_str(c.mlirShapedTypeGetElementType(t))
    if element not in _DTYPES:
        raise CompileError(f"{what} has type {_capi.type_str(t)}", [
            f"element type {element} is not one of {', '.join(_DTYPES)}"])
    return _MemRefType(rank, sizes, element)


class Function:
    """One compiled function: call it with NumPy arrays."""

    def __init__(self, kernel, name, inputs, results):
        self._kernel, self.name = kernel, name
        self.inputs, self.results = inputs, results
        address = _capi.lib().mlirExecutionEngineLookupPacked(
            kernel._engine, _capi.StringRef.of("_mlir_ciface_" + name))
        if not address:
            raise CompileError(f"function @{name} is missing from the JIT", [])
        self._packed = _capi.PackedFunction(address)

    def __repr__(self):
        ins = ", ".join(map(str, self.inputs))
        outs = ", ".join(map(str, self.results))
        return f"<inhibitor function @{self.name}({ins}) -> ({outs})>"

    def __call__(self, *args):
        if len(args) != len(self.inputs):
            raise TypeError(
                f"@{self.name} takes {len(self.inputs)} arrays ({self!r}), got {len(args)}")
        arrays = [t.to_storage(a, f"@{self.name} argument {i}")
                  for i, (t, a) in enumerate(zip(self.inputs, args))]
        descriptors = [t.wrap(a) for t, a in zip(self.inputs, arrays)]
        # _mlir_ciface_<name>(results*, arg0*, arg1*, ...): one result is
        # returned through a descriptor, several through a struct of them.
        pointers = [ctypes.pointer(d) for d in descriptors]
        result = None
        if len(self.results) == 1:
            result = self.results[0].descriptor()
        elif self.results:
            result = type("Results", (ctypes.Structure,), {"_fields_": [
                (f"r{i}", t.descriptor) for i, t in enumerate(self.results)]})()
        if result is not None:
            pointers.insert(0, ctypes.pointer(result))
        slots = [ctypes.cast(ctypes.pointer(p), ctypes.c_void_p) for p in pointers]
        packed = (ctypes.c_void_p * max(len(slots), 1))(*[s.value for s in slots])
        self._packed(packed)

        if result is None:
            return None
        outs = [result] if len(self.results) == 1 else [
            getattr(result, f"r{i}") for i in range(len(self.results))]
        values = [t.unwrap(d) for t, d in zip(self.results, outs)]
        _free_results(outs, arrays)
        return values[0] if len(values) == 1 else tuple(values)


_libc = ctypes.CDLL(None)
_libc.free.argtypes = [ctypes.c_void_p]
_libc.free.restype = None


def _free_results(descriptors, arguments):
    """Frees the buffers the kernel allocated for its results (the caller owns
    them), never an argument's buffer returned as is, each buffer once."""
    borrowed = [(a.ctypes.data, a.ctypes.data + a.nbytes) for a in arguments]
    freed = set()
    for d in descriptors:
        p = d.allocated
        if not p or p in freed or any(lo <= p < max(hi, lo + 1) for lo, hi in borrowed):
            continue
        freed.add(p)
        _libc.free(p)


class Kernel:
    """A compiled module: call it (its first public function) or index it by
    function name."""

    def __init__(self, functions, engine):
        self._engine = engine
        self.functions = {}
        for name, (inputs, results) in functions.items():
            self.functions[name] = Function(self, name, inputs, results)
        self._default = next(iter(self.functions.values()), None)

    def __getitem__(self, name):
        try:
            return self.functions[name]
        except KeyError:
            raise KeyError(f"no public function @{name}; have "
                           f"{', '.join('@' + n for n in self.functions)}") from None

    def __call__(self, *args):
        if self._default is None:
            raise TypeError("the module has no public function to call")
        return self._default(*args)

    def __repr__(self):
        return "<inhibitor kernel " + ", ".join(map(repr, self.functions.values())) + ">"

    def __del__(self):
        engine = getattr(self, "_engine", None)
        if engine and _capi._lib is not None:
            _capi._lib.mlirExecutionEngineDestroy(engine)
            self._engine = None


class _Session:
    """One MLIR context for the process, with every diagnostic collected."""

    def __init__(self):
        c = _capi.lib()
        self.ctx = c.mlirContextCreate()
        registry = c.mlirDialectRegistryCreate()
        c.inhibitorRegisterDialectAndDependencies(registry)
        c.mlirContextAppendDialectRegistry(self.ctx, registry)
        c.mlirDialectRegistryDestroy(registry)
        self.diagnostics = []

        def on_diagnostic(diagnostic, _):
            parts = []
            c.mlirDiagnosticPrint(diagnostic, _capi.StringCallback(
                lambda s, _: parts.append(s.str())), None)
            self.diagnostics.append("".join(parts))
            return 1  # handled

        self._handler = _capi.DiagnosticHandler(on_diagnostic)
        c.mlirContextAttachDiagnosticHandler(self.ctx, self._handler, None, None)

    def take_diagnostics(self):
        out, self.diagnostics = self.diagnostics, []
        return out


_session = None
_cache = {}
_lock = threading.RLock()


def _read_source(mlir_text_or_file):
    if isinstance(mlir_text_or_file, os.PathLike) or (
            isinstance(mlir_text_or_file, str) and "\n" not in mlir_text_or_file
            and "{" not in mlir_text_or_file and mlir_text_or_file.endswith(".mlir")):
        with open(mlir_text_or_file, encoding="utf-8") as f:
            return f.read()
    if not isinstance(mlir_text_or_file, str):
        raise TypeError("expected MLIR text or a path to a .mlir file, got "
                        f"{type(mlir_text_or_file).__name__}")
    return mlir_text_or_file


def _public_functions(module):
    """name -> (input types, result types) of the module's public func.funcs,
    each marked llvm.emit_c_interface for the JIT."""
    c = _capi.lib()
    functions = {}
    op = c.mlirBlockGetFirstOperation(c.mlirModuleGetBody(module))
    while op:
        name = c.mlirIdentifierStr(c.mlirOperationGetName(op)).str()
        visibility = c.mlirOperationGetAttributeByName(op, _capi.StringRef.of("sym_visibility"))
        if name == "func.func" and not visibility:
            sym = c.mlirStringAttrGetValue(
                c.mlirOperationGetAttributeByName(op, _capi.StringRef.of("sym_name"))).str()
            ftype = c.mlirTypeAttrGetValue(
                c.mlirOperationGetAttributeByName(op, _capi.StringRef.of("function_type")))
            inputs = [_shaped_type(c.mlirFunctionTypeGetInput(ftype, i),
                                   f"@{sym} argument {i}")
                      for i in range(c.mlirFunctionTypeGetNumInputs(ftype))]
            results = [_shaped_type(c.mlirFunctionTypeGetResult(ftype, i),
                                    f"@{sym} result {i}")
                       for i in range(c.mlirFunctionTypeGetNumResults(ftype))]
            functions[sym] = (inputs, results)
            c.mlirOperationSetAttributeByName(
                op, _capi.StringRef.of("llvm.emit_c_interface"),
                c.mlirUnitAttrGet(_session.ctx))
        op = c.mlirOperationGetNextInBlock(op)
    return functions


def _lower(module, pipeline):
    c = _capi.lib()
    if pipeline is None or not pipeline.lstrip().startswith("builtin.module("):
        result = c.inhibitorRunToLLVMPipeline(module, _capi.StringRef.of(pipeline or ""))
        return not result.failed()
    pm = c.mlirPassManagerCreate(_session.ctx)
    try:
        errors = []
        parsed = c.mlirParsePassPipeline(
            c.mlirPassManagerGetAsOpPassManager(pm), _capi.StringRef.of(pipeline),
            _capi.StringCallback(lambda s, _: errors.append(s.str())), None)
        if parsed.failed():
            _session.diagnostics.append("".join(errors).strip())
            return False
        return not c.mlirPassManagerRunOnOp(pm, c.mlirModuleGetOperation(module)).failed()
    finally:
        c.mlirPassManagerDestroy(pm)


def compile(mlir_text_or_file, pipeline=None, *, opt_level=2):  # noqa: A001
    """JIT-compile MLIR (text, or a path to a .mlir file) into a Kernel.

    pipeline: None for ``--inhibitor-to-llvm`` with its defaults; options of
    that pipeline (``"target-cpu=znver4 vector-bits=512"``); or a whole
    textual pass pipeline (``"builtin.module(...)"``) that ends in the LLVM
    dialect. opt_level: LLVM's, 0-3. Raises CompileError with MLIR's
    diagnostics when the text does not parse or the pipeline fails.
    """
    global _session
    text = _read_source(mlir_text_or_file)
    if pipeline is not None and not isinstance(pipeline, str):
        raise TypeError(f"pipeline must be a string or None, got {type(pipeline).__name__}")
    if opt_level not in (0, 1, 2, 3):
        raise ValueError(f"opt_level must be 0, 1, 2 or 3, got {opt_level!r}")
    key = (text, pipeline, opt_level)
    with _lock:
        if key in _cache:
            return _cache[key]
        c = _capi.lib()
        if _session is None:
            _session = _Session()
        _session.take_diagnostics()
        module = c.mlirModuleCreateParse(_session.ctx, _capi.StringRef.of(text))
        if not module:
            raise CompileError("the MLIR text does not parse or verify",
                               _session.take_diagnostics())
        try:
            functions = _public_functions(module)
            if not _lower(module, pipeline):
                raise CompileError(
                    f"the pipeline {pipeline or 'inhibitor-to-llvm'!r} failed",
                    _session.take_diagnostics())
            engine = c.mlirExecutionEngineCreate(module, opt_level, 0, None, False, False)
            if not engine:
                raise CompileError("the lowered module could not be JIT-compiled "
                                   "(is it all LLVM dialect?)", _session.take_diagnostics())
        finally:
            c.mlirModuleDestroy(module)
        kernel = Kernel(functions, engine)
        _cache[key] = kernel
        return kernel
