//===- NarrowAccumulators.cpp - --inhibitor-narrow-accumulators -----------===//
//
// Gives each inhibitor op with an integer accumulator the narrowest
// accumulator that holds every intermediate of its arithmetic, widening the
// result once after the op. The op's lowerings compute everything (the
// score's partial sums over D, the fused kernel's score tiles and partial
// sums over key tiles) in the accumulator type, so a narrower type narrows
// all of them; the bounds prove no step wraps, so no result changes.
//
//===----------------------------------------------------------------------===//

#include "InputRanges.h"
#include "inhibitor/Analysis/Passes.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Analysis/DataFlowFramework.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORNARROWACCUMULATORS
#include "inhibitor/Analysis/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;

/// True when the op's integer constants (gamma, alpha) are values of iN.
static bool constantsFit(Operation *op, unsigned width) {
  for (StringRef name : {"gamma", "alpha"})
    if (auto c = op->getAttrOfType<IntegerAttr>(name))
      if (!c.getValue().isSignedIntN(width))
        return false;
  return true;
}

/// `value` (a tensor of integers whose values fit iN, proven by the caller)
/// as a tensor of at most `width`-bit integers: itself when narrow enough,
/// else the source of its arith.extsi (narrowed), else an arith.trunci.
static Value narrowInput(OpBuilder &b, Location loc, Value value,
                         unsigned width) {
  auto ty = cast<RankedTensorType>(value.getType());
  if (ty.getElementTypeBitWidth() <= width)
    return value;
  // An extension keeps the values: narrow its source instead.
  if (auto ext = value.getDefiningOp<arith::ExtSIOp>())
    return narrowInput(b, loc, ext.getIn(), width);
  return arith::TruncIOp::create(b, loc, ty.clone(b.getIntegerType(width)),
                                 value)
      .getResult();
}

/// Rebuilds `op` with a `width`-bit accumulator; its users read the result
/// sign-extended back to the original type.
static void narrowOp(Operation *op, unsigned width) {
  OpBuilder b(op);
  Location loc = op->getLoc();
  IntegerType narrow = b.getIntegerType(width);
  auto dps = cast<DestinationStyleOpInterface>(op);
  IRMapping map;
  for (OpOperand &operand : op->getOpOperands()) {
    Value v = operand.get();
    auto ty = cast<RankedTensorType>(v.getType());
    if (dps.isDpsInit(&operand)) {
      // The destination's contents are ignored: a new empty one.
      map.map(v, tensor::EmptyOp::create(
                     b, loc, tensor::getMixedSizes(b, loc, v), narrow)
                     .getResult());
      continue;
    }
    if (ty.getElementType().isInteger(1) || map.contains(v))
      continue; // a mask, or a value already mapped (Q used as K)
    Value n = narrowInput(b, loc, v, width);
    if (n != v)
      map.map(v, n);
  }
  // Q and K share one element type: the narrower of the two is extended.
  Value query, key;
  if (auto score = dyn_cast<ManhattanScoreOp>(op))
    query = score.getQuery(), key = score.getKey();
  if (auto attention = dyn_cast<AttentionOp>(op))
    query = attention.getQuery(), key = attention.getKey();
  if (query) {
    Value q = map.lookupOrDefault(query), k = map.lookupOrDefault(key);
    auto qTy = cast<RankedTensorType>(q.getType());
    auto kTy = cast<RankedTensorType>(k.getType());
    if (qTy.getElementType() != kTy.getElementType()) {
      bool widenQuery =
          qTy.getElementTypeBitWidth() < kTy.getElementTypeBitWidth();
      Value narrower = widenQuery ? q : k;
      Type element = (widenQuery ? kTy : qTy).getElementType();
      Value widened =
          arith::ExtSIOp::create(
              b, loc, cast<RankedTensorType>(narrower.getType()).clone(element),
              narrower)
              .getResult();
      map.map(widenQuery ? query : key, widened);
    }
  }
  // The bias has the accumulator type exactly.
  auto biasOperand = [&]() -> MutableOperandRange {
    if (auto score = dyn_cast<ManhattanScoreOp>(op))
      return score.getBiasMutable();
    return cast<AttentionOp>(op).getBiasMutable();
  };
  if (isa<ManhattanScoreOp, AttentionOp>(op))
    for (OpOperand &bias : biasOperand()) {
      Value b0 = map.lookupOrDefault(bias.get());
      auto ty = cast<RankedTensorType>(b0.getType());
      if (ty.getElementTypeBitWidth() < width)
        map.map(
            bias.get(),
            arith::ExtSIOp::create(b, loc, ty.clone(narrow), b0).getResult());
    }
  Operation *narrowed = b.clone(*op, map);
  Value oldResult = op->getResult(0);
  auto oldTy = cast<RankedTensorType>(oldResult.getType());
  narrowed->getResult(0).setType(oldTy.clone(narrow));
  for (StringRef name : {"gamma", "alpha"})
    if (auto c = op->getAttrOfType<IntegerAttr>(name))
      narrowed->setAttr(name,
                        IntegerAttr::get(narrow, c.getValue().trunc(width)));
  if (auto attention = dyn_cast<AttentionOp>(narrowed)) {
    // narrow_sums (16-bit key tiles under a wider accumulator) has no
    // meaning for an accumulator of 16 bits or less.
    if (width <= 16)
      attention.removeNarrowSumsAttr();
    // The bounds hold every q - k in `width` bits, the data's width or
    // more: no difference wraps (the score through min(q, k) for i16 data
    // under an i16 accumulator without a run-time check,
    // FusedAttentionToLinalg.cpp).
    attention.setExactDifferences(true);
  }
  Value widened = arith::ExtSIOp::create(b, loc, oldTy, narrowed->getResult(0));
  oldResult.replaceAllUsesWith(widened);
  op->erase();
}

namespace {
struct NarrowAccumulatorsPass
    : inhibitor::impl::InhibitorNarrowAccumulatorsBase<NarrowAccumulatorsPass> {
  using InhibitorNarrowAccumulatorsBase::InhibitorNarrowAccumulatorsBase;

  void runOnOperation() override {
    Operation *root = getOperation();
    InputAssumptions assumptions;
    if (failed(assumptions.parse(root->getLoc(), 0, {}, {}, {}, {}, maxDim)))
      return signalPassFailure();
    SmallVector<std::pair<Operation *, unsigned>> toNarrow;
    DataFlowSolver solver;
    if (failed(forEachInhibitorOpRanges(
            root, solver, assumptions, [&](const OpRanges &info) {
              std::optional<unsigned> w = info.bounds.narrowestWidth();
              if (w && *w < info.accumulatorWidth && constantsFit(info.op, *w))
                toNarrow.push_back({info.op, *w});
            })))
      return signalPassFailure();
    for (auto [op, width] : toNarrow)
      narrowOp(op, width);
    numNarrowed += toNarrow.size();
  }
};
} // namespace
