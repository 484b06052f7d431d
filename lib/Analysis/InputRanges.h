//===- InputRanges.h - Operand ranges for the integer passes ----*- C++ -*-===//
//
// Shared by --inhibitor-check-overflow, --inhibitor-narrow-accumulators and
// the test pass: the element ranges of every inhibitor op's operands (from
// upstream's IntegerRangeAnalysis, what a user states, and the bounds of the
// inhibitor op that produced an operand) and the op's bounds under them.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_LIB_ANALYSIS_INPUTRANGES_H
#define INHIBITOR_LIB_ANALYSIS_INPUTRANGES_H

#include "inhibitor/IR/InhibitorIntegerBounds.h"
#include "mlir/Analysis/DataFlowFramework.h"

namespace mlir::inhibitor {

/// What a user states about the inputs (the passes' options).
struct InputAssumptions {
  /// Every input takes the values of a signed integer of this many bits
  /// (0: none stated).
  unsigned inputBits = 0;
  std::optional<bounds::Interval> query, key, value, bias;
  IntegerBoundsOptions bounds;

  /// Reads the options; an error (at `loc`) for a malformed range.
  LogicalResult parse(Location loc, unsigned inputBits, ArrayRef<int64_t> query,
                      ArrayRef<int64_t> key, ArrayRef<int64_t> value,
                      ArrayRef<int64_t> bias, int64_t maxDim);
};

/// One inhibitor op with an integer accumulator, its operand ranges and
/// bounds.
struct OpRanges {
  Operation *op;
  SmallVector<ConstantIntRanges> operandRanges;
  bounds::OpBounds bounds;
  unsigned accumulatorWidth;
};

/// Runs upstream's IntegerRangeAnalysis on `root` (into `solver`) and calls
/// `fn` for each inhibitor op with an integer accumulator under `root`, in
/// program order.
LogicalResult forEachInhibitorOpRanges(Operation *root, DataFlowSolver &solver,
                                       const InputAssumptions &assumptions,
                                       function_ref<void(const OpRanges &)> fn);

/// "i16" for 16.
std::string intTypeName(unsigned width);

} // namespace mlir::inhibitor

#endif // INHIBITOR_LIB_ANALYSIS_INPUTRANGES_H
