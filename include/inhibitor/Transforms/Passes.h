//===- Passes.h - Inhibitor within-dialect passes ---------------*- C++ -*-===//

#ifndef INHIBITOR_TRANSFORMS_PASSES_H
#define INHIBITOR_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace inhibitor {

#define GEN_PASS_DECL
#include "inhibitor/Transforms/Passes.h.inc"

/// Patterns that split unmasked `inhibitor.attention` into its parts.
void populateInhibitorDecomposePatterns(RewritePatternSet &patterns);

/// The approximate key filter (`--inhibitor-approximate-filter`): rewrites
/// each `inhibitor.attention` carrying `inhibitor.approx_thresholds`.
void populateInhibitorApproximateFilterPatterns(RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "inhibitor/Transforms/Passes.h.inc"

} // namespace inhibitor
} // namespace mlir

#endif // INHIBITOR_TRANSFORMS_PASSES_H
