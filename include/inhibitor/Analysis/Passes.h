//===- Passes.h - Inhibitor analyses ----------------------------*- C++ -*-===//
//
// Analyses that report on a module without changing it: what an encrypted
// (TFHE) backend would execute, ranges and overflow.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_ANALYSIS_PASSES_H
#define INHIBITOR_ANALYSIS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::inhibitor {

#define GEN_PASS_DECL
#include "inhibitor/Analysis/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "inhibitor/Analysis/Passes.h.inc"

} // namespace mlir::inhibitor

#endif // INHIBITOR_ANALYSIS_PASSES_H
