//===- ApproximateFilter.cpp - LATTE-style approximate key filter ---------===//
//
// --inhibitor-approximate-filter: an `inhibitor.attention` that carries
// `inhibitor.approx_thresholds` (one threshold per head of the leading batch
// dim, or one for all) drops every pair (i, j) whose low-precision Manhattan
// score exceeds its head's threshold: the score of Q and K with `shift` low
// bits dropped (integers: an arithmetic shift; floats: floor(x * 2^-shift)),
// computed by an `inhibitor.manhattan_score` on the narrowed operands, is
// compared with the thresholds by a `linalg.generic` whose i1 result, AND-ed
// with the op's own mask, becomes the op's mask. Approximate by design: a
// dropped pair may have contributed (docs/KeySkipping.md).
//
//===----------------------------------------------------------------------===//

#include "TransformUtils.h"
#include "inhibitor/IR/InhibitorOps.h"
#include "inhibitor/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/Support/MathExtras.h"

#include <string>

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORAPPROXIMATEFILTER
#include "inhibitor/Transforms/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;

static constexpr llvm::StringLiteral kThresholdsAttr =
    "inhibitor.approx_thresholds";
static constexpr llvm::StringLiteral kShiftAttr = "inhibitor.approx_shift";
static constexpr llvm::StringLiteral kHeadDimAttr = "inhibitor.approx_head_dim";

/// Whether `op` carries any attribute of the filter.
static bool hasFilterAttr(Operation *op) {
  return op->getDiscardableAttr(kThresholdsAttr) ||
         op->getDiscardableAttr(kShiftAttr) ||
         op->getDiscardableAttr(kHeadDimAttr);
}

namespace {
/// How one op is filtered: a pair is kept iff `S' <= threshold` (integers)
/// or `!(S' > threshold)` (floats, so a NaN score is kept), with `S'` the
/// unscaled low-precision sum: the shift is folded into the thresholds.
struct FilterPlan {
  bool isFloat = false;
  int64_t shift = 0;
  int64_t headDim = 0;               // the batch dim the thresholds run along
  Type operandType;                  // element type of the narrowed Q and K
  Type scoreType;                    // accumulator of the low-precision score
  SmallVector<TypedAttr> thresholds; // of scoreType; 1 or one per head
};
} // namespace

/// The integer types of at least `minBits` bits, narrowest first.
static SmallVector<unsigned> widthsFrom(unsigned minBits) {
  SmallVector<unsigned> out;
  for (unsigned w : {8u, 16u, 32u, 64u})
    if (w >= minBits)
      out.push_back(w);
  return out;
}

/// The filter of `op` from its attributes, or failure with `why` set.
static FailureOr<FilterPlan> planFilter(AttentionOp op, std::string &why) {
  llvm::raw_string_ostream os(why);
  Attribute thresholdsAttr = op->getDiscardableAttr(kThresholdsAttr);
  Attribute shiftAttr = op->getDiscardableAttr(kShiftAttr);
  if (!thresholdsAttr) {
    os << "has '" << (shiftAttr ? kShiftAttr : kHeadDimAttr) << "' but no '"
       << kThresholdsAttr << "'";
    return failure();
  }
  FilterPlan plan;
  Type acc = op.getAccumulatorType();
  plan.isFloat = isa<FloatType>(acc);
  if (shiftAttr) {
    auto shift = dyn_cast<IntegerAttr>(shiftAttr);
    if (!shift || !isa<IntegerType>(shift.getType())) {
      os << "'" << kShiftAttr << "' must be an integer, got " << shiftAttr;
      return failure();
    }
    plan.shift = shift.getInt();
  }

  // One threshold for all heads, or one per head of batch dim `headDim`.
  auto resultTy = op.getResult().getType();
  int64_t numBatch = resultTy.getRank() - 2;
  if (Attribute headAttr = op->getDiscardableAttr(kHeadDimAttr)) {
    auto head = dyn_cast<IntegerAttr>(headAttr);
    if (!head || !isa<IntegerType>(head.getType())) {
      os << "'" << kHeadDimAttr << "' must be an integer, got " << headAttr;
      return failure();
    }
    plan.headDim = head.getInt();
    if (plan.headDim < 0 || plan.headDim >= std::max<int64_t>(numBatch, 1)) {
      os << "'" << kHeadDimAttr << "' = " << plan.headDim
         << " is not a batch dim (the op has " << numBatch << ")";
      return failure();
    }
  }
  int64_t count = 0;
  if (plan.isFloat) {
    auto values = dyn_cast<DenseF64ArrayAttr>(thresholdsAttr);
    if (!values) {
      os << "'" << kThresholdsAttr << "' must be array<f64: ...> for the "
         << "float accumulator " << acc << ", got " << thresholdsAttr;
      return failure();
    }
    count = values.size();
  } else {
    auto values = dyn_cast<DenseI64ArrayAttr>(thresholdsAttr);
    if (!values) {
      os << "'" << kThresholdsAttr << "' must be array<i64: ...> for the "
         << "integer accumulator " << acc << ", got " << thresholdsAttr;
      return failure();
    }
    count = values.size();
  }
  if (count != 1) {
    int64_t heads = numBatch ? resultTy.getDimSize(plan.headDim) : 1;
    if (!numBatch || ShapedType::isDynamic(heads) || heads != count) {
      os << "has " << count << " thresholds in '" << kThresholdsAttr
         << "'; expected 1 (all heads) or one per head of batch dim "
         << plan.headDim << " (";
      if (!numBatch)
        os << "none: the op has no batch dims";
      else if (ShapedType::isDynamic(heads))
        os << "dynamic: per-head thresholds need a static size";
      else
        os << heads;
      os << ")";
      return failure();
    }
  }

  auto qTy = cast<RankedTensorType>(op.getQuery().getType());
  int64_t d = qTy.getDimSize(qTy.getRank() - 1);
  if (!plan.isFloat) {
    unsigned w = qTy.getElementType().getIntOrFloatBitWidth();
    if (plan.shift < 0 || plan.shift >= int64_t(w)) {
      os << "'" << kShiftAttr << "' must lie in [0, " << w << ") for "
         << qTy.getElementType() << " queries and keys, got " << plan.shift;
      return failure();
    }
    // The shifted operands have `bits` significant bits (two's complement);
    // |q' - k'| <= 2^bits - 1, so the sum is at most D (2^bits - 1).
    unsigned bits = w - unsigned(plan.shift);
    plan.operandType = IntegerType::get(op.getContext(), widthsFrom(bits)[0]);
    unsigned scoreBits = 0;
    if (ShapedType::isDynamic(d)) {
      // i64 holds D (2^bits - 1) for every D < 2^31 when bits <= 32.
      if (bits <= 32)
        scoreBits = 64;
    } else {
      uint64_t maxTerm =
          (bits >= 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1);
      uint64_t bound = 0;
      bool overflow = __builtin_mul_overflow(uint64_t(d), maxTerm, &bound);
      for (unsigned width : widthsFrom(bits))
        if (!overflow && bound <= uint64_t(llvm::maxIntN(width))) {
          scoreBits = width;
          break;
        }
    }
    if (!scoreBits) {
      os << "the low-precision score of " << bits << "-bit operands over D = ";
      if (ShapedType::isDynamic(d))
        os << "? (dynamic)";
      else
        os << d;
      os << " can exceed i64; drop more bits with '" << kShiftAttr << "'";
      return failure();
    }
    auto scoreTy = IntegerType::get(op.getContext(), scoreBits);
    plan.scoreType = scoreTy;
    // S' * 2^shift <= T  iff  S' <= floor(T / 2^shift) (S' an integer); a
    // bound beyond the score type's range keeps all (above) or none (below).
    int64_t lo = llvm::minIntN(scoreBits), hi = llvm::maxIntN(scoreBits);
    for (int64_t t : cast<DenseI64ArrayAttr>(thresholdsAttr).asArrayRef()) {
      int64_t shifted = t >> plan.shift; // arithmetic: floor division
      plan.thresholds.push_back(
          IntegerAttr::get(scoreTy, std::clamp(shifted, lo, hi)));
    }
    return plan;
  }

  // Floats: the grid 2^shift and its inverse must be exact in the
  // accumulator type (powers of two, neither overflowing nor underflowing).
  auto accTy = cast<FloatType>(acc);
  const llvm::fltSemantics &sem = accTy.getFloatSemantics();
  llvm::APFloat one(sem, 1);
  auto rm = llvm::APFloat::rmNearestTiesToEven;
  llvm::APFloat down = llvm::scalbn(one, int(-plan.shift), rm);
  llvm::APFloat up = llvm::scalbn(one, int(plan.shift), rm);
  if (plan.shift < -16384 || plan.shift > 16384 || !down.isFiniteNonZero() ||
      !up.isFiniteNonZero() || llvm::ilogb(down) != -plan.shift ||
      llvm::ilogb(up) != plan.shift) {
    os << "'" << kShiftAttr << "' = " << plan.shift << ": 2^" << plan.shift
       << " and 2^" << -plan.shift << " must both be exact in " << acc;
    return failure();
  }
  plan.operandType = acc;
  plan.scoreType = acc;
  for (double t : cast<DenseF64ArrayAttr>(thresholdsAttr).asArrayRef()) {
    if (std::isnan(t)) {
      os << "'" << kThresholdsAttr << "' holds a NaN";
      return failure();
    }
    // fl(T) * 2^-shift in the accumulator type, as the NumPy mirror does.
    llvm::APFloat v(t);
    bool lost = false;
    v.convert(sem, rm, &lost);
    v.multiply(down, rm);
    plan.thresholds.push_back(FloatAttr::get(accTy, v));
  }
  return plan;
}

/// Q or K on the coarse grid: `x >> shift` truncated to the operand type
/// (integers), `floor(x * 2^-shift)` in the accumulator type (floats).
static Value lowPrecision(OpBuilder &b, Location loc, Value x,
                          const FilterPlan &plan) {
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  if (!plan.isFloat && plan.shift == 0 && element == plan.operandType)
    return x;
  return mapElements(
      b, loc, x, plan.operandType,
      [&](OpBuilder &bb, Location l, Value v) -> Value {
        if (plan.isFloat) {
          if (v.getType() != plan.operandType)
            v = arith::ExtFOp::create(bb, l, plan.operandType, v);
          Value scale = arith::ConstantOp::create(
              bb, l,
              bb.getFloatAttr(
                  plan.operandType,
                  llvm::scalbn(
                      llvm::APFloat(
                          cast<FloatType>(plan.operandType).getFloatSemantics(),
                          1),
                      int(-plan.shift), llvm::APFloat::rmNearestTiesToEven)));
          return math::FloorOp::create(bb, l,
                                       arith::MulFOp::create(bb, l, v, scale));
        }
        if (plan.shift) {
          Value s = arith::ConstantOp::create(
              bb, l, bb.getIntegerAttr(v.getType(), plan.shift));
          v = arith::ShRSIOp::create(bb, l, v, s);
        }
        if (v.getType() != plan.operandType)
          v = arith::TruncIOp::create(bb, l, plan.operandType, v);
        return v;
      });
}

/// The indexing map of an operand broadcast (NumPy rules: right-aligned,
/// static size-1 dims broadcast) to a domain of rank `rank`.
static AffineMap broadcastMap(OpBuilder &b, RankedTensorType ty, int64_t rank) {
  SmallVector<AffineExpr> exprs;
  int64_t offset = rank - ty.getRank();
  for (int64_t i = 0; i < ty.getRank(); ++i)
    exprs.push_back(ty.getDimSize(i) == 1 ? b.getAffineConstantExpr(0)
                                          : b.getAffineDimExpr(offset + i));
  return AffineMap::get(rank, 0, exprs, b.getContext());
}

/// Replaces `op` by the attention with the filter's mask; returns the new op.
static AttentionOp applyFilter(RewriterBase &rw, AttentionOp op,
                               const FilterPlan &plan) {
  Location loc = op.getLoc();
  rw.setInsertionPoint(op);
  auto resultTy = op.getResult().getType();
  int64_t rank = resultTy.getRank();
  SmallVector<OpFoldResult> scoreSizes = op.getMixedScoreSizes(rw);

  // The low-precision score S' = sum_k |q' - k'| (gamma 1, alpha 0, no bias).
  Value qLow = lowPrecision(rw, loc, op.getQuery(), plan);
  Value kLow = lowPrecision(rw, loc, op.getKey(), plan);
  Value scoreInit =
      tensor::EmptyOp::create(rw, loc, scoreSizes, plan.scoreType);
  Value score = ManhattanScoreOp::create(rw, loc, qLow, kLow, /*bias=*/Value(),
                                         scoreInit, TypedAttr(), TypedAttr())
                    .getResult();

  // keep = S' <= T[h] (and the op's own mask).
  SmallVector<Value> inputs = {score};
  SmallVector<AffineMap> maps = {rw.getMultiDimIdentityMap(rank)};
  bool perHead = plan.thresholds.size() > 1;
  if (perHead) {
    auto ty = RankedTensorType::get({int64_t(plan.thresholds.size())},
                                    plan.scoreType);
    SmallVector<Attribute> values(plan.thresholds.begin(),
                                  plan.thresholds.end());
    inputs.push_back(
        arith::ConstantOp::create(rw, loc, DenseElementsAttr::get(ty, values)));
    maps.push_back(AffineMap::get(rank, 0, rw.getAffineDimExpr(plan.headDim)));
  }
  if (Value mask = op.getMask()) {
    inputs.push_back(mask);
    maps.push_back(
        broadcastMap(rw, cast<RankedTensorType>(mask.getType()), rank));
  }
  maps.push_back(rw.getMultiDimIdentityMap(rank));
  Value keepInit = tensor::EmptyOp::create(rw, loc, scoreSizes, rw.getI1Type());
  bool hasMask = op.getMask() != nullptr;
  Value keep =
      linalg::GenericOp::create(
          rw, loc, keepInit.getType(), inputs, ValueRange{keepInit}, maps,
          SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value t =
                perHead
                    ? args[1]
                    : arith::ConstantOp::create(b, l, plan.thresholds.front())
                          .getResult();
            Value k = plan.isFloat
                          ? arith::CmpFOp::create(
                                b, l, arith::CmpFPredicate::ULE, args[0], t)
                                .getResult()
                          : arith::CmpIOp::create(
                                b, l, arith::CmpIPredicate::sle, args[0], t)
                                .getResult();
            if (hasMask)
              k = arith::AndIOp::create(b, l, k, args[perHead ? 2 : 1]);
            linalg::YieldOp::create(b, l, k);
          })
          .getResult(0);

  auto filtered =
      AttentionOp::create(rw, loc, op.getQuery(), op.getKey(), op.getValue(),
                          keep, op.getBias(), op.getInit(), op.getGammaAttr(),
                          op.getAlphaAttr(), op.getIsSigned(), op.getCausal());
  if (Value causalOffset = op.getCausalOffset())
    filtered.getCausalOffsetMutable().assign(causalOffset);
  for (NamedAttribute attr : op->getDiscardableAttrs())
    if (attr.getName() != kThresholdsAttr && attr.getName() != kShiftAttr &&
        attr.getName() != kHeadDimAttr)
      filtered->setDiscardableAttr(attr.getName(), attr.getValue());
  rw.replaceOp(op, filtered.getResult());
  return filtered;
}

namespace {
/// An `inhibitor.attention` carrying `inhibitor.approx_thresholds` rewritten
/// into the low-precision score, the threshold compare and the attention
/// masked by it.
struct ApproximateFilterPattern : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasFilterAttr(op))
      return rewriter.notifyMatchFailure(op, "no approximate filter");
    std::string why;
    FailureOr<FilterPlan> plan = planFilter(op, why);
    if (failed(plan))
      return rewriter.notifyMatchFailure(op, why);
    applyFilter(rewriter, op, *plan);
    return success();
  }
};

struct InhibitorApproximateFilterPass
    : inhibitor::impl::InhibitorApproximateFilterBase<
          InhibitorApproximateFilterPass> {
  using Base::Base;

  void runOnOperation() override {
    // Every op carrying the attributes is checked first, so that a bad one
    // is an error rather than an op silently left unfiltered.
    bool bad = false;
    getOperation()->walk([&](Operation *op) {
      if (op == getOperation() || !hasFilterAttr(op))
        return;
      auto attention = dyn_cast<AttentionOp>(op);
      if (!attention) {
        op->emitOpError() << "carries an 'inhibitor.approx_*' attribute, "
                             "which only inhibitor.attention takes";
        bad = true;
        return;
      }
      std::string why;
      if (failed(planFilter(attention, why))) {
        attention.emitOpError(why);
        bad = true;
      }
    });
    if (bad)
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    populateInhibitorApproximateFilterPatterns(patterns);
    int64_t before = 0, after = 0;
    auto count = [&](int64_t &n) {
      getOperation()->walk([&](AttentionOp op) { n += hasFilterAttr(op); });
    };
    count(before);
    // Only this pattern: no folding of the new ops (the canonicalizer runs
    // in the pipelines afterwards).
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    count(after);
    numFiltered += before - after;
  }
};
} // namespace

void mlir::inhibitor::populateInhibitorApproximateFilterPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ApproximateFilterPattern>(patterns.getContext());
}
