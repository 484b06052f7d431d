"""ctypes bindings of the few C API functions the package uses.

Why ctypes and not a pybind11/nanobind extension: Debian ships no MLIR Python
bindings, and an extension module would be built against one Python ABI and
one pybind11 version.  libInhibitorCAPI.so (lib/CAPI) is a plain C library:
ctypes loads it into any python3 with NumPy, as is, and the CMake build needs
no Python at all.  The C API is small and stable enough that declaring the
~40 functions used here by hand costs less than a binding layer.

The library is found, in order, at $INHIBITOR_CAPI_LIBRARY (a file),
$INHIBITOR_BUILD_DIR/lib, the build/ directory of the source checkout this
package sits in, <prefix>/lib of a CMake install (<prefix>/python/inhibitor),
and the path `cmake --install` wrote into inhibitor/_install_paths.py, which
a `pip install <prefix>/python` copies along: an installed package needs no
environment variable.
"""

import ctypes
import os
import threading

_LIBNAME = "libInhibitorCAPI.so"


class LibraryNotFound(ImportError):
    """libInhibitorCAPI.so is not built or not where the package looks."""


def _candidates():
    env = os.environ.get("INHIBITOR_CAPI_LIBRARY")
    if env:
        yield env
        return
    here = os.path.dirname(os.path.abspath(__file__))
    build = os.environ.get("INHIBITOR_BUILD_DIR")
    if build:
        yield os.path.join(build, "lib", _LIBNAME)
    yield os.path.join(here, os.pardir, os.pardir, "build", "lib", _LIBNAME)
    yield os.path.join(here, os.pardir, os.pardir, "lib", _LIBNAME)
    try:  # Only in an install tree (cmake/CMakeLists.txt writes it).
        from . import _install_paths
    except ImportError:
        return
    yield _install_paths.CAPI_LIBRARY


def library_path() -> str:
    """The path of libInhibitorCAPI.so, or LibraryNotFound saying where it looked."""
    tried = []
    for path in _candidates():
        path = os.path.normpath(path)
        if os.path.isfile(path):
            return path
        tried.append(path)
    raise LibraryNotFound(
        f"{_LIBNAME} not found (looked at {', '.join(tried)}); build it "
        "(scripts/build) or set INHIBITOR_CAPI_LIBRARY to its path"
    )


# One-pointer handles of the C API (MlirContext, MlirModule, ...).
class _Handle(ctypes.Structure):
    _fields_ = [("ptr", ctypes.c_void_p)]

    def __bool__(self):
        return bool(self.ptr)


class Context(_Handle): pass
class DialectRegistry(_Handle): pass
class Module(_Handle): pass
class Operation(_Handle): pass
class Block(_Handle): pass
class Type(_Handle): pass
class Attribute(_Handle): pass
class Identifier(_Handle): pass
class PassManager(_Handle): pass
class OpPassManager(_Handle): pass
class ExecutionEngine(_Handle): pass


class StringRef(ctypes.Structure):
    # `data` is a raw pointer: MLIR's strings are not NUL-terminated, and a
    # ctypes.c_char_p field would be read with strlen, past the end (found
    # by the sanitizer build, docs/Testing.md).
    _fields_ = [("data", ctypes.c_void_p), ("length", ctypes.c_size_t)]

    @classmethod
    def of(cls, text: str) -> "StringRef":
        raw = text.encode()
        buf = ctypes.create_string_buffer(raw, len(raw) + 1)
        ref = cls(ctypes.addressof(buf), len(raw))
        ref._buffer = buf  # alive as long as the StringRef
        return ref

    def str(self) -> str:
        if not self.data or not self.length:
            return ""
        return ctypes.string_at(self.data, self.length).decode(errors="replace")


class LogicalResult(ctypes.Structure):
    _fields_ = [("value", ctypes.c_int8)]

    def failed(self) -> bool:
        return self.value == 0


# Callbacks: ctypes callbacks cannot return structures; MlirLogicalResult is
# returned as its one int8 and MlirDiagnostic passed as its one pointer (the
# same registers in the C calling convention).
StringCallback = ctypes.CFUNCTYPE(None, StringRef, ctypes.c_void_p)
DiagnosticHandler = ctypes.CFUNCTYPE(ctypes.c_int8, ctypes.c_void_p, ctypes.c_void_p)
PackedFunction = ctypes.CFUNCTYPE(None, ctypes.POINTER(ctypes.c_void_p))

class AttentionShape(ctypes.Structure):
    """InhibitorAttentionShape of inhibitor-c/Analysis.h."""
    _fields_ = [("queryKeyBits", ctypes.c_uint), ("valueBits", ctypes.c_uint),
                ("biasBits", ctypes.c_uint), ("queries", ctypes.c_int64),
                ("keys", ctypes.c_int64), ("headDim", ctypes.c_int64),
                ("gamma", ctypes.c_int64), ("alpha", ctypes.c_int64),
                ("isSigned", ctypes.c_bool), ("causal", ctypes.c_bool),
                ("masked", ctypes.c_bool)]


_SIGNATURES = {
    # mlir-c/IR.h
    "mlirContextCreate": (Context, []),
    "mlirContextDestroy": (None, [Context]),
    "mlirContextAppendDialectRegistry": (None, [Context, DialectRegistry]),
    "mlirDialectRegistryCreate": (DialectRegistry, []),
    "mlirDialectRegistryDestroy": (None, [DialectRegistry]),
    "mlirModuleCreateParse": (Module, [Context, StringRef]),
    "mlirModuleDestroy": (None, [Module]),
    "mlirModuleGetBody": (Block, [Module]),
    "mlirModuleGetOperation": (Operation, [Module]),
    "mlirBlockGetFirstOperation": (Operation, [Block]),
    "mlirOperationGetNextInBlock": (Operation, [Operation]),
    "mlirOperationGetName": (Identifier, [Operation]),
    "mlirOperationGetAttributeByName": (Attribute, [Operation, StringRef]),
    "mlirOperationSetAttributeByName": (None, [Operation, StringRef, Attribute]),
    "mlirIdentifierStr": (StringRef, [Identifier]),
    "mlirTypePrint": (None, [Type, StringCallback, ctypes.c_void_p]),
    # mlir-c/BuiltinAttributes.h, BuiltinTypes.h
    "mlirStringAttrGetValue": (StringRef, [Attribute]),
    "mlirTypeAttrGetValue": (Type, [Attribute]),
    "mlirUnitAttrGet": (Attribute, [Context]),
    "mlirFunctionTypeGetNumInputs": (ctypes.c_ssize_t, [Type]),
    "mlirFunctionTypeGetNumResults": (ctypes.c_ssize_t, [Type]),
    "mlirFunctionTypeGetInput": (Type, [Type, ctypes.c_ssize_t]),
    "mlirFunctionTypeGetResult": (Type, [Type, ctypes.c_ssize_t]),
    "mlirTypeIsARankedTensor": (ctypes.c_bool, [Type]),
    "mlirTypeIsAMemRef": (ctypes.c_bool, [Type]),
    "mlirShapedTypeGetRank": (ctypes.c_int64, [Type]),
    "mlirShapedTypeGetDimSize": (ctypes.c_int64, [Type, ctypes.c_ssize_t]),
    "mlirShapedTypeIsDynamicDim": (ctypes.c_bool, [Type, ctypes.c_ssize_t]),
    "mlirShapedTypeGetElementType": (Type, [Type]),
    # mlir-c/Diagnostics.h
    "mlirContextAttachDiagnosticHandler": (
        ctypes.c_uint64, [Context, DiagnosticHandler, ctypes.c_void_p, ctypes.c_void_p]),
    "mlirDiagnosticPrint": (None, [ctypes.c_void_p, StringCallback, ctypes.c_void_p]),
    # mlir-c/Pass.h
    "mlirPassManagerCreate": (PassManager, [Context]),
    "mlirPassManagerDestroy": (None, [PassManager]),
    "mlirPassManagerGetAsOpPassManager": (OpPassManager, [PassManager]),
    "mlirPassManagerRunOnOp": (LogicalResult, [PassManager, Operation]),
    "mlirParsePassPipeline": (
        LogicalResult, [OpPassManager, StringRef, StringCallback, ctypes.c_void_p]),
    # mlir-c/ExecutionEngine.h
    "mlirExecutionEngineCreate": (
        ExecutionEngine,
        [Module, ctypes.c_int, ctypes.c_int, ctypes.POINTER(StringRef), ctypes.c_bool,
         ctypes.c_bool]),
    "mlirExecutionEngineDestroy": (None, [ExecutionEngine]),
    "mlirExecutionEngineLookupPacked": (ctypes.c_void_p, [ExecutionEngine, StringRef]),
    # inhibitor-c/Analysis.h
    "inhibitorAttentionAccumulatorBits": (
        ctypes.c_uint, [ctypes.POINTER(AttentionShape)]),
    # inhibitor-c/Dialects.h, Pipelines.h
    "inhibitorRegisterDialectAndDependencies": (None, [DialectRegistry]),
    "inhibitorRegisterPassesAndPipelines": (None, []),
    "inhibitorRunToLLVMPipeline": (LogicalResult, [Module, StringRef]),
}

_lib = None
_lock = threading.Lock()


def lib() -> ctypes.CDLL:
    """The loaded library with its functions declared (loaded once)."""
    global _lib
    with _lock:
        if _lib is None:
            path = library_path()
            loaded = ctypes.CDLL(path)
            for name, (restype, argtypes) in _SIGNATURES.items():
                fn = getattr(loaded, name)
                fn.restype = restype
                fn.argtypes = argtypes
            loaded.inhibitorRegisterPassesAndPipelines()
            _lib = loaded
        return _lib


def type_str(t: Type) -> str:
    """The textual form of a type (e.g. 'i16', 'tensor<4x8xi16>')."""
    parts = []
    cb = StringCallback(lambda s, _: parts.append(s.str()))
    lib().mlirTypePrint(t, cb, None)
    return "".join(parts)
