//===- GroupedHeadsToLinalg.cpp - Split grouped heads ---------------------===//
//
// Grouped heads (grouped-query attention): a batch dim with Hq query heads
// and Hkv > 1 key/value heads becomes two dims, (Hkv, g) on the query side
// and (Hkv, 1) on the key/value side (query head h = kv * g + r reads
// key/value head kv = h / g, exactly repeat_interleave). The op of one more
// batch dim only broadcasts size-1 key/value dims, which every lowering
// reads as index 0 (getKVBroadcast); the result collapses back. Nothing is
// repeated in memory: expand_shape and collapse_shape are views.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::inhibitor;

/// How one dim of an operand is expanded: kept, or split into two sizes.
namespace {
using DimSplit = std::optional<std::pair<int64_t, int64_t>>;
} // namespace

/// Expands the dims of `v` as `splits` says (one entry per dim). A split dim
/// that is dynamic in `v` is cast to its static size first (the verifier
/// made it equal to a static size elsewhere).
static Value expandDims(OpBuilder &b, Location loc, Value v,
                        ArrayRef<DimSplit> splits) {
  auto ty = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> staticShape(ty.getShape());
  for (auto [size, split] : llvm::zip_equal(staticShape, splits))
    if (split)
      size = split->first * split->second;
  if (ArrayRef<int64_t>(staticShape) != ty.getShape()) {
    ty = ty.clone(staticShape);
    v = tensor::CastOp::create(b, loc, ty, v).getResult();
  }
  SmallVector<ReassociationIndices> reassociation;
  SmallVector<int64_t> shape;
  SmallVector<OpFoldResult> outputShape;
  for (auto [d, split] : llvm::enumerate(splits)) {
    ReassociationIndices group;
    if (split) {
      group = {static_cast<int64_t>(shape.size()),
               static_cast<int64_t>(shape.size()) + 1};
      shape.append({split->first, split->second});
      outputShape.append(
          {b.getIndexAttr(split->first), b.getIndexAttr(split->second)});
    } else {
      group = {static_cast<int64_t>(shape.size())};
      shape.push_back(ty.getDimSize(d));
      outputShape.push_back(tensor::getMixedSize(b, loc, v, d));
    }
    reassociation.push_back(group);
  }
  if (reassociation.size() == shape.size())
    return v;
  return tensor::ExpandShapeOp::create(b, loc, ty.clone(shape), v,
                                       reassociation, outputShape)
      .getResult();
}

/// The splits of the grouped batch dims of a [b..., x, y] operand; `query`
/// selects the query side's (Hkv, g) or the key/value side's (Hkv, 1).
static SmallVector<DimSplit> batchSplits(ArrayRef<DimSplit> groupSplits,
                                         bool query) {
  SmallVector<DimSplit> splits;
  for (const DimSplit &g : groupSplits)
    splits.push_back(g ? DimSplit({g->first, query ? g->second : 1})
                       : DimSplit());
  splits.append(2, DimSplit());
  return splits;
}

/// The splits of a mask or bias operand (right-aligned on the score shape):
/// a size-1 dim stays broadcast (1, 1), another one splits as the query.
static SmallVector<DimSplit> broadcastSplits(Value operand,
                                             ArrayRef<DimSplit> groupSplits) {
  auto ty = cast<RankedTensorType>(operand.getType());
  int64_t r = groupSplits.size() + 2, offset = r - ty.getRank();
  SmallVector<DimSplit> splits;
  for (int64_t d = 0; d < ty.getRank(); ++d) {
    int64_t p = offset + d;
    if (p >= static_cast<int64_t>(groupSplits.size()) || !groupSplits[p])
      splits.push_back(DimSplit());
    else if (ty.getDimSize(d) == 1)
      splits.push_back(DimSplit({1, 1}));
    else
      splits.push_back(groupSplits[p]);
  }
  return splits;
}

/// The (Hkv, g) split of each batch dim that groups several key/value heads;
/// none where K/V has Q's heads or a single head.
template <typename OpTy>
static SmallVector<DimSplit> groupSplitsOf(OpTy op, ArrayRef<Value> kvSide) {
  SmallVector<ArrayRef<int64_t>> shapes;
  for (Value v : kvSide)
    shapes.push_back(cast<ShapedType>(v.getType()).getShape().drop_back(2));
  SmallVector<int64_t> kv = combineStaticShapes(shapes);
  SmallVector<DimSplit> splits;
  for (auto [g, size] : llvm::zip_equal(op.getHeadGroups(), kv))
    splits.push_back(g != 1 && size != 1 ? DimSplit({size, g}) : DimSplit());
  return splits;
}

/// Collapses `expanded` (the new op's result) back to the type of `original`.
static Value collapseResult(OpBuilder &b, Location loc, Value expanded,
                            ArrayRef<DimSplit> splits, Type original) {
  SmallVector<ReassociationIndices> reassociation;
  int64_t next = 0;
  for (const DimSplit &split : splits) {
    ReassociationIndices group = {next++};
    if (split)
      group.push_back(next++);
    reassociation.push_back(group);
  }
  Value collapsed =
      tensor::CollapseShapeOp::create(b, loc, expanded, reassociation)
          .getResult();
  if (collapsed.getType() != original)
    collapsed = tensor::CastOp::create(b, loc, original, collapsed).getResult();
  return collapsed;
}

namespace {
struct ExpandGroupedScore : OpRewritePattern<ManhattanScoreOp> {
  ExpandGroupedScore(MLIRContext *ctx)
      : OpRewritePattern(ctx, /*benefit=*/10) {}
  LogicalResult matchAndRewrite(ManhattanScoreOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<DimSplit> groups = groupSplitsOf(op, {op.getKey()});
    if (llvm::none_of(groups, [](const DimSplit &s) { return s.has_value(); }))
      return rewriter.notifyMatchFailure(op, "no grouped heads");
    Location loc = op.getLoc();
    SmallVector<DimSplit> q = batchSplits(groups, true),
                          kv = batchSplits(groups, false);
    Value bias = op.getBias();
    if (bias)
      bias = expandDims(rewriter, loc, bias, broadcastSplits(bias, groups));
    Value init = expandDims(rewriter, loc, op.getInit(), q);
    Value expanded =
        ManhattanScoreOp::create(
            rewriter, loc, expandDims(rewriter, loc, op.getQuery(), q),
            expandDims(rewriter, loc, op.getKey(), kv), bias, init,
            op.getGammaAttr(), op.getAlphaAttr())
            .getResult();
    rewriter.replaceOp(op, collapseResult(rewriter, loc, expanded, q,
                                          op.getResult().getType()));
    return success();
  }
};

struct ExpandGroupedInhibit : OpRewritePattern<InhibitOp> {
  ExpandGroupedInhibit(MLIRContext *ctx)
      : OpRewritePattern(ctx, /*benefit=*/10) {}
  LogicalResult matchAndRewrite(InhibitOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<DimSplit> groups = groupSplitsOf(op, {op.getValue()});
    if (llvm::none_of(groups, [](const DimSplit &s) { return s.has_value(); }))
      return rewriter.notifyMatchFailure(op, "no grouped heads");
    Location loc = op.getLoc();
    SmallVector<DimSplit> q = batchSplits(groups, true),
                          kv = batchSplits(groups, false);
    Value init = expandDims(rewriter, loc, op.getInit(), q);
    Value expanded =
        InhibitOp::create(rewriter, loc, init.getType(),
                          expandDims(rewriter, loc, op.getValue(), kv),
                          expandDims(rewriter, loc, op.getScore(), q), init,
                          op.getIsSignedAttr())
            .getResult();
    rewriter.replaceOp(op, collapseResult(rewriter, loc, expanded, q,
                                          op.getResult().getType()));
    return success();
  }
};

/// Grouped heads folded into the queries, where one batch dim is grouped,
/// it is the last one, and nothing relates a query's index to its head or
/// position (no mask, no bias, not causal): query head h = kv * g + r's N
/// queries become rows r * N + i of key/value head kv, Q [b..., Hkv * g, N,
/// D] -> [b..., Hkv, g * N, D] (a view, as is the result's way back). Each
/// K/V head is then read once for its g query heads instead of once per
/// query head, and its key tiles serve g times as many queries (decode
/// with grouped-query attention, docs/Tiling.md).
struct FoldGroupedAttention : OpRewritePattern<AttentionOp> {
  FoldGroupedAttention(MLIRContext *ctx)
      : OpRewritePattern(ctx, /*benefit=*/11) {}
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<DimSplit> groups =
        groupSplitsOf(op, {op.getKey(), op.getValue()});
    int64_t nb = groups.size();
    if (nb == 0 || !groups.back() ||
        llvm::count_if(groups,
                       [](const DimSplit &s) { return s.has_value(); }) != 1)
      return rewriter.notifyMatchFailure(op, "not one grouped dim, the last");
    if (op.getMask() || op.getBias() || op.getCausal())
      return rewriter.notifyMatchFailure(op, "a mask, a bias or causal");
    Location loc = op.getLoc();
    int64_t g = groups.back()->second;
    // [b..., Hkv * g, N, x] -> [b..., Hkv, g, N, x] -> [b..., Hkv, g * N, x].
    SmallVector<DimSplit> q = batchSplits(groups, true);
    SmallVector<ReassociationIndices> fold;
    for (int64_t d = 0; d < nb; ++d)
      fold.push_back({d});
    fold.push_back({nb, nb + 1});
    fold.push_back({nb + 2});
    auto toRows = [&](Value v) -> Value {
      return tensor::CollapseShapeOp::create(
                 rewriter, loc, expandDims(rewriter, loc, v, q), fold)
          .getResult();
    };
    auto foldedOp = AttentionOp::create(
        rewriter, loc, toRows(op.getQuery()), op.getKey(), op.getValue(),
        Value(), Value(), toRows(op.getInit()), op.getGammaAttr(),
        op.getAlphaAttr(), op.getIsSigned(), /*causal=*/false);
    // K is unchanged: so are its prepared forms; so are the data.
    if (Value keyTiles = op.getKeyTiles())
      foldedOp.getKeyTilesMutable().assign(keyTiles);
    if (Value biasedKeys = op.getBiasedKeys())
      foldedOp.getBiasedKeysMutable().assign(biasedKeys);
    foldedOp.setNarrowSumsAttr(op.getNarrowSumsAttr());
    foldedOp.setExactDifferences(op.getExactDifferences());
    Value folded = foldedOp.getResult();
    // And back: [b..., Hkv, g * N, E] -> [b..., Hkv, g, N, E] -> [b...,
    // Hkv * g, N, E].
    auto foldedTy = cast<RankedTensorType>(folded.getType());
    SmallVector<int64_t> shape(foldedTy.getShape());
    shape[nb] = cast<RankedTensorType>(op.getQuery().getType()).getDimSize(nb);
    shape.insert(shape.begin() + nb, g);
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, folded);
    sizes[nb] = tensor::getMixedSize(rewriter, loc, op.getQuery(), nb);
    sizes.insert(sizes.begin() + nb, rewriter.getIndexAttr(g));
    Value rows = tensor::ExpandShapeOp::create(
                     rewriter, loc, foldedTy.clone(shape), folded, fold, sizes)
                     .getResult();
    rewriter.replaceOp(
        op, collapseResult(rewriter, loc, rows, q, op.getResult().getType()));
    return success();
  }
};

struct ExpandGroupedAttention : OpRewritePattern<AttentionOp> {
  ExpandGroupedAttention(MLIRContext *ctx)
      : OpRewritePattern(ctx, /*benefit=*/10) {}
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<DimSplit> groups =
        groupSplitsOf(op, {op.getKey(), op.getValue()});
    if (llvm::none_of(groups, [](const DimSplit &s) { return s.has_value(); }))
      return rewriter.notifyMatchFailure(op, "no grouped heads");
    Location loc = op.getLoc();
    SmallVector<DimSplit> q = batchSplits(groups, true),
                          kv = batchSplits(groups, false);
    Value mask = op.getMask(), bias = op.getBias();
    if (mask)
      mask = expandDims(rewriter, loc, mask, broadcastSplits(mask, groups));
    if (bias)
      bias = expandDims(rewriter, loc, bias, broadcastSplits(bias, groups));
    Value init = expandDims(rewriter, loc, op.getInit(), q);
    Value biasedKeys = op.getBiasedKeys();
    if (biasedKeys)
      biasedKeys = expandDims(rewriter, loc, biasedKeys, kv);
    auto expandedOp = AttentionOp::create(
        rewriter, loc, expandDims(rewriter, loc, op.getQuery(), q),
        expandDims(rewriter, loc, op.getKey(), kv),
        expandDims(rewriter, loc, op.getValue(), kv), mask, bias, init,
        op.getGammaAttr(), op.getAlphaAttr(), op.getIsSigned(), op.getCausal());
    // The same data, reshaped; the biased keys in K's shape as K.
    expandedOp.setNarrowSumsAttr(op.getNarrowSumsAttr());
    expandedOp.setExactDifferences(op.getExactDifferences());
    if (biasedKeys)
      expandedOp.getBiasedKeysMutable().assign(biasedKeys);
    if (Value causalOffset = op.getCausalOffset())
      expandedOp.getCausalOffsetMutable().assign(causalOffset);
    Value expanded = expandedOp.getResult();
    rewriter.replaceOp(op, collapseResult(rewriter, loc, expanded, q,
                                          op.getResult().getType()));
    return success();
  }
};
} // namespace

void mlir::inhibitor::populateGroupedHeadsToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ExpandGroupedScore, ExpandGroupedInhibit, FoldGroupedAttention,
               ExpandGroupedAttention>(patterns.getContext());
}
