//===- InhibitorDialect.h - Inhibitor dialect -------------------*- C++ -*-===//

#ifndef INHIBITOR_IR_INHIBITORDIALECT_H
#define INHIBITOR_IR_INHIBITORDIALECT_H

#include "mlir/IR/Dialect.h"

#include "inhibitor/IR/InhibitorOpsDialect.h.inc"

namespace mlir::inhibitor {

/// A unit attribute the lowering to linalg puts on the score's sums
/// (`acc + |q - k|` over D) where no q - k can overflow the accumulator:
/// the narrow tiles behind their magnitude check. With it, and only with
/// it, --inhibitor-tile-and-vectorize computes 16-bit sums as sum q + sum k
/// - 2 sum min(q, k), equal modulo 2^16 to the wrapping sum of |q - k|
/// exactly when no difference wraps (docs/Codegen.md).
constexpr llvm::StringLiteral kExactDifferencesAttr =
    "inhibitor.exact_differences";

} // namespace mlir::inhibitor

#endif // INHIBITOR_IR_INHIBITORDIALECT_H
