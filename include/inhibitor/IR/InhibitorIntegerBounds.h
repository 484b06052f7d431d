//===- InhibitorIntegerBounds.h - Bounds of one inhibitor op ----*- C++ -*-===//
//
// The bounds of inhibitor/Analysis/IntegerBounds.h applied to one op: its
// dims, constants, mask and causal flag read from the IR. Used by the ops'
// InferIntRangeInterface (lib/IR/InferIntRangeInterfaceImpl.cpp) and by the
// passes of inhibitor/Analysis.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_IR_INHIBITORINTEGERBOUNDS_H
#define INHIBITOR_IR_INHIBITORINTEGERBOUNDS_H

#include "inhibitor/Analysis/IntegerBounds.h"
#include "mlir/IR/Operation.h"
#include "mlir/Interfaces/InferIntRangeInterface.h"

namespace mlir::inhibitor {

struct IntegerBoundsOptions {
  /// Upper bound on every dynamic dim (none: a sum over a dynamic dim is
  /// unbounded and said so).
  std::optional<int64_t> maxDim;
};

/// The exact bounds of every intermediate of `op` (an inhibitor op with an
/// integer accumulator) for operand element ranges `operandRanges` (one per
/// operand; the ranges of the destination are ignored). Failure for a float
/// accumulator or a non-inhibitor op.
FailureOr<bounds::OpBounds>
getIntegerBounds(Operation *op, ArrayRef<ConstantIntRanges> operandRanges,
                 const IntegerBoundsOptions &options = {});

/// The range of `op`'s result as it is computed in its accumulator of
/// `width` bits: the exact result where every intermediate fits, else what
/// wrapping can produce ([0, 2^(w-1) - 1] for a score, clamped at 0; every
/// value for the inhibition).
ConstantIntRanges computedResultRange(Operation *op,
                                      const bounds::OpBounds &bounds,
                                      unsigned width);

} // namespace mlir::inhibitor

#endif // INHIBITOR_IR_INHIBITORINTEGERBOUNDS_H
