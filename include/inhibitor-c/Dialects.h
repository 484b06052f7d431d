//===- Dialects.h - C API of the inhibitor dialect ----------------*- C -*-===//
//
// The dialect handle and registration, for C drivers and bindings built on
// MLIR's C API (docs/C.md).
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_C_DIALECTS_H
#define INHIBITOR_C_DIALECTS_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

/// mlirGetDialectHandle__inhibitor__().
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Inhibitor, inhibitor);

/// Inserts the inhibitor dialect and everything `--inhibitor-to-llvm` needs
/// (the func, arith, tensor, linalg dialects and the bufferization, tiling
/// and value-bounds interface models) into `registry`.
MLIR_CAPI_EXPORTED void
inhibitorRegisterDialectAndDependencies(MlirDialectRegistry registry);

#ifdef __cplusplus
}
#endif

#endif // INHIBITOR_C_DIALECTS_H
