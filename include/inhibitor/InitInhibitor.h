//===- InitInhibitor.h - Register everything inhibitor provides -*- C++ -*-===//
//
// One call each for the dialect, the passes and the pipelines, shared by
// inhibitor-opt, the mlir-opt plugin and the C API.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_INITINHIBITOR_H
#define INHIBITOR_INITINHIBITOR_H

#include "inhibitor/Analysis/Passes.h"
#include "inhibitor/Codegen/Passes.h"
#include "inhibitor/Conversion/Passes.h"
#include "inhibitor/IR/InhibitorDialect.h"
#include "inhibitor/Pipelines/Pipelines.h"
#include "inhibitor/Transforms/Passes.h"
#include "mlir/IR/DialectRegistry.h"

namespace mlir::inhibitor {

inline void registerInhibitorDialect(DialectRegistry &registry) {
  registry.insert<InhibitorDialect>();
}

/// Registers the dialect plus what `--inhibitor-to-llvm` needs, for drivers
/// that do not register every upstream dialect (the C API, embedders).
inline void registerInhibitorDialectAndDependencies(DialectRegistry &registry) {
  registerInhibitorDialect(registry);
  registerInhibitorToLLVMDependencies(registry);
}

/// Registers every inhibitor pass and pipeline with the global registry.
inline void registerInhibitorPassesAndPipelines() {
  registerInhibitorTransformsPasses();
  registerInhibitorAnalysisPasses();
  registerInhibitorConversionPasses();
  registerInhibitorCodegenPasses();
  registerInhibitorPipelines();
}

} // namespace mlir::inhibitor

#endif // INHIBITOR_INITINHIBITOR_H
