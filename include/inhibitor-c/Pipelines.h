//===- Pipelines.h - C API of the inhibitor passes and pipelines --*- C -*-===//
//
// Pass and pipeline registration and the CPU pipeline as one call; the
// lowered module is JIT-compiled with mlir-c/ExecutionEngine.h (docs/C.md).
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_C_PIPELINES_H
#define INHIBITOR_C_PIPELINES_H

#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Registers every inhibitor pass and the `inhibitor-to-llvm` /
/// `inhibitor-to-gpu` pipelines with the global registry, so that
/// mlirParsePassPipeline and mlirOpPassManagerAddPipeline accept their names.
/// Idempotent.
MLIR_CAPI_EXPORTED void inhibitorRegisterPassesAndPipelines(void);

/// Adds `--inhibitor-to-llvm` with the given options (the pipeline's option
/// string, e.g. "target-cpu=host vector-bits=256"; empty for the defaults) to
/// `pm`, a pass manager on builtin.module. Bad options are reported through
/// the context's diagnostic handlers and yield failure.
MLIR_CAPI_EXPORTED MlirLogicalResult
inhibitorAddToLLVMPipeline(MlirPassManager pm, MlirStringRef options);

/// Runs `--inhibitor-to-llvm` with `options` on `module` in place: the result
/// is LLVM dialect, ready for mlirExecutionEngineCreate. Errors (bad options,
/// IR the pipeline cannot lower) go to the context's diagnostic handlers and
/// yield failure.
MLIR_CAPI_EXPORTED MlirLogicalResult
inhibitorRunToLLVMPipeline(MlirModule module, MlirStringRef options);

#ifdef __cplusplus
}
#endif

#endif // INHIBITOR_C_PIPELINES_H
