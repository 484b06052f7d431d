//===- InhibitorToLinalg.cpp - Lower inhibitor ops to linalg --------------===//
//
// Each op becomes linalg.generic ops on tensors computing in the accumulator
// type. Iteration spaces put the reduction next to last and the contiguous
// dim last ((b..., i, j, k) for the score, (b..., i, j, e) for the
// inhibition) so that the vectorizer gets unit-stride innermost accesses.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Conversion/Passes.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_CONVERTINHIBITORTOLINALG
#include "inhibitor/Conversion/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;

namespace {

/// Arithmetic in the accumulator type: integer ops wrap, float ops follow
/// IEEE (max/min propagate NaN).
struct AccumulatorArith {
  OpBuilder &b;
  Location loc;
  Type acc;
  Value zeroValue = {};

  bool isInt() const { return isa<IntegerType>(acc); }
  Value constant(TypedAttr attr) {
    return arith::ConstantOp::create(b, loc, attr).getResult();
  }
  Value zero() {
    if (!zeroValue)
      zeroValue = constant(b.getZeroAttr(acc));
    return zeroValue;
  }
  Value widen(Value v) {
    if (v.getType() == acc)
      return v;
    if (isInt())
      return arith::ExtSIOp::create(b, loc, acc, v).getResult();
    return arith::ExtFOp::create(b, loc, acc, v).getResult();
  }
  Value add(Value x, Value y) {
    if (isInt())
      return arith::AddIOp::create(b, loc, x, y).getResult();
    return arith::AddFOp::create(b, loc, x, y).getResult();
  }
  Value sub(Value x, Value y) {
    if (isInt())
      return arith::SubIOp::create(b, loc, x, y).getResult();
    return arith::SubFOp::create(b, loc, x, y).getResult();
  }
  Value abs(Value x) {
    if (isInt())
      return math::AbsIOp::create(b, loc, x).getResult();
    return math::AbsFOp::create(b, loc, x).getResult();
  }
  Value max(Value x, Value y) {
    if (isInt())
      return arith::MaxSIOp::create(b, loc, x, y).getResult();
    return arith::MaximumFOp::create(b, loc, x, y).getResult();
  }
  Value min(Value x, Value y) {
    if (isInt())
      return arith::MinSIOp::create(b, loc, x, y).getResult();
    return arith::MinimumFOp::create(b, loc, x, y).getResult();
  }
  /// x / gamma: floor division for integers (an arithmetic shift when gamma
  /// is a power of two), IEEE division for floats. gamma == 1 is a no-op.
  Value divideByGamma(Value x, TypedAttr gamma) {
    if (auto intGamma = dyn_cast<IntegerAttr>(gamma)) {
      const APInt &g = intGamma.getValue();
      if (g.isOne())
        return x;
      if (g.isPowerOf2())
        return arith::ShRSIOp::create(
                   b, loc, x, constant(IntegerAttr::get(acc, g.logBase2())))
            .getResult();
      return arith::FloorDivSIOp::create(b, loc, x, constant(gamma))
          .getResult();
    }
    if (cast<FloatAttr>(gamma).getValue().isExactlyValue(1.0))
      return x;
    return arith::DivFOp::create(b, loc, x, constant(gamma)).getResult();
  }
  /// One key's contribution to H[i, e] (SPEC eq. 4 and 5).
  Value inhibition(Value v, Value z, bool isSigned) {
    if (!isSigned)
      return max(sub(v, z), zero());
    Value pos = max(v, zero()), neg = min(v, zero());
    return add(max(sub(pos, z), zero()), min(add(neg, z), zero()));
  }
};

SmallVector<utils::IteratorType> iterators(int64_t numLoops,
                                           int64_t reductionDim) {
  SmallVector<utils::IteratorType> its(numLoops, utils::IteratorType::parallel);
  its[reductionDim] = utils::IteratorType::reduction;
  return its;
}

/// Map from the (b..., x, y, z) iteration space to (b..., dims...).
AffineMap batchedMap(MLIRContext *ctx, int64_t numBatch,
                     ArrayRef<int64_t> dims) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < numBatch; ++i)
    exprs.push_back(getAffineDimExpr(i, ctx));
  for (int64_t d : dims)
    exprs.push_back(getAffineDimExpr(numBatch + d, ctx));
  return AffineMap::get(numBatch + 3, 0, exprs, ctx);
}

Value fillZero(OpBuilder &b, Location loc, Value dest) {
  Type acc = cast<RankedTensorType>(dest.getType()).getElementType();
  Value zero =
      arith::ConstantOp::create(b, loc, b.getZeroAttr(acc)).getResult();
  return linalg::FillOp::create(b, loc, zero, dest).getResult(0);
}

/// Z = max(sum_k |q - k| / gamma - alpha, 0) into `dest` [b..., N, M].
Value lowerScore(OpBuilder &b, Location loc, Value query, Value key, Value dest,
                 TypedAttr gamma, TypedAttr alpha) {
  MLIRContext *ctx = b.getContext();
  auto destTy = cast<RankedTensorType>(dest.getType());
  Type acc = destTy.getElementType();
  int64_t nb = destTy.getRank() - 2;
  // Iteration space (b..., i, j, k): 0 = i (N), 1 = j (M), 2 = k (D).
  SmallVector<AffineMap> maps = {batchedMap(ctx, nb, {0, 2}),
                                 batchedMap(ctx, nb, {1, 2}),
                                 batchedMap(ctx, nb, {0, 1})};
  Value sum =
      linalg::GenericOp::create(
          b, loc, destTy, ValueRange{query, key},
          ValueRange{fillZero(b, loc, dest)}, maps, iterators(nb + 3, nb + 2),
          [&](OpBuilder &bb, Location l, ValueRange args) {
            AccumulatorArith a{bb, l, acc};
            Value d = a.sub(a.widen(args[0]), a.widen(args[1]));
            linalg::YieldOp::create(bb, l, a.add(args[2], a.abs(d)));
          })
          .getResult(0);

  bool hasAlpha = isa<IntegerAttr>(alpha)
                      ? !cast<IntegerAttr>(alpha).getValue().isZero()
                      : !cast<FloatAttr>(alpha).getValue().isZero();
  AffineMap id = AffineMap::getMultiDimIdentityMap(nb + 2, ctx);
  return linalg::GenericOp::create(
             b, loc, destTy, ValueRange{}, ValueRange{sum},
             ArrayRef<AffineMap>{id},
             SmallVector<utils::IteratorType>(nb + 2,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               AccumulatorArith a{bb, l, acc};
               Value x = a.divideByGamma(args[0], gamma);
               if (hasAlpha)
                 x = a.sub(x, a.constant(alpha));
               linalg::YieldOp::create(bb, l, a.max(x, a.zero()));
             })
      .getResult(0);
}

/// The mask as i8 (0 or 1). LLVM stores vectors of i1 bit-packed while a
/// memref of i1 holds one byte per element, so vector loads of i1 memory
/// read the wrong bits; the i8 copy (O(mask) work, left scalar by the
/// vectorizing pass) is what the vectorized inhibition reads.
Value widenMask(OpBuilder &b, Location loc, Value mask) {
  auto maskTy = cast<RankedTensorType>(mask.getType());
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, mask);
  Value dest =
      tensor::EmptyOp::create(b, loc, sizes, b.getI8Type()).getResult();
  AffineMap id =
      AffineMap::getMultiDimIdentityMap(maskTy.getRank(), b.getContext());
  return linalg::GenericOp::create(
             b, loc, dest.getType(), ValueRange{mask}, ValueRange{dest},
             ArrayRef<AffineMap>{id, id},
             SmallVector<utils::IteratorType>(maskTy.getRank(),
                                              utils::IteratorType::parallel),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               Value byte =
                   arith::ExtUIOp::create(bb, l, bb.getI8Type(), args[0]);
               linalg::YieldOp::create(bb, l, byte);
             })
      .getResult(0);
}

/// H[b..., i, e] = sum_j inhibition(V[j, e], Z[i, j]) over attended pairs.
Value lowerInhibit(OpBuilder &b, Location loc, Value value, Value score,
                   Value dest, bool isSigned, Value mask, bool causal) {
  MLIRContext *ctx = b.getContext();
  auto destTy = cast<RankedTensorType>(dest.getType());
  Type acc = destTy.getElementType();
  int64_t nb = destTy.getRank() - 2;
  // Iteration space (b..., i, j, e): 0 = i (N), 1 = j (M), 2 = e (E).
  SmallVector<Value> inputs = {value, score};
  SmallVector<AffineMap> maps = {batchedMap(ctx, nb, {1, 2}),
                                 batchedMap(ctx, nb, {0, 1})};
  if (mask) {
    mask = widenMask(b, loc, mask);
    // Right-aligned NumPy broadcast of the mask onto (b..., i, j); a static
    // size-1 dim reads index 0.
    auto maskTy = cast<RankedTensorType>(mask.getType());
    int64_t offset = nb + 2 - maskTy.getRank();
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < maskTy.getRank(); ++d)
      exprs.push_back(maskTy.getDimSize(d) == 1
                          ? getAffineConstantExpr(0, ctx)
                          : getAffineDimExpr(offset + d, ctx));
    inputs.push_back(mask);
    maps.push_back(AffineMap::get(nb + 3, 0, exprs, ctx));
  }
  maps.push_back(batchedMap(ctx, nb, {0, 2}));
  return linalg::GenericOp::create(
             b, loc, destTy, inputs, ValueRange{fillZero(b, loc, dest)}, maps,
             iterators(nb + 3, nb + 1),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               AccumulatorArith a{bb, l, acc};
               Value c =
                   a.inhibition(a.widen(args[0]), a.widen(args[1]), isSigned);
               if (mask) {
                 Value zeroByte = arith::ConstantOp::create(
                     bb, l, bb.getIntegerAttr(bb.getI8Type(), 0));
                 Value attend = arith::CmpIOp::create(
                     bb, l, arith::CmpIPredicate::ne, args[2], zeroByte);
                 c = arith::SelectOp::create(bb, l, attend, c, a.zero());
               }
               if (causal) {
                 Value i = linalg::IndexOp::create(bb, l, nb).getResult();
                 Value j = linalg::IndexOp::create(bb, l, nb + 1).getResult();
                 Value keep = arith::CmpIOp::create(
                     bb, l, arith::CmpIPredicate::ule, j, i);
                 c = arith::SelectOp::create(bb, l, keep, c, a.zero());
               }
               linalg::YieldOp::create(bb, l, a.add(args.back(), c));
             })
      .getResult(0);
}

struct ManhattanScoreToLinalg : OpRewritePattern<ManhattanScoreOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ManhattanScoreOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, lowerScore(rewriter, op.getLoc(), op.getQuery(),
                                      op.getKey(), op.getInit(),
                                      op.getGammaOrDefault(),
                                      op.getAlphaOrDefault()));
    return success();
  }
};

struct InhibitToLinalg : OpRewritePattern<InhibitOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(InhibitOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, lowerInhibit(rewriter, op.getLoc(), op.getValue(),
                                        op.getScore(), op.getInit(),
                                        op.getIsSigned(), /*mask=*/Value(),
                                        /*causal=*/false));
    return success();
  }
};

/// The unfused composite: Z [b..., N, M] is materialized (the fused, tiled
/// kernel never does; this is the reference lowering).
struct AttentionToLinalg : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value scoreDest =
        tensor::EmptyOp::create(rewriter, loc, op.getMixedScoreSizes(rewriter),
                                op.getAccumulatorType())
            .getResult();
    Value score =
        lowerScore(rewriter, loc, op.getQuery(), op.getKey(), scoreDest,
                   op.getGammaOrDefault(), op.getAlphaOrDefault());
    rewriter.replaceOp(op, lowerInhibit(rewriter, loc, op.getValue(), score,
                                        op.getInit(), op.getIsSigned(),
                                        op.getMask(), op.getCausal()));
    return success();
  }
};

struct ConvertInhibitorToLinalgPass
    : inhibitor::impl::ConvertInhibitorToLinalgBase<
          ConvertInhibitorToLinalgPass> {
  void runOnOperation() override {
    ConversionTarget target(getContext());
    target.addIllegalDialect<InhibitorDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    populateInhibitorToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::inhibitor::populateInhibitorToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ManhattanScoreToLinalg, InhibitToLinalg, AttentionToLinalg>(
      patterns.getContext());
}
