//===- InputRanges.cpp - Operand ranges for the integer passes ------------===//

#include "InputRanges.h"

#include "inhibitor/IR/InhibitorOps.h"
#include "mlir/Analysis/DataFlow/IntegerRangeAnalysis.h"
#include "mlir/Analysis/DataFlow/Utils.h"

using namespace mlir;
using namespace mlir::inhibitor;
using bounds::Interval;

static LogicalResult parseRange(Location loc, StringRef name,
                                ArrayRef<int64_t> values,
                                std::optional<Interval> &out) {
  if (values.empty())
    return success();
  if (values.size() != 2 || values[0] > values[1])
    return emitError(loc) << name
                          << " must be two integers lo,hi with lo <= hi";
  out = Interval(values[0], values[1]);
  return success();
}

LogicalResult InputAssumptions::parse(Location loc, unsigned bits,
                                      ArrayRef<int64_t> q, ArrayRef<int64_t> k,
                                      ArrayRef<int64_t> v, ArrayRef<int64_t> b,
                                      int64_t maxDim) {
  if (bits > 64)
    return emitError(loc) << "input-bits must be at most 64, got " << bits;
  if (maxDim < 0)
    return emitError(loc) << "max-dim must be >= 0, got " << maxDim;
  inputBits = bits;
  if (maxDim > 0)
    bounds.maxDim = maxDim;
  return success(succeeded(parseRange(loc, "query-range", q, query)) &&
                 succeeded(parseRange(loc, "key-range", k, key)) &&
                 succeeded(parseRange(loc, "value-range", v, value)) &&
                 succeeded(parseRange(loc, "bias-range", b, bias)));
}

std::string mlir::inhibitor::intTypeName(unsigned width) {
  return "i" + std::to_string(width);
}

/// `range` narrowed to what the user states for its operand (`stated`, else
/// `inputBits`), both clamped to the element type's values.
static ConstantIntRanges restrict(const ConstantIntRanges &range,
                                  const std::optional<Interval> &stated,
                                  unsigned inputBits) {
  unsigned width = range.smin().getBitWidth();
  std::optional<Interval> assumed = stated;
  if (!assumed && inputBits)
    assumed = Interval::ofSignedWidth(inputBits);
  if (!assumed)
    return range;
  Interval type = Interval::ofSignedWidth(width);
  APInt lo = assumed->lo().sgt(type.lo()) ? assumed->lo() : type.lo();
  APInt hi = assumed->hi().slt(type.hi()) ? assumed->hi() : type.hi();
  if (lo.sgt(hi)) // nothing of the stated range is a value of the type
    return range;
  ConstantIntRanges r =
      ConstantIntRanges::fromSigned(lo.trunc(width), hi.trunc(width));
  return range.intersection(r);
}

LogicalResult mlir::inhibitor::forEachInhibitorOpRanges(
    Operation *root, DataFlowSolver &solver,
    const InputAssumptions &assumptions,
    function_ref<void(const OpRanges &)> fn) {
  dataflow::loadBaselineAnalyses(solver);
  solver.load<dataflow::IntegerRangeAnalysis>();
  if (failed(solver.initializeAndRun(root)))
    return failure();

  // Results of the inhibitor ops seen so far, under the assumptions.
  DenseMap<Value, ConstantIntRanges> produced;
  root->walk([&](Operation *op) {
    if (!isa<ManhattanScoreOp, InhibitOp, AttentionOp>(op))
      return;
    Value result = op->getResult(0);
    unsigned width = ConstantIntRanges::getStorageBitwidth(result.getType());
    if (width == 0)
      return; // a float accumulator

    OpRanges info{op, {}, {}, width};
    for (Value operand : op->getOperands()) {
      unsigned w = ConstantIntRanges::getStorageBitwidth(operand.getType());
      ConstantIntRanges range =
          w ? ConstantIntRanges::maxRange(w) : ConstantIntRanges::maxRange(1);
      if (auto it = produced.find(operand); it != produced.end()) {
        range = it->second;
      } else if (w) {
        const auto *lattice =
            solver.lookupState<dataflow::IntegerValueRangeLattice>(operand);
        if (lattice && !lattice->getValue().isUninitialized())
          range = lattice->getValue().getValue();
      }
      info.operandRanges.push_back(range);
    }
    // The stated input ranges, by the operand's role.
    auto state = [&](OpOperand &operand, const std::optional<Interval> &s) {
      if (produced.count(operand.get()))
        return;
      ConstantIntRanges &r = info.operandRanges[operand.getOperandNumber()];
      r = restrict(r, s, assumptions.inputBits);
    };
    if (auto score = dyn_cast<ManhattanScoreOp>(op)) {
      state(score.getQueryMutable(), assumptions.query);
      state(score.getKeyMutable(), assumptions.key);
      for (OpOperand &bias : score.getBiasMutable())
        state(bias, assumptions.bias);
    } else if (auto inhibit = dyn_cast<InhibitOp>(op)) {
      state(inhibit.getValueMutable(), assumptions.value);
    } else if (auto attention = dyn_cast<AttentionOp>(op)) {
      state(attention.getQueryMutable(), assumptions.query);
      state(attention.getKeyMutable(), assumptions.key);
      state(attention.getValueMutable(), assumptions.value);
      for (OpOperand &bias : attention.getBiasMutable())
        state(bias, assumptions.bias);
    }

    FailureOr<bounds::OpBounds> b =
        getIntegerBounds(op, info.operandRanges, assumptions.bounds);
    if (failed(b))
      return;
    info.bounds = std::move(*b);
    produced.try_emplace(result, computedResultRange(op, info.bounds, width));
    fn(info);
  });
  return success();
}
