//===- InitInhibitorTool.h - What every inhibitor tool registers -*- C++
//-*-===//
//
// inhibitor-opt, inhibitor-lsp-server, inhibitor-reduce and the fuzzers
// accept the same IR: every upstream dialect, extension and pass, the
// LLVM IR translations (gpu-module-to-binary in --inhibitor-to-gpu), and
// ours. Tools only: the C API and the plugin register just what they need
// (include/inhibitor/InitInhibitor.h) and stay clear of InitAllDialects.h.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_TOOLS_INITINHIBITORTOOL_H
#define INHIBITOR_TOOLS_INITINHIBITORTOOL_H

#include "inhibitor/InitInhibitor.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

namespace mlir::inhibitor {

/// Every upstream dialect and extension, the LLVM IR translations and the
/// inhibitor dialect.
inline void registerToolDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registerInhibitorDialect(registry);
}

/// What a tool that runs passes registers: our subset models of tensor slices
/// and vector transfers first (an op keeps the first model of an interface;
/// include/inhibitor/Pipelines/Pipelines.h), then registerToolDialects.
inline void registerToolDialectsForPasses(DialectRegistry &registry) {
  registerSliceSubsetModels(registry);
  registerToolDialects(registry);
}

/// Every upstream pass and every inhibitor pass and pipeline.
inline void registerToolPasses() {
  registerAllPasses();
  registerInhibitorPassesAndPipelines();
}

} // namespace mlir::inhibitor

#endif // INHIBITOR_TOOLS_INITINHIBITORTOOL_H
