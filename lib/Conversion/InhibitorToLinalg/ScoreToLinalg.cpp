//===- ScoreToLinalg.cpp - manhattan_score to linalg ----------------------===//
//
// The score as linalg.generic ops on tensors: the iteration space puts the
// reduction over D in the middle and the keys innermost ((b..., i, k, j)
// over K^T), so that vectorized tiles add whole vectors of keys and need no
// horizontal reductions.
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

Value mlir::inhibitor::transposeKeyForScore(OpBuilder &b, Location loc,
                                            Value key) {
  auto keyTy = cast<RankedTensorType>(key.getType());
  int64_t r = keyTy.getRank();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, key);
  std::swap(sizes[r - 1], sizes[r - 2]);
  Value dest = tensor::EmptyOp::create(b, loc, sizes, keyTy.getElementType())
                   .getResult();
  SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, r));
  std::swap(perm[r - 1], perm[r - 2]);
  return linalg::TransposeOp::create(b, loc, key, dest, perm).getResult()[0];
}

Value mlir::inhibitor::transposeKeyTiled(OpBuilder &b, Location loc, Value key,
                                         int64_t tile) {
  auto keyTy = cast<RankedTensorType>(key.getType());
  int64_t r = keyTy.getRank();
  int64_t m = keyTy.getDimSize(r - 2);
  assert(tile > 0 && (ShapedType::isDynamic(m) || m % tile == 0) &&
         "M a multiple of the tile");
  // [b..., M, D] -> [b..., M / tile, tile, D] -> [b..., M / tile, D, tile].
  SmallVector<int64_t> shape(keyTy.getShape());
  shape[r - 2] = ShapedType::isDynamic(m) ? m : m / tile;
  shape.insert(shape.begin() + r - 1, tile);
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d < r - 2; ++d)
    groups.push_back({d});
  groups.push_back({r - 2, r - 1});
  groups.push_back({r});
  auto expandedTy = RankedTensorType::get(shape, keyTy.getElementType());
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, key);
  SmallVector<OpFoldResult> expandedSizes(sizes.begin(), sizes.end() - 2);
  OpFoldResult numTiles =
      ShapedType::isDynamic(m)
          ? OpFoldResult(
                arith::DivUIOp::create(
                    b, loc,
                    getValueOrCreateConstantIndexOp(b, loc, sizes[r - 2]),
                    arith::ConstantIndexOp::create(b, loc, tile))
                    .getResult())
          : OpFoldResult(b.getIndexAttr(m / tile));
  expandedSizes.append({numTiles, b.getIndexAttr(tile), sizes[r - 1]});
  Value expanded = tensor::ExpandShapeOp::create(b, loc, expandedTy, key,
                                                 groups, expandedSizes);
  std::swap(expandedSizes[r], expandedSizes[r - 1]);
  Value dest =
      tensor::EmptyOp::create(b, loc, expandedSizes, keyTy.getElementType())
          .getResult();
  SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, r + 1));
  std::swap(perm[r], perm[r - 1]);
  return linalg::TransposeOp::create(b, loc, expanded, dest, perm)
      .getResult()[0];
}

Value mlir::inhibitor::lowerScoreEpilogue(OpBuilder &b, Location loc, Value sum,
                                          TypedAttr gamma, TypedAttr alpha,
                                          Value bias) {
  MLIRContext *ctx = b.getContext();
  auto sumTy = cast<RankedTensorType>(sum.getType());
  Type acc = sumTy.getElementType();
  int64_t rank = sumTy.getRank();
  bool hasAlpha = isa<IntegerAttr>(alpha)
                      ? !cast<IntegerAttr>(alpha).getValue().isZero()
                      : !cast<FloatAttr>(alpha).getValue().isZero();
  AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(AffineMap::get(
        rank, 0,
        getBroadcastExprs(cast<ShapedType>(bias.getType()).getShape(),
                          id.getResults()),
        ctx));
  }
  maps.push_back(id);
  return linalg::GenericOp::create(
             b, loc, sumTy, inputs, ValueRange{sum}, maps,
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               AccumulatorArith a{bb, l, acc};
               Value x = a.divideByGamma(args.back(), gamma);
               if (hasAlpha)
                 x = a.sub(x, a.constant(alpha));
               if (bias)
                 x = a.sub(x, args[0]);
               linalg::YieldOp::create(bb, l, a.max(x, a.zero()));
             })
      .getResult(0);
}

Value mlir::inhibitor::widenElements(OpBuilder &b, Location loc, Value x,
                                     Type to, bool isSigned) {
  auto ty = cast<RankedTensorType>(x.getType());
  Value dest =
      tensor::EmptyOp::create(b, loc, tensor::getMixedSizes(b, loc, x), to)
          .getResult();
  AffineMap id =
      AffineMap::getMultiDimIdentityMap(ty.getRank(), b.getContext());
  return linalg::GenericOp::create(
             b, loc, dest.getType(), ValueRange{x}, ValueRange{dest},
             ArrayRef<AffineMap>{id, id},
             SmallVector<utils::IteratorType>(ty.getRank(),
                                              utils::IteratorType::parallel),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               Value wide =
                   isSigned
                       ? arith::ExtSIOp::create(bb, l, to, args[0]).getResult()
                       : arith::ExtUIOp::create(bb, l, to, args[0]).getResult();
               linalg::YieldOp::create(bb, l, wide);
             })
      .getResult(0);
}

Value mlir::inhibitor::lowerScoreSum(OpBuilder &b, Location loc, Value query,
                                     Value keyT, Value init,
                                     ArrayRef<bool> kvBroadcast,
                                     bool keyIsTransposed,
                                     bool exactDifferences) {
  MLIRContext *ctx = b.getContext();
  auto initTy = cast<RankedTensorType>(init.getType());
  Type acc = initTy.getElementType();
  int64_t nb = initTy.getRank() - 2;
  // Iteration space (b..., i, k, j): 0 = i (N), 1 = k (D), 2 = j (M). The
  // key is read as K^T [b..., D, M] or, untransposed, as K [b..., M, D].
  SmallVector<AffineMap> maps = {batchedMap(ctx, nb, {0, 1}),
                                 keyIsTransposed
                                     ? batchedMap(ctx, nb, {1, 2}, kvBroadcast)
                                     : batchedMap(ctx, nb, {2, 1}, kvBroadcast),
                                 batchedMap(ctx, nb, {0, 2})};
  auto sums = linalg::GenericOp::create(
      b, loc, initTy, ValueRange{query, keyT}, ValueRange{init}, maps,
      iterators(nb + 3, nb + 1),
      [&](OpBuilder &bb, Location l, ValueRange args) {
        AccumulatorArith a{bb, l, acc};
        Value d = a.sub(a.widen(args[0]), a.widen(args[1]));
        linalg::YieldOp::create(bb, l, a.add(args[2], a.abs(d)));
      });
  if (exactDifferences)
    sums->setAttr(kExactDifferencesAttr, b.getUnitAttr());
  return sums.getResult(0);
}

Value mlir::inhibitor::lowerScoreKeyRows(OpBuilder &b, Location loc,
                                         Value query, Value key, Value dest,
                                         TypedAttr gamma, TypedAttr alpha,
                                         Value bias) {
  MLIRContext *ctx = b.getContext();
  auto destTy = cast<RankedTensorType>(dest.getType());
  Type acc = destTy.getElementType();
  int64_t nb = destTy.getRank() - 2;
  // Iteration space (b..., i, j, k): the reduction over D innermost and
  // contiguous in Q [b..., N, D] and K [b..., M, D].
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
  return lowerScoreEpilogue(b, loc, sum, gamma, alpha, bias);
}

Value mlir::inhibitor::lowerScore(OpBuilder &b, Location loc, Value query,
                                  Value keyT, Value dest, TypedAttr gamma,
                                  TypedAttr alpha, Value bias,
                                  ArrayRef<bool> kvBroadcast,
                                  bool keyIsTransposed, bool exactDifferences) {
  Value sum = lowerScoreSum(b, loc, query, keyT, fillZero(b, loc, dest),
                            kvBroadcast, keyIsTransposed, exactDifferences);
  return lowerScoreEpilogue(b, loc, sum, gamma, alpha, bias);
}

Value mlir::inhibitor::lowerScoreFor(OpBuilder &b, Location loc, Value query,
                                     Value key, Value dest, TypedAttr gamma,
                                     TypedAttr alpha, Value bias,
                                     ArrayRef<bool> kvBroadcast,
                                     const ScoreLowering &scoreLowering) {
  Type acc = cast<RankedTensorType>(dest.getType()).getElementType();
  if (scoreLowering.sadScore &&
      useSADScore(query, acc, scoreLowering.sadDimMultiple)) {
    Value queryU = offsetBytes(b, loc, query);
    Value keyU = offsetBytes(b, loc, key);
    return lowerScoreSAD(b, loc, queryU, keyU, dest, gamma, alpha, bias,
                         kvBroadcast);
  }
  if (scoreLowering.transposeKey)
    key = transposeKeyForScore(b, loc, key);
  return lowerScore(b, loc, query, key, dest, gamma, alpha, bias, kvBroadcast,
                    scoreLowering.transposeKey);
}

namespace {
struct ManhattanScoreToLinalg : OpRewritePattern<ManhattanScoreOp> {
  ManhattanScoreToLinalg(MLIRContext *ctx, ScoreLowering scoreLowering)
      : OpRewritePattern(ctx), scoreLowering(scoreLowering) {}
  LogicalResult matchAndRewrite(ManhattanScoreOp op,
                                PatternRewriter &rewriter) const override {
    if (hasMultiHeadGroups(op.getHeadGroups(), {op.getKey()}))
      return rewriter.notifyMatchFailure(op, "grouped heads are split first");
    rewriter.replaceOp(op, lowerScoreFor(rewriter, op.getLoc(), op.getQuery(),
                                         op.getKey(), op.getInit(),
                                         op.getGammaOrDefault(),
                                         op.getAlphaOrDefault(), op.getBias(),
                                         getKVBroadcast(op), scoreLowering));
    return success();
  }

private:
  ScoreLowering scoreLowering;
};
} // namespace

void mlir::inhibitor::populateScoreToLinalgPatterns(
    RewritePatternSet &patterns, const ScoreLowering &scoreLowering) {
  patterns.add<ManhattanScoreToLinalg>(patterns.getContext(), scoreLowering);
}
