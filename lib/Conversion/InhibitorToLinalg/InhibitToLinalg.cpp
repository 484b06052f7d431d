//===- InhibitToLinalg.cpp - inhibit and unfused attention to linalg ------===//
//
// The inhibition as one linalg.generic over (b..., i, j, e): the reduction
// over keys in the middle, the value columns innermost (whole vectors of
// values in lanes). The unfused composite materializes its score.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineMap.h"

using namespace mlir;
using namespace mlir::inhibitor;

Value mlir::inhibitor::widenMask(OpBuilder &b, Location loc, Value mask) {
  return widenElements(b, loc, mask, b.getI8Type(), /*isSigned=*/false);
}

/// One reduction over the keys ([b..., E], V's batch dims), then one
/// elementwise subtraction over the queries.
Value mlir::inhibitor::subtractValueSum(OpBuilder &b, Location loc, Value value,
                                        Value dest,
                                        ArrayRef<bool> kvBroadcast) {
  MLIRContext *ctx = b.getContext();
  auto destTy = cast<RankedTensorType>(dest.getType());
  auto valueTy = cast<RankedTensorType>(value.getType());
  Type acc = destTy.getElementType();
  int64_t r = valueTy.getRank(), nb = r - 2;
  // sum[b..., e] over (b..., j, e), j the reduction.
  SmallVector<OpFoldResult> sumSizes;
  for (int64_t d = 0; d < r; ++d)
    if (d != nb)
      sumSizes.push_back(tensor::getMixedSize(b, loc, value, d));
  Value sumInit = fillZero(
      b, loc, tensor::EmptyOp::create(b, loc, sumSizes, acc).getResult());
  AffineMap valueMap = AffineMap::getMultiDimIdentityMap(r, ctx);
  SmallVector<AffineExpr> sumExprs;
  for (int64_t d = 0; d < r; ++d)
    if (d != nb)
      sumExprs.push_back(getAffineDimExpr(d, ctx));
  AffineMap sumMap = AffineMap::get(r, 0, sumExprs, ctx);
  SmallVector<utils::IteratorType> sumIts(r, utils::IteratorType::parallel);
  sumIts[nb] = utils::IteratorType::reduction;
  Value sum =
      linalg::GenericOp::create(
          b, loc, sumInit.getType(), ValueRange{value}, ValueRange{sumInit},
          ArrayRef<AffineMap>{valueMap, sumMap}, sumIts,
          [&](OpBuilder &bb, Location l, ValueRange args) {
            AccumulatorArith a{bb, l, acc};
            Value v = a.widen(args[0]);
            linalg::YieldOp::create(bb, l, a.add(args[1], v));
          })
          .getResult(0);
  // dest[b..., i, e] + sum[b'..., e] (a broadcast batch dim reads 0).
  int64_t dr = destTy.getRank();
  SmallVector<AffineExpr> readExprs;
  for (int64_t d = 0; d < nb; ++d)
    readExprs.push_back(!kvBroadcast.empty() && kvBroadcast[d]
                            ? getAffineConstantExpr(0, ctx)
                            : getAffineDimExpr(d, ctx));
  readExprs.push_back(getAffineDimExpr(dr - 1, ctx));
  AffineMap id = AffineMap::getMultiDimIdentityMap(dr, ctx);
  return linalg::GenericOp::create(
             b, loc, destTy, ValueRange{sum}, ValueRange{dest},
             ArrayRef<AffineMap>{AffineMap::get(dr, 0, readExprs, ctx), id},
             SmallVector<utils::IteratorType>(dr,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               AccumulatorArith a{bb, l, acc};
               linalg::YieldOp::create(bb, l, a.sub(args[1], args[0]));
             })
      .getResult(0);
}

Value mlir::inhibitor::negate(OpBuilder &b, Location loc, Value x) {
  auto ty = cast<RankedTensorType>(x.getType());
  AffineMap id =
      AffineMap::getMultiDimIdentityMap(ty.getRank(), b.getContext());
  return linalg::GenericOp::create(
             b, loc, ty, ValueRange{}, ValueRange{x}, ArrayRef<AffineMap>{id},
             SmallVector<utils::IteratorType>(ty.getRank(),
                                              utils::IteratorType::parallel),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               AccumulatorArith a{bb, l, ty.getElementType()};
               linalg::YieldOp::create(bb, l, a.sub(a.zero(), args[0]));
             })
      .getResult(0);
}

Value mlir::inhibitor::lowerInhibit(OpBuilder &b, Location loc, Value value,
                                    Value score, Value dest,
                                    const InhibitOptions &opts) {
  MLIRContext *ctx = b.getContext();
  auto destTy = cast<RankedTensorType>(dest.getType());
  Type acc = destTy.getElementType();
  int64_t nb = destTy.getRank() - 2;
  // Iteration space (b..., i, j, e): 0 = i (N), 1 = j (M), 2 = e (E).
  SmallVector<Value> inputs = {value, score};
  SmallVector<AffineMap> maps = {batchedMap(ctx, nb, {1, 2}, opts.kvBroadcast),
                                 batchedMap(ctx, nb, {0, 1})};
  Value mask = opts.mask;
  if (mask) {
    // Right-aligned NumPy broadcast of the mask onto (b..., i, j) (the
    // dialect's rule, getBroadcastExprs).
    inputs.push_back(mask);
    maps.push_back(AffineMap::get(
        nb + 3, 0,
        getBroadcastExprs(cast<ShapedType>(mask.getType()).getShape(),
                          batchedMap(ctx, nb, {0, 1}).getResults()),
        ctx));
  }
  maps.push_back(batchedMap(ctx, nb, {0, 2}));
  Value init = opts.accumulate ? dest : fillZero(b, loc, dest);
  // The negated split form (InhibitOptions::negatedAccumulator): dest and
  // the result hold -H; -H - sum_j V + sum_j clamp(V, -Z, Z).
  bool split = opts.negatedAccumulator;
  if (split) {
    assert(opts.accumulate && opts.isSigned && opts.scoreNonNegative && !mask &&
           !opts.causal && isa<IntegerType>(acc) &&
           "the split inhibition needs an integer accumulator, the signed "
           "form, Z >= 0 and every pair attended");
    init = subtractValueSum(b, loc, value, init, opts.kvBroadcast);
  }
  return linalg::GenericOp::create(
             b, loc, destTy, inputs, ValueRange{init}, maps,
             iterators(nb + 3, nb + 1),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               AccumulatorArith a{bb, l, acc};
               if (split) {
                 Value v = a.widen(args[0]);
                 Value z = a.widen(args[1]);
                 Value negZ = a.sub(a.zero(), z);
                 Value lo = a.min(v, z);
                 Value clamped = a.max(lo, negZ);
                 linalg::YieldOp::create(bb, l, a.add(args.back(), clamped));
                 return;
               }
               Value c = a.inhibition(a.widen(args[0]), a.widen(args[1]),
                                      opts.isSigned, opts.scoreNonNegative);
               if (mask) {
                 Value zeroByte = arith::ConstantOp::create(
                     bb, l, bb.getIntegerAttr(bb.getI8Type(), 0));
                 Value attend = arith::CmpIOp::create(
                     bb, l, arith::CmpIPredicate::ne, args[2], zeroByte);
                 c = arith::SelectOp::create(bb, l, attend, c, a.zero());
               }
               if (opts.causal) {
                 Value i = linalg::IndexOp::create(bb, l, nb).getResult();
                 Value j = linalg::IndexOp::create(bb, l, nb + 1).getResult();
                 if (opts.rowOffset)
                   i = arith::AddIOp::create(bb, l, i, opts.rowOffset);
                 if (opts.colOffset)
                   j = arith::AddIOp::create(bb, l, j, opts.colOffset);
                 Value keep = arith::CmpIOp::create(
                     bb, l, arith::CmpIPredicate::sle, j, i);
                 c = arith::SelectOp::create(bb, l, keep, c, a.zero());
               }
               linalg::YieldOp::create(bb, l, a.add(args.back(), c));
             })
      .getResult(0);
}

Value mlir::inhibitor::lowerClampSum16(OpBuilder &b, Location loc, Value value,
                                       Value score, Value dest) {
  MLIRContext *ctx = b.getContext();
  auto zTy = cast<RankedTensorType>(score.getType());
  auto destTy = cast<RankedTensorType>(dest.getType());
  Type i16 = b.getI16Type();
  int64_t nb = destTy.getRank() - 2;
  // hi = min(Z, 32767), lo = -min(Z, 32768), as i16 (Z >= 0).
  SmallVector<OpFoldResult> zSizes = tensor::getMixedSizes(b, loc, score);
  Value hiDest = tensor::EmptyOp::create(b, loc, zSizes, i16).getResult();
  Value loDest = tensor::EmptyOp::create(b, loc, zSizes, i16).getResult();
  AffineMap id = AffineMap::getMultiDimIdentityMap(zTy.getRank(), ctx);
  auto bounds = linalg::GenericOp::create(
      b, loc, TypeRange{hiDest.getType(), loDest.getType()}, ValueRange{score},
      ValueRange{hiDest, loDest}, ArrayRef<AffineMap>{id, id, id},
      SmallVector<utils::IteratorType>(zTy.getRank(),
                                       utils::IteratorType::parallel),
      [&](OpBuilder &bb, Location l, ValueRange args) {
        Type acc = zTy.getElementType();
        auto c = [&](int64_t v) -> Value {
          return arith::ConstantOp::create(bb, l, IntegerAttr::get(acc, v));
        };
        Value hi = arith::MinSIOp::create(bb, l, args[0], c(32767));
        Value lo = arith::SubIOp::create(
            bb, l, c(0), arith::MinSIOp::create(bb, l, args[0], c(32768)));
        linalg::YieldOp::create(
            bb, l,
            ValueRange{arith::TruncIOp::create(bb, l, i16, hi).getResult(),
                       arith::TruncIOp::create(bb, l, i16, lo).getResult()});
      });
  // Iteration space (b..., i, j, e), as lowerInhibit's.
  SmallVector<AffineMap> maps = {
      batchedMap(ctx, nb, {1, 2}), batchedMap(ctx, nb, {0, 1}),
      batchedMap(ctx, nb, {0, 1}), batchedMap(ctx, nb, {0, 2})};
  return linalg::GenericOp::create(
             b, loc, destTy,
             ValueRange{value, bounds.getResult(0), bounds.getResult(1)},
             ValueRange{dest}, maps, iterators(nb + 3, nb + 1),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               Value c = arith::MaxSIOp::create(
                   bb, l, arith::MinSIOp::create(bb, l, args[0], args[1]),
                   args[2]);
               Value w =
                   arith::ExtSIOp::create(bb, l, destTy.getElementType(), c);
               linalg::YieldOp::create(
                   bb, l, arith::AddIOp::create(bb, l, args[3], w).getResult());
             })
      .getResult(0);
}

namespace {
struct InhibitToLinalg : OpRewritePattern<InhibitOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(InhibitOp op,
                                PatternRewriter &rewriter) const override {
    if (hasMultiHeadGroups(op.getHeadGroups(), {op.getValue()}))
      return rewriter.notifyMatchFailure(op, "grouped heads are split first");
    InhibitOptions opts;
    opts.isSigned = op.getIsSigned();
    opts.kvBroadcast = getKVBroadcast(op);
    rewriter.replaceOp(op, lowerInhibit(rewriter, op.getLoc(), op.getValue(),
                                        op.getScore(), op.getInit(), opts));
    return success();
  }
};

/// The unfused composite: Z [b..., N, M] is materialized (the fused, tiled
/// kernel never does; this is the reference lowering).
struct AttentionToLinalg : OpRewritePattern<AttentionOp> {
  AttentionToLinalg(MLIRContext *ctx, ScoreLowering scoreLowering)
      : OpRewritePattern(ctx), scoreLowering(scoreLowering) {}
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (hasMultiHeadGroups(op.getHeadGroups(), {op.getKey(), op.getValue()}))
      return rewriter.notifyMatchFailure(op, "grouped heads are split first");
    Location loc = op.getLoc();
    Value scoreDest =
        tensor::EmptyOp::create(rewriter, loc, op.getMixedScoreSizes(rewriter),
                                op.getAccumulatorType())
            .getResult();
    SmallVector<bool> kvBroadcast = getKVBroadcast(op);
    Value score =
        lowerScoreFor(rewriter, loc, op.getQuery(), op.getKey(), scoreDest,
                      op.getGammaOrDefault(), op.getAlphaOrDefault(),
                      op.getBias(), kvBroadcast, scoreLowering);
    InhibitOptions opts;
    opts.isSigned = op.getIsSigned();
    opts.kvBroadcast = kvBroadcast;
    opts.causal = op.getCausal();
    opts.rowOffset = op.getCausalOffset(); // pairs j <= i + d
    opts.scoreNonNegative = true;
    if (op.getMask())
      opts.mask = widenMask(rewriter, loc, op.getMask());
    rewriter.replaceOp(op, lowerInhibit(rewriter, loc, op.getValue(), score,
                                        op.getInit(), opts));
    return success();
  }

private:
  ScoreLowering scoreLowering;
};
} // namespace

void mlir::inhibitor::populateInhibitToLinalgPatterns(
    RewritePatternSet &patterns, const ScoreLowering &scoreLowering) {
  patterns.add<InhibitToLinalg>(patterns.getContext());
  patterns.add<AttentionToLinalg>(patterns.getContext(), scoreLowering);
}
