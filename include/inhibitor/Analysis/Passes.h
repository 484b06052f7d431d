//===- Passes.h - Inhibitor analyses ----------------------------*- C++ -*-===//

#ifndef INHIBITOR_ANALYSIS_PASSES_H
#define INHIBITOR_ANALYSIS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::inhibitor {

#define GEN_PASS_DECL
#include "inhibitor/Analysis/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "inhibitor/Analysis/Passes.h.inc"

} // namespace mlir::inhibitor

#endif // INHIBITOR_ANALYSIS_PASSES_H
