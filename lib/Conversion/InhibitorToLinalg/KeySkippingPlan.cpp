//===- KeySkippingPlan.cpp - When and how keys are skipped exactly -------===//
//
// skip-keys, decided once per attention op: whether the integer bounds
// prove skipping exact (else a remark and the plain kernel), the largest
// dynamic D for which they do, and the per-key thresholds from V
// (docs/KeySkipping.md). The per-tile code is in KeySkipping.cpp.
//
//===----------------------------------------------------------------------===//

#include "KeySkipping.h"
#include "LoweringUtils.h"
#include "inhibitor/IR/InhibitorIntegerBounds.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::inhibitor;
/// Why skipping is not provably exact for an integer `op` (empty when it
/// is), and the largest sum of |q - k| into `sumMax`. Every intermediate
/// of the score and of one key's term must fit: then partial sums grow
/// monotonically, the skip test computes what the plain kernel computes,
/// and an extinguished term is exactly 0. H's own sums may wrap: adding 0
/// commutes with wrapping.
static std::string whyNotExact(AttentionOp op,
                               const DenseMap<Value, ConstantIntRanges> *known,
                               APInt &sumMax,
                               std::optional<int64_t> maxDim = std::nullopt) {
  unsigned width = op.getAccumulatorType().getIntOrFloatBitWidth();
  SmallVector<ConstantIntRanges> ranges;
  for (Value operand : op->getOperands()) {
    Type elem = getElementTypeOrSelf(operand.getType());
    ranges.push_back(ConstantIntRanges::maxRange(
        elem.isIndex() ? IndexType::kInternalStorageBitWidth // causal_offset
                       : elem.getIntOrFloatBitWidth()));
    // Grouped heads reach the fused kernel through a reshape.
    Value v = operand;
    while (Operation *def = v.getDefiningOp()) {
      if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(def))
        break;
      v = def->getOperand(0);
    }
    if (known)
      if (auto it = known->find(v); it != known->end())
        ranges.back() = it->second;
  }
  IntegerBoundsOptions options;
  options.maxDim = maxDim;
  FailureOr<bounds::OpBounds> b = getIntegerBounds(op, ranges, options);
  if (failed(b))
    return "no integer bounds for the op";
  std::optional<bounds::Interval> sum;
  for (const bounds::Intermediate &i : b->intermediates) {
    if (StringRef(i.name).starts_with("inhibit: partial sums"))
      continue;
    if (!i.range)
      return "'" + i.name + "' has no bound (" + i.unboundedBecause + ")";
    if (!i.range->fitsSignedWidth(width))
      return "'" + i.name + "' can overflow the i" + std::to_string(width) +
             " accumulator (its values lie in " + i.range->str() + ")";
    if (i.name == "score: sum over D")
      sum = i.range;
  }
  if (!sum)
    return "no bound of the sum over D";
  sumMax = sum->hiAs(width);
  // T_j = sumMax + 1 stands for "never extinguished".
  if (sumMax.isMaxSignedValue())
    return "the sum over D reaches the accumulator's largest value";
  return "";
}

/// Per key j of V [b..., M, E]: B_j = max_e V (unsigned) or max_e |V|
/// (signed), then (integers) the threshold of `test` (KeySkipTest).
static Value buildThresholds(OpBuilder &b, Location loc, AttentionOp op,
                             KeySkipTest test, const APInt &sumMax) {
  MLIRContext *ctx = b.getContext();
  Value value = op.getValue();
  auto valueTy = cast<RankedTensorType>(value.getType());
  Type acc = op.getAccumulatorType();
  int64_t r = valueTy.getRank();
  bool isSigned = op.getIsSigned(), isInt = isa<IntegerType>(acc);
  unsigned width = acc.getIntOrFloatBitWidth();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, value);
  sizes.pop_back();
  Value empty = tensor::EmptyOp::create(b, loc, sizes, acc).getResult();
  // The identity of max: the smallest value (unsigned) or 0 (|V| >= 0).
  TypedAttr initAttr = b.getZeroAttr(acc);
  if (!isSigned)
    initAttr =
        isInt
            ? TypedAttr(b.getIntegerAttr(acc, APInt::getSignedMinValue(width)))
            : TypedAttr(b.getFloatAttr(
                  acc, APFloat::getInf(cast<FloatType>(acc).getFloatSemantics(),
                                       /*Negative=*/true)));
  Value init =
      linalg::FillOp::create(
          b, loc, arith::ConstantOp::create(b, loc, initAttr).getResult(),
          empty)
          .getResult(0);
  AffineMap id = AffineMap::getMultiDimIdentityMap(r, ctx);
  AffineMap dropE = id.dropResult(r - 1);
  SmallVector<utils::IteratorType> its(r, utils::IteratorType::parallel);
  its.back() = utils::IteratorType::reduction;
  Value bound = linalg::GenericOp::create(
                    b, loc, init.getType(), ValueRange{value}, ValueRange{init},
                    ArrayRef<AffineMap>{id, dropE}, its,
                    [&](OpBuilder &bb, Location l, ValueRange args) {
                      AccumulatorArith a{bb, l, acc};
                      Value v = a.widen(args[0]);
                      if (isSigned && isInt) {
                        // |V| saturated: |INT_MIN| = INT_MAX, above every score
                        // (sumMax < INT_MAX), so such a key is never
                        // extinguished (its term is INT_MIN + Z != 0).
                        Value notMin = a.constant(bb.getIntegerAttr(
                            acc, APInt::getSignedMinValue(width) + 1));
                        // One op per statement: the IR's order does not depend
                        // on
                        // the compiler's argument evaluation order.
                        Value notMinV = a.max(v, notMin);
                        Value neg = a.sub(a.zero(), notMinV);
                        v = a.max(v, neg);
                      } else if (isSigned) {
                        v = a.abs(v);
                      }
                      if (!isInt) {
                        // V = +inf: inf - inf is NaN in the plain kernel even
                        // where Z = +inf, so such a key is never extinguished:
                        // a NaN bound fails every comparison (and max
                        // propagates it).
                        auto ft = cast<FloatType>(acc);
                        Value inf = a.constant(bb.getFloatAttr(
                            acc, APFloat::getInf(ft.getFloatSemantics())));
                        Value nan = a.constant(bb.getFloatAttr(
                            acc, APFloat::getNaN(ft.getFloatSemantics())));
                        Value isInf = arith::CmpFOp::create(
                            bb, l, arith::CmpFPredicate::OEQ, v, inf);
                        v = arith::SelectOp::create(bb, l, isInf, nan, v);
                      }
                      linalg::YieldOp::create(bb, l, a.max(args[1], v));
                    })
                    .getResult(0);
  if (!isInt)
    return bound;

  // Z = max(x, 0) >= B_j  <=>  B_j <= 0 or x >= B_j, x = floor(S/g) - a - b.
  APInt gamma = cast<IntegerAttr>(op.getGammaOrDefault()).getValue();
  APInt alpha = cast<IntegerAttr>(op.getAlphaOrDefault()).getValue();
  // Without a bias: x >= B_j  <=>  S >= g (B_j + a) =: T_j. Where
  // g (B_j + a) > sumMax no sum reaches it: T_j = sumMax + 1 (fits, see
  // whyNotExact). cap = floor(sumMax / g) - a + 1 is the least such B_j, so
  // below it g (B_j + a) <= sumMax cannot wrap.
  APInt cap = sumMax.sdiv(gamma) - alpha + 1;
  AffineMap m = AffineMap::getMultiDimIdentityMap(r - 1, ctx);
  return linalg::GenericOp::create(
             b, loc, bound.getType(), ValueRange{}, ValueRange{bound},
             ArrayRef<AffineMap>{m},
             SmallVector<utils::IteratorType>(r - 1,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               AccumulatorArith a{bb, l, acc};
               auto cst = [&](const APInt &v) {
                 return a.constant(bb.getIntegerAttr(acc, v));
               };
               Value bj = args[0];
               Value nonPositive = arith::CmpIOp::create(
                   bb, l, arith::CmpIPredicate::sle, bj, a.zero());
               Value t;
               if (test == KeySkipTest::ScoreAtLeast) {
                 t = arith::SelectOp::create(
                     bb, l, nonPositive, cst(APInt::getSignedMinValue(width)),
                     bj);
               } else {
                 Value shifted = a.add(bj, cst(alpha));
                 Value g = cst(gamma);
                 Value scaled = arith::MulIOp::create(bb, l, shifted, g);
                 Value unreachable = arith::CmpIOp::create(
                     bb, l, arith::CmpIPredicate::sge, bj, cst(cap));
                 t = arith::SelectOp::create(bb, l, unreachable,
                                             cst(sumMax + 1), scaled);
                 t = arith::SelectOp::create(bb, l, nonPositive, a.zero(), t);
               }
               linalg::YieldOp::create(bb, l, t);
             })
      .getResult(0);
}

std::optional<KeySkipPlan> mlir::inhibitor::planKeySkipping(
    OpBuilder &b, AttentionOp op, int64_t chunk, int64_t chunkMultiple,
    const DenseMap<Value, ConstantIntRanges> *ranges, int64_t queryTile,
    int64_t keyTile) {
  KeySkipPlan plan;
  APInt sumMax;
  if (isa<FloatType>(op.getAccumulatorType())) {
    plan.test = KeySkipTest::FloatScoreAtLeast;
  } else {
    std::string why = whyNotExact(op, ranges, sumMax);
    // A dynamic D: the largest D for which skipping is exact (the bounds
    // grow with it), checked at run time.
    int64_t d = cast<ShapedType>(op.getQuery().getType()).getShape().back();
    if (!why.empty() && ShapedType::isDynamic(d)) {
      int64_t lo = 0, hi = int64_t(1) << 40;
      while (lo < hi) {
        int64_t mid = lo + (hi - lo + 1) / 2;
        APInt unused;
        if (whyNotExact(op, ranges, unused, mid).empty())
          lo = mid;
        else
          hi = mid - 1;
      }
      if (lo > 0) {
        plan.maxD = lo;
        why = whyNotExact(op, ranges, sumMax, lo);
      } else {
        // Not even D = 1: say what else stands in the way.
        APInt unused;
        why = whyNotExact(op, ranges, unused, 1);
      }
    }
    if (!why.empty()) {
      op.emitRemark() << "skip-keys: not provably exact (" << why
                      << "); lowered without key skipping";
      return std::nullopt;
    }
    plan.test =
        op.getBias() ? KeySkipTest::ScoreAtLeast : KeySkipTest::SumAtLeast;
    plan.chunk = chunk;
    if (chunk > 0 && chunkMultiple > 0)
      plan.chunk = llvm::divideCeil(chunk, chunkMultiple) * chunkMultiple;
  }
  Location loc = op.getLoc();
  plan.thresholds = buildThresholds(b, loc, op, plan.test, sumMax);
  // The pre-filter: static sizes in whole tiles (a partial causal key tile
  // keeps its whole tile's box and largest threshold: still a bound).
  auto qTy = cast<RankedTensorType>(op.getQuery().getType());
  auto kTy = cast<RankedTensorType>(op.getKey().getType());
  int64_t r = qTy.getRank();
  int64_t n = qTy.getDimSize(r - 2), m = kTy.getDimSize(r - 2);
  if (plan.test == KeySkipTest::SumAtLeast && qTy.hasStaticShape() &&
      kTy.hasStaticShape() && n % queryTile == 0 && m % keyTile == 0 &&
      cast<RankedTensorType>(plan.thresholds.getType()).hasStaticShape()) {
    Type acc = op.getAccumulatorType();
    plan.queryLo = buildTileBoxes(b, loc, op.getQuery(), queryTile, acc, false);
    plan.queryHi = buildTileBoxes(b, loc, op.getQuery(), queryTile, acc, true);
    plan.keyLo = buildTileBoxes(b, loc, op.getKey(), keyTile, acc, false);
    plan.keyHi = buildTileBoxes(b, loc, op.getKey(), keyTile, acc, true);
    plan.tileMaxThreshold =
        buildTileMaxThreshold(b, loc, plan.thresholds, keyTile);
  }
  return plan;
}
