//===- PartialReductionImpl.cpp - Key splits of inhibit and attention -----===//
//
// PartialReductionOpInterface of inhibitor.inhibit and inhibitor.attention
// (docs/Tiling.md): the tiles themselves come from TilingInterfaceImpl.cpp.
//
//===----------------------------------------------------------------------===//

#include "TilingInterfaceImpl.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/TilingInterface.h"

using namespace mlir;
using namespace mlir::inhibitor;

//===----------------------------------------------------------------------===//
// PartialReductionOpInterface (inhibit, attention): the keys split into S
// parts computed in parallel, whose partial results are added afterwards
// (the outer-parallel strategy: `transform.structured.
// tile_reduction_using_forall`, `--inhibitor-tile=key-splits=S`). The
// inhibition is a plain sum over keys, so nothing is rescaled.
// Partial results: [S, b..., N, E], the split first, so that each split
// writes one contiguous [b..., N, E] (linalg appends it last instead).
//===----------------------------------------------------------------------===//

static LogicalResult checkKeyReduction(Operation *op,
                                       const SetVector<unsigned> &dims) {
  int64_t r = cast<RankedTensorType>(op->getResult(0).getType()).getRank();
  if (dims.size() != 1 || dims[0] != r)
    return op->emitOpError("only the key dim (") << r << ") is a reduction";
  return success();
}

static FailureOr<SmallVector<Value>>
initialPartials(Operation *op, OpBuilder &b, Location loc,
                ArrayRef<OpFoldResult> sizes,
                const SetVector<unsigned> &reductionDims) {
  if (failed(checkKeyReduction(op, reductionDims)))
    return failure();
  auto resultTy = cast<RankedTensorType>(op->getResult(0).getType());
  int64_t r = resultTy.getRank();
  SmallVector<OpFoldResult> shape = {sizes[r]};
  shape.append(sizes.begin(), sizes.begin() + r);
  Type elt = resultTy.getElementType();
  Value empty = tensor::EmptyOp::create(b, loc, shape, elt);
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(elt));
  return SmallVector<Value>{
      linalg::FillOp::create(b, loc, zero, empty).getResult(0)};
}

/// The partial result of split `splitIv`: [splitIv, b..., N, E] of the
/// partials.
static void partialPosition(OpBuilder &b, int64_t r,
                            ArrayRef<OpFoldResult> offsets,
                            ArrayRef<OpFoldResult> sizes, OpFoldResult splitIv,
                            SmallVector<OpFoldResult> &partialOffsets,
                            SmallVector<OpFoldResult> &partialSizes) {
  partialOffsets.assign({splitIv});
  partialSizes.assign({b.getIndexAttr(1)});
  partialOffsets.append(offsets.begin(), offsets.begin() + r);
  partialSizes.append(sizes.begin(), sizes.begin() + r);
}

template <typename TileFn>
static FailureOr<TilingResult>
tileKeySplit(Operation *op, OpBuilder &b, Location loc,
             ReductionTilingStrategy strategy, ValueRange init,
             ArrayRef<OpFoldResult> offsets, ArrayRef<OpFoldResult> sizes,
             const SetVector<unsigned> &reductionDims,
             ArrayRef<OpFoldResult> splitReductionIvs, TileFn tile) {
  if (failed(checkKeyReduction(op, reductionDims)))
    return failure();
  if (strategy != ReductionTilingStrategy::PartialReductionOuterParallel)
    return op->emitOpError(
        "the keys split only into parallel partial results (the "
        "outer-parallel strategy, e.g. tile_reduction_using_forall); tile "
        "them in an scf.for with the full-reduction strategy instead");
  auto resultTy = cast<RankedTensorType>(op->getResult(0).getType());
  int64_t r = resultTy.getRank();
  SmallVector<OpFoldResult> offs, szs;
  partialPosition(b, r, offsets, sizes, splitReductionIvs[0], offs, szs);
  SmallVector<int64_t> shape;
  std::tie(shape, std::ignore) =
      decomposeMixedValues(ArrayRef<OpFoldResult>(szs).drop_front());
  auto sliceTy = RankedTensorType::get(shape, resultTy.getElementType());
  SmallVector<OpFoldResult> strides(r + 1, b.getIndexAttr(1));
  auto slice = tensor::ExtractSliceOp::create(b, loc, sliceTy, init[0], offs,
                                              szs, strides);
  FailureOr<TilingResult> tiled = tile(slice.getResult());
  if (failed(tiled))
    return failure();
  tiled->generatedSlices.push_back(slice);
  return tiled;
}

static FailureOr<MergeResult>
mergePartials(Operation *op, OpBuilder &b, Location loc,
              ValueRange partialReduce,
              const SetVector<unsigned> &reductionDims) {
  if (failed(checkKeyReduction(op, reductionDims)))
    return failure();
  Value partial = partialReduce[0];
  auto partialTy = cast<RankedTensorType>(partial.getType());
  int64_t r = partialTy.getRank() - 1;
  SmallVector<OpFoldResult> shape;
  for (int64_t d = 1; d <= r; ++d)
    shape.push_back(tensor::getMixedSize(b, loc, partial, d));
  Type elt = partialTy.getElementType();
  Value empty = tensor::EmptyOp::create(b, loc, shape, elt);
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(elt));
  auto fill = linalg::FillOp::create(b, loc, zero, empty);
  auto reduce = linalg::ReduceOp::create(
      b, loc, ValueRange{partial}, ValueRange{fill.getResult(0)},
      ArrayRef<int64_t>{0}, [&](OpBuilder &rb, Location rl, ValueRange args) {
        Value sum =
            isa<FloatType>(elt)
                ? arith::AddFOp::create(rb, rl, args[0], args[1]).getResult()
                : arith::AddIOp::create(rb, rl, args[0], args[1]).getResult();
        linalg::YieldOp::create(rb, rl, sum);
      });
  return MergeResult{{reduce}, {reduce.getResult(0)}};
}

FailureOr<SmallVector<Value>>
InhibitOp::generateInitialTensorForPartialReduction(
    OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
    const SetVector<unsigned> &reductionDims) {
  return initialPartials(*this, b, loc, sizes, reductionDims);
}

FailureOr<TilingResult> InhibitOp::tileToPartialReduction(
    OpBuilder &b, Location loc, ReductionTilingStrategy strategy,
    ValueRange init, ArrayRef<OpFoldResult> offsets,
    ArrayRef<OpFoldResult> sizes, const SetVector<unsigned> &reductionDims,
    ArrayRef<OpFoldResult> splitReductionIvs) {
  return tileKeySplit(*this, b, loc, strategy, init, offsets, sizes,
                      reductionDims, splitReductionIvs, [&](Value dest) {
                        return detail::tileInhibit(*this, b, offsets, sizes,
                                                   dest);
                      });
}

FailureOr<MergeResult>
InhibitOp::mergeReductions(OpBuilder &b, Location loc, ValueRange partialReduce,
                           const SetVector<unsigned> &reductionDims) {
  return mergePartials(*this, b, loc, partialReduce, reductionDims);
}

LogicalResult InhibitOp::getPartialResultTilePosition(
    OpBuilder &b, unsigned, ReductionTilingStrategy,
    ArrayRef<OpFoldResult> offsets, ArrayRef<OpFoldResult> sizes,
    const SetVector<unsigned> &, ArrayRef<OpFoldResult> splitReductionIvs,
    SmallVector<OpFoldResult> &resultOffsets,
    SmallVector<OpFoldResult> &resultSizes) {
  partialPosition(b, getResult().getType().getRank(), offsets, sizes,
                  splitReductionIvs[0], resultOffsets, resultSizes);
  return success();
}

FailureOr<SmallVector<Value>>
AttentionOp::generateInitialTensorForPartialReduction(
    OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
    const SetVector<unsigned> &reductionDims) {
  return initialPartials(*this, b, loc, sizes, reductionDims);
}

FailureOr<TilingResult> AttentionOp::tileToPartialReduction(
    OpBuilder &b, Location loc, ReductionTilingStrategy strategy,
    ValueRange init, ArrayRef<OpFoldResult> offsets,
    ArrayRef<OpFoldResult> sizes, const SetVector<unsigned> &reductionDims,
    ArrayRef<OpFoldResult> splitReductionIvs) {
  return tileKeySplit(*this, b, loc, strategy, init, offsets, sizes,
                      reductionDims, splitReductionIvs, [&](Value dest) {
                        return detail::tileAttention(*this, b, offsets, sizes,
                                                     dest);
                      });
}

FailureOr<MergeResult>
AttentionOp::mergeReductions(OpBuilder &b, Location loc,
                             ValueRange partialReduce,
                             const SetVector<unsigned> &reductionDims) {
  return mergePartials(*this, b, loc, partialReduce, reductionDims);
}

LogicalResult AttentionOp::getPartialResultTilePosition(
    OpBuilder &b, unsigned, ReductionTilingStrategy,
    ArrayRef<OpFoldResult> offsets, ArrayRef<OpFoldResult> sizes,
    const SetVector<unsigned> &, ArrayRef<OpFoldResult> splitReductionIvs,
    SmallVector<OpFoldResult> &resultOffsets,
    SmallVector<OpFoldResult> &resultSizes) {
  partialPosition(b, getResult().getType().getRank(), offsets, sizes,
                  splitReductionIvs[0], resultOffsets, resultSizes);
  return success();
}
