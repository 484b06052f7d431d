//===- TilingInterfaceImpl.cpp - TilingInterface of the inhibitor ops -----===//
//
// The iteration domains (docs/Tiling.md):
//   manhattan_score  [b..., N, M]        all parallel
//   inhibit          [b..., N, E, M]     M (the keys) a reduction
//   attention        [b..., N, E, M]     M (the keys) a reduction
// D, the score's own reduction, is not in a domain: a tile always sums all
// of D. A tile of the domain is the same op on slices of the operands, so
// `scf::tileUsingSCF`, tile-and-fuse and the transform dialect
// (`transform.structured.tile_using_for` / `_forall`) work on the ops.
//
// Three things need care:
// - K/V batch dims: a static-1 (broadcast) dim reads [0, 1); a grouped dim
//   (query head h reads K/V head h / g) tiles only by 1 (the tile reads head
//   h / g, which then broadcasts) or not at all.
// - `causal` relates query and key indices. A tile whose query or key
//   offset is not 0 stays causal with its diagonal moved: `causal_offset`
//   d + i0 - j0 (pairs j0 + j <= i0 + i + d), so that its lowering skips
//   the key tiles above the diagonal as the untiled op's does.
// - The ops overwrite their destination, while tiling the key reduction
//   (scf.for over M) passes the partial result as the destination: a key
//   tile computes into a fresh tensor and adds it into the partial result,
//   unless it is the first tile (offset 0), which replaces it. Integer sums are
//   exact in any order (they wrap as the untiled op does); float sums are
//   reassociated.
// The key splits (PartialReductionOpInterface) are in
// PartialReductionImpl.cpp.
//
//===----------------------------------------------------------------------===//

#include "TilingInterfaceImpl.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/TilingInterface.h"

using namespace mlir;
using namespace mlir::inhibitor;

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

static Range fullRange(OpBuilder &b, Location loc, Value v, int64_t dim) {
  return Range{b.getIndexAttr(0), tensor::getMixedSize(b, loc, v, dim),
               b.getIndexAttr(1)};
}

static bool isFullTile(OpFoldResult offset, OpFoldResult size,
                       OpFoldResult extent) {
  return isZeroInteger(offset) && isEqualConstantIntOrValue(size, extent);
}

static Value extractSlice(OpBuilder &b, Location loc, Value src,
                          ArrayRef<OpFoldResult> offsets,
                          ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> strides(offsets.size(), b.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(b, loc, src, offsets, sizes, strides)
      .getResult();
}

/// True where `ofr` is provably a multiple of `factor`: a constant; the
/// induction variable of an scf.for or scf.forall whose lower bound and step
/// are constant multiples of it (as the loops that tile a dim by a multiple
/// of `factor` make them); an affine.apply whose one result is a multiple of
/// it in its own terms (e.g. d0 * 128), or the same of multiples.
static bool isMultipleOf(OpFoldResult ofr, int64_t factor, int depth = 0) {
  if (std::optional<int64_t> c = getConstantIntValue(ofr))
    return *c % factor == 0;
  auto v = dyn_cast<Value>(ofr);
  if (!v || depth > 4)
    return false;
  auto multipleConstant = [&](OpFoldResult x) {
    std::optional<int64_t> c = getConstantIntValue(x);
    return c && *c % factor == 0;
  };
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    Operation *owner = arg.getOwner()->getParentOp();
    if (auto forOp = dyn_cast<scf::ForOp>(owner))
      return arg == forOp.getInductionVar() &&
             multipleConstant(forOp.getLowerBound()) &&
             multipleConstant(forOp.getStep());
    if (auto forall = dyn_cast<scf::ForallOp>(owner)) {
      std::optional<unsigned> i;
      for (auto [k, iv] : llvm::enumerate(forall.getInductionVars()))
        if (iv == arg)
          i = k;
      return i && multipleConstant(forall.getMixedLowerBound()[*i]) &&
             multipleConstant(forall.getMixedStep()[*i]);
    }
    return false;
  }
  if (auto apply = v.getDefiningOp<affine::AffineApplyOp>()) {
    AffineExpr e = apply.getAffineMap().getResult(0);
    if (e.isMultipleOf(factor))
      return true;
    // d0 (or s0) itself, of a multiple.
    if (auto d = dyn_cast<AffineDimExpr>(e))
      return isMultipleOf(apply.getMapOperands()[d.getPosition()], factor,
                          depth + 1);
    if (auto sym = dyn_cast<AffineSymbolExpr>(e))
      return isMultipleOf(
          apply.getMapOperands()[apply.getAffineMap().getNumDims() +
                                 sym.getPosition()],
          factor, depth + 1);
  }
  return false;
}

/// Offsets and sizes of the batch dims of a K/V operand for the batch tile
/// (`offsets`, `sizes`) of the query side; fails for a grouped dim tiled by
/// other than 1 or its whole extent.
static LogicalResult kvBatchTile(OpBuilder &b, Location loc, Value kv,
                                 Value querySide,
                                 ArrayRef<OpFoldResult> offsets,
                                 ArrayRef<OpFoldResult> sizes,
                                 SmallVectorImpl<OpFoldResult> &kvOffsets,
                                 SmallVectorImpl<OpFoldResult> &kvSizes) {
  auto kvTy = cast<RankedTensorType>(kv.getType());
  auto qTy = cast<RankedTensorType>(querySide.getType());
  for (auto [d, off, size] : llvm::enumerate(offsets, sizes)) {
    int64_t kvDim = kvTy.getDimSize(d), qDim = qTy.getDimSize(d);
    if (kvDim == 1 && qDim != 1) { // broadcast
      kvOffsets.push_back(b.getIndexAttr(0));
      kvSizes.push_back(b.getIndexAttr(1));
      continue;
    }
    if (ShapedType::isDynamic(kvDim) || ShapedType::isDynamic(qDim) ||
        kvDim == qDim) { // the same heads
      kvOffsets.push_back(off);
      kvSizes.push_back(size);
      continue;
    }
    // Grouped: query head h reads K/V head h / g.
    int64_t g = qDim / kvDim;
    if (isFullTile(off, size, b.getIndexAttr(qDim))) {
      kvOffsets.push_back(b.getIndexAttr(0));
      kvSizes.push_back(b.getIndexAttr(kvDim));
    } else if (isOneInteger(size)) {
      if (std::optional<int64_t> c = getConstantIntValue(off)) {
        kvOffsets.push_back(b.getIndexAttr(*c / g));
      } else {
        Value gv = arith::ConstantIndexOp::create(b, loc, g);
        kvOffsets.push_back(
            arith::DivUIOp::create(b, loc, cast<Value>(off), gv).getResult());
      }
      kvSizes.push_back(b.getIndexAttr(1));
    } else {
      return failure();
    }
  }
  return success();
}

/// The slice of a `mask` or `bias` operand (broadcastable, right-aligned, to
/// the score space [b..., N, M]) for the score-space tile.
static Value broadcastOperandTile(OpBuilder &b, Location loc, Value src,
                                  ArrayRef<OpFoldResult> offsets,
                                  ArrayRef<OpFoldResult> sizes) {
  auto ty = cast<RankedTensorType>(src.getType());
  int64_t lead = offsets.size() - ty.getRank();
  SmallVector<OpFoldResult> offs, szs;
  for (int64_t d = 0; d < ty.getRank(); ++d) {
    if (ty.getDimSize(d) == 1) {
      offs.push_back(b.getIndexAttr(0));
      szs.push_back(b.getIndexAttr(1));
    } else {
      offs.push_back(offsets[lead + d]);
      szs.push_back(sizes[lead + d]);
    }
  }
  return extractSlice(b, loc, src, offs, szs);
}

/// For a tile that covers keys after the first: the tiled op wrote a fresh
/// tensor (`tileResult`); add it into the partial result (`partial`, the
/// destination slice). Where the key offset is dynamic, the first key tile
/// (offset 0) replaces the partial result instead. One elementwise
/// linalg.generic that writes `partial`, so that bufferization keeps the
/// partial result in place.
static Value addPartialResult(OpBuilder &b, Location loc, Value tileResult,
                              Value partial, OpFoldResult keyOffset,
                              SmallVectorImpl<Operation *> &tiledOps) {
  auto ty = cast<RankedTensorType>(partial.getType());
  Value first;
  if (!getConstantIntValue(keyOffset)) {
    Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
    first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                  cast<Value>(keyOffset), c0);
  }
  AffineMap id = b.getMultiDimIdentityMap(ty.getRank());
  SmallVector<utils::IteratorType> iterators(ty.getRank(),
                                             utils::IteratorType::parallel);
  auto add = linalg::GenericOp::create(
      b, loc, TypeRange{ty}, ValueRange{tileResult}, ValueRange{partial},
      ArrayRef<AffineMap>{id, id}, iterators,
      [&](OpBuilder &gb, Location gl, ValueRange args) {
        Value sum =
            isa<FloatType>(ty.getElementType())
                ? arith::AddFOp::create(gb, gl, args[0], args[1]).getResult()
                : arith::AddIOp::create(gb, gl, args[0], args[1]).getResult();
        if (first)
          sum = arith::SelectOp::create(gb, gl, first, args[0], sum);
        linalg::YieldOp::create(gb, gl, sum);
      });
  tiledOps.push_back(add);
  return add.getResult(0);
}

/// The destination of a tile: the destination slice (`initSlice`), or, when
/// the tile adds a partial result, a fresh tensor of its shape.
static Value tileDestination(OpBuilder &b, Location loc, Value init,
                             ArrayRef<OpFoldResult> offsets,
                             ArrayRef<OpFoldResult> sizes, bool addsPartial,
                             Value &initSlice) {
  initSlice = extractSlice(b, loc, init, offsets, sizes);
  if (!addsPartial)
    return initSlice;
  auto ty = cast<RankedTensorType>(initSlice.getType());
  return tensor::EmptyOp::create(b, loc, sizes, ty.getElementType())
      .getResult();
}

/// Result dims of [b..., N, E, M]: all but M.
static void dropKeys(ArrayRef<OpFoldResult> offsets,
                     ArrayRef<OpFoldResult> sizes,
                     SmallVector<OpFoldResult> &resultOffsets,
                     SmallVector<OpFoldResult> &resultSizes) {
  resultOffsets.assign(offsets.begin(), offsets.end() - 1);
  resultSizes.assign(sizes.begin(), sizes.end() - 1);
}

//===----------------------------------------------------------------------===//
// manhattan_score: [b..., N, M]
//===----------------------------------------------------------------------===//

SmallVector<utils::IteratorType> ManhattanScoreOp::getLoopIteratorTypes() {
  return SmallVector<utils::IteratorType>(getResult().getType().getRank(),
                                          utils::IteratorType::parallel);
}

SmallVector<Range> ManhattanScoreOp::getIterationDomain(OpBuilder &b) {
  SmallVector<Range> domain;
  for (int64_t d = 0, r = getResult().getType().getRank(); d < r; ++d)
    domain.push_back(fullRange(b, getLoc(), getInit(), d));
  return domain;
}

FailureOr<TilingResult>
ManhattanScoreOp::getTiledImplementation(OpBuilder &b,
                                         ArrayRef<OpFoldResult> offsets,
                                         ArrayRef<OpFoldResult> sizes) {
  Location loc = getLoc();
  int64_t r = offsets.size(), nb = r - 2;
  OpFoldResult zero = b.getIndexAttr(0);
  SmallVector<OpFoldResult> qOffs(offsets.take_front(nb + 1)),
      qSizes(sizes.take_front(nb + 1));
  qOffs.push_back(zero);
  qSizes.push_back(tensor::getMixedSize(b, loc, getQuery(), r - 1));
  SmallVector<OpFoldResult> kOffs, kSizes;
  if (failed(kvBatchTile(b, loc, getKey(), getQuery(), offsets.take_front(nb),
                         sizes.take_front(nb), kOffs, kSizes)))
    return emitOpError("a grouped head dim tiles only by 1 or not at all");
  kOffs.append({offsets[r - 1], zero});
  kSizes.append({sizes[r - 1], tensor::getMixedSize(b, loc, getKey(), r - 1)});
  Value q = extractSlice(b, loc, getQuery(), qOffs, qSizes);
  Value k = extractSlice(b, loc, getKey(), kOffs, kSizes);
  Value bias = getBias()
                   ? broadcastOperandTile(b, loc, getBias(), offsets, sizes)
                   : Value();
  Value init = extractSlice(b, loc, getInit(), offsets, sizes);
  auto tiled = ManhattanScoreOp::create(b, loc, q, k, bias, init,
                                        getGammaAttr(), getAlphaAttr());
  SmallVector<Operation *> slices;
  for (Value v : {q, k, bias, init})
    if (v)
      slices.push_back(v.getDefiningOp());
  return TilingResult{{tiled}, {tiled.getResult()}, slices};
}

LogicalResult ManhattanScoreOp::getResultTilePosition(
    OpBuilder &, unsigned, ArrayRef<OpFoldResult> offsets,
    ArrayRef<OpFoldResult> sizes, SmallVector<OpFoldResult> &resultOffsets,
    SmallVector<OpFoldResult> &resultSizes) {
  resultOffsets.assign(offsets.begin(), offsets.end());
  resultSizes.assign(sizes.begin(), sizes.end());
  return success();
}

LogicalResult ManhattanScoreOp::getIterationDomainTileFromResultTile(
    OpBuilder &, unsigned, ArrayRef<OpFoldResult> offsets,
    ArrayRef<OpFoldResult> sizes,
    SmallVectorImpl<OpFoldResult> &iterDomainOffsets,
    SmallVectorImpl<OpFoldResult> &iterDomainSizes) {
  iterDomainOffsets.assign(offsets.begin(), offsets.end());
  iterDomainSizes.assign(sizes.begin(), sizes.end());
  return success();
}

FailureOr<TilingResult>
ManhattanScoreOp::generateResultTileValue(OpBuilder &b, unsigned,
                                          ArrayRef<OpFoldResult> offsets,
                                          ArrayRef<OpFoldResult> sizes) {
  return getTiledImplementation(b, offsets, sizes);
}

//===----------------------------------------------------------------------===//
// inhibit: [b..., N, E, M]
//===----------------------------------------------------------------------===//

static SmallVector<utils::IteratorType> keyReductionIterators(int64_t rank) {
  SmallVector<utils::IteratorType> types(rank, utils::IteratorType::parallel);
  types.push_back(utils::IteratorType::reduction);
  return types;
}

/// [b..., N, E] of the destination `init`, then M, the keys, from dim
/// rank - 2 of `keys` (V for inhibit, K for attention).
static SmallVector<Range> keyReductionDomain(OpBuilder &b, Location loc,
                                             Value init, Value keys) {
  SmallVector<Range> domain;
  int64_t r = cast<RankedTensorType>(init.getType()).getRank();
  for (int64_t d = 0; d < r; ++d)
    domain.push_back(fullRange(b, loc, init, d));
  domain.push_back(fullRange(b, loc, keys, r - 2));
  return domain;
}

/// The domain tile that computes a result tile [b..., N, E]: all the keys.
static void resultTileToDomain(OpBuilder &b, Location loc, Value keys,
                               ArrayRef<OpFoldResult> offsets,
                               ArrayRef<OpFoldResult> sizes,
                               SmallVectorImpl<OpFoldResult> &domOffsets,
                               SmallVectorImpl<OpFoldResult> &domSizes) {
  int64_t r = offsets.size();
  domOffsets.assign(offsets.begin(), offsets.end());
  domSizes.assign(sizes.begin(), sizes.end());
  domOffsets.push_back(b.getIndexAttr(0));
  domSizes.push_back(tensor::getMixedSize(b, loc, keys, r - 2));
}

SmallVector<utils::IteratorType> InhibitOp::getLoopIteratorTypes() {
  return keyReductionIterators(getResult().getType().getRank());
}

SmallVector<Range> InhibitOp::getIterationDomain(OpBuilder &b) {
  return keyReductionDomain(b, getLoc(), getInit(), getValue());
}

/// The tile of `op` at (`offsets`, `sizes`) of [b..., N, E, M]: into the
/// destination slice (adding the partial result of earlier key tiles), or,
/// with `partialDest`, into that tensor (overwritten: a partial result of
/// the tile's keys alone).
FailureOr<TilingResult> mlir::inhibitor::detail::tileInhibit(
    InhibitOp op, OpBuilder &b, ArrayRef<OpFoldResult> offsets,
    ArrayRef<OpFoldResult> sizes, Value partialDest) {
  Location loc = op.getLoc();
  int64_t r = op.getResult().getType().getRank(), nb = r - 2;
  // offsets/sizes: [b..., N, E, M].
  OpFoldResult nOff = offsets[nb], eOff = offsets[nb + 1], mOff = offsets[r];
  OpFoldResult nSize = sizes[nb], eSize = sizes[nb + 1], mSize = sizes[r];
  SmallVector<OpFoldResult> vOffs, vSizes;
  if (failed(kvBatchTile(b, loc, op.getValue(), op.getScore(),
                         offsets.take_front(nb), sizes.take_front(nb), vOffs,
                         vSizes)))
    return op.emitOpError("a grouped head dim tiles only by 1 or not at all");
  vOffs.append({mOff, eOff});
  vSizes.append({mSize, eSize});
  SmallVector<OpFoldResult> zOffs(offsets.take_front(nb)),
      zSizes(sizes.take_front(nb));
  zOffs.append({nOff, mOff});
  zSizes.append({nSize, mSize});
  SmallVector<OpFoldResult> hOffs, hSizes;
  dropKeys(offsets, sizes, hOffs, hSizes);
  // A tile of part of the keys adds the partial result, except the first.
  bool addsPartial =
      !partialDest &&
      !isFullTile(mOff, mSize,
                  tensor::getMixedSize(b, loc, op.getValue(), nb)) &&
      !isZeroInteger(mOff);
  Value v = extractSlice(b, loc, op.getValue(), vOffs, vSizes);
  Value z = extractSlice(b, loc, op.getScore(), zOffs, zSizes);
  Value initSlice;
  Value dest = partialDest ? partialDest
                           : tileDestination(b, loc, op.getInit(), hOffs,
                                             hSizes, addsPartial, initSlice);
  auto tiled =
      InhibitOp::create(b, loc, dest.getType(), v, z, dest, op.getIsSigned());
  SmallVector<Operation *> tiledOps = {tiled};
  Value result = tiled.getResult();
  if (addsPartial)
    result = addPartialResult(b, loc, result, initSlice, mOff, tiledOps);
  SmallVector<Operation *> slices = {v.getDefiningOp(), z.getDefiningOp()};
  if (initSlice)
    slices.push_back(initSlice.getDefiningOp());
  return TilingResult{tiledOps, {result}, slices};
}

FailureOr<TilingResult>
InhibitOp::getTiledImplementation(OpBuilder &b, ArrayRef<OpFoldResult> offsets,
                                  ArrayRef<OpFoldResult> sizes) {
  return detail::tileInhibit(*this, b, offsets, sizes, /*partialDest=*/Value());
}

LogicalResult InhibitOp::getResultTilePosition(
    OpBuilder &, unsigned, ArrayRef<OpFoldResult> offsets,
    ArrayRef<OpFoldResult> sizes, SmallVector<OpFoldResult> &resultOffsets,
    SmallVector<OpFoldResult> &resultSizes) {
  dropKeys(offsets, sizes, resultOffsets, resultSizes);
  return success();
}

LogicalResult InhibitOp::getIterationDomainTileFromResultTile(
    OpBuilder &b, unsigned, ArrayRef<OpFoldResult> offsets,
    ArrayRef<OpFoldResult> sizes,
    SmallVectorImpl<OpFoldResult> &iterDomainOffsets,
    SmallVectorImpl<OpFoldResult> &iterDomainSizes) {
  resultTileToDomain(b, getLoc(), getValue(), offsets, sizes, iterDomainOffsets,
                     iterDomainSizes);
  return success();
}

FailureOr<TilingResult>
InhibitOp::generateResultTileValue(OpBuilder &b, unsigned,
                                   ArrayRef<OpFoldResult> offsets,
                                   ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> domOffs, domSizes;
  resultTileToDomain(b, getLoc(), getValue(), offsets, sizes, domOffs,
                     domSizes);
  return getTiledImplementation(b, domOffs, domSizes);
}

//===----------------------------------------------------------------------===//
// attention: [b..., N, E, M]
//===----------------------------------------------------------------------===//

SmallVector<utils::IteratorType> AttentionOp::getLoopIteratorTypes() {
  return keyReductionIterators(getResult().getType().getRank());
}

SmallVector<Range> AttentionOp::getIterationDomain(OpBuilder &b) {
  return keyReductionDomain(b, getLoc(), getInit(), getKey());
}

/// The tile of `op`, as for `tileInhibit`.
FailureOr<TilingResult> mlir::inhibitor::detail::tileAttention(
    AttentionOp op, OpBuilder &b, ArrayRef<OpFoldResult> offsets,
    ArrayRef<OpFoldResult> sizes, Value partialDest) {
  Location loc = op.getLoc();
  int64_t r = op.getResult().getType().getRank(), nb = r - 2;
  OpFoldResult zero = b.getIndexAttr(0);
  // offsets/sizes: [b..., N, E, M].
  OpFoldResult nOff = offsets[nb], eOff = offsets[nb + 1], mOff = offsets[r];
  OpFoldResult nSize = sizes[nb], eSize = sizes[nb + 1], mSize = sizes[r];
  ArrayRef<OpFoldResult> bOffs = offsets.take_front(nb),
                         bSizes = sizes.take_front(nb);
  OpFoldResult dSize = tensor::getMixedSize(b, loc, op.getQuery(), r - 1);

  SmallVector<OpFoldResult> qOffs(bOffs), qSizes(bSizes);
  qOffs.append({nOff, zero});
  qSizes.append({nSize, dSize});
  SmallVector<OpFoldResult> kvOffs, kvSizes;
  if (failed(kvBatchTile(b, loc, op.getKey(), op.getQuery(), bOffs, bSizes,
                         kvOffs, kvSizes)))
    return op.emitOpError("a grouped head dim tiles only by 1 or not at all");
  SmallVector<OpFoldResult> kOffs(kvOffs), kSizes(kvSizes);
  kOffs.append({mOff, zero});
  kSizes.append({mSize, tensor::getMixedSize(b, loc, op.getKey(), r - 1)});
  SmallVector<OpFoldResult> vOffs(kvOffs), vSizes(kvSizes);
  vOffs.append({mOff, eOff});
  vSizes.append({mSize, eSize});
  // The score-space tile [b..., N, M], for the mask and the bias.
  SmallVector<OpFoldResult> sOffs(bOffs), sSizes(bSizes);
  sOffs.append({nOff, mOff});
  sSizes.append({nSize, mSize});
  SmallVector<OpFoldResult> hOffs, hSizes;
  dropKeys(offsets, sizes, hOffs, hSizes);
  // A tile of part of the keys adds the partial result, except the first.
  bool addsPartial =
      !partialDest &&
      !isFullTile(mOff, mSize, tensor::getMixedSize(b, loc, op.getKey(), nb)) &&
      !isZeroInteger(mOff);

  Value q = extractSlice(b, loc, op.getQuery(), qOffs, qSizes);
  Value k = extractSlice(b, loc, op.getKey(), kOffs, kSizes);
  Value v = extractSlice(b, loc, op.getValue(), vOffs, vSizes);
  SmallVector<Operation *> slices = {q.getDefiningOp(), k.getDefiningOp(),
                                     v.getDefiningOp()};
  // The prepared keys' tiles that hold the tile's keys, where its first key
  // starts a tile of key_tiles (offset a multiple of T: the loops that tile
  // M by a multiple of T make them); elsewhere the tile drops key_tiles,
  // which changes no result (its lowering prepares K itself).
  Value keyTiles;
  if (int64_t t = op.getKeyTileSize(); t && isMultipleOf(mOff, t)) {
    AffineExpr d0;
    bindDims(b.getContext(), d0);
    SmallVector<OpFoldResult> tOffs(kvOffs), tSizes(kvSizes);
    tOffs.push_back(
        affine::makeComposedFoldedAffineApply(b, loc, d0.floorDiv(t), {mOff}));
    tSizes.push_back(
        affine::makeComposedFoldedAffineApply(b, loc, d0.ceilDiv(t), {mSize}));
    tOffs.append({zero, zero});
    tSizes.append({dSize, b.getIndexAttr(t)});
    keyTiles = extractSlice(b, loc, op.getKeyTiles(), tOffs, tSizes);
    slices.push_back(keyTiles.getDefiningOp());
  }
  // The biased keys are in K's shape: the tile reads them as it reads K.
  Value biasedKeys;
  if (op.getBiasedKeys()) {
    biasedKeys = extractSlice(b, loc, op.getBiasedKeys(), kOffs, kSizes);
    slices.push_back(biasedKeys.getDefiningOp());
  }
  Value mask, bias;
  if (op.getMask()) {
    mask = broadcastOperandTile(b, loc, op.getMask(), sOffs, sSizes);
    slices.push_back(mask.getDefiningOp());
  }
  if (op.getBias()) {
    bias = broadcastOperandTile(b, loc, op.getBias(), sOffs, sSizes);
    slices.push_back(bias.getDefiningOp());
  }
  // Causal pairs are (i, j) with j <= i + d in the whole score: in a tile
  // from (i0, j0), j0 + j <= i0 + i + d, its own diagonal offset
  // d + i0 - j0.
  Value causalOffset = op.getCausalOffset();
  if (op.getCausal() && !(isZeroInteger(nOff) && isZeroInteger(mOff))) {
    AffineExpr d0, d1, d2;
    bindDims(b.getContext(), d0, d1, d2);
    OpFoldResult d = causalOffset ? OpFoldResult(causalOffset) : zero;
    OpFoldResult tileOffset = affine::makeComposedFoldedAffineApply(
        b, loc, d0 + d1 - d2, {d, nOff, mOff});
    causalOffset = isZeroInteger(tileOffset)
                       ? Value()
                       : getValueOrCreateConstantIndexOp(b, loc, tileOffset);
  }
  Value initSlice;
  Value dest = partialDest ? partialDest
                           : tileDestination(b, loc, op.getInit(), hOffs,
                                             hSizes, addsPartial, initSlice);
  if (initSlice)
    slices.push_back(initSlice.getDefiningOp());
  auto tiled =
      AttentionOp::create(b, loc, q, k, v, mask, bias, dest, op.getGammaAttr(),
                          op.getAlphaAttr(), op.getIsSigned(), op.getCausal());
  if (causalOffset)
    tiled.getCausalOffsetMutable().assign(causalOffset);
  if (keyTiles)
    tiled.getKeyTilesMutable().assign(keyTiles);
  if (biasedKeys)
    tiled.getBiasedKeysMutable().assign(biasedKeys);
  // A tile's data are a part of the op's: the promise holds for it too.
  tiled.setNarrowSumsAttr(op.getNarrowSumsAttr());
  tiled.setExactDifferences(op.getExactDifferences());
  SmallVector<Operation *> tiledOps = {tiled};
  Value result = tiled.getResult();
  if (addsPartial)
    result = addPartialResult(b, loc, result, initSlice, mOff, tiledOps);
  return TilingResult{tiledOps, {result}, slices};
}

FailureOr<TilingResult>
AttentionOp::getTiledImplementation(OpBuilder &b,
                                    ArrayRef<OpFoldResult> offsets,
                                    ArrayRef<OpFoldResult> sizes) {
  return detail::tileAttention(*this, b, offsets, sizes,
                               /*partialDest=*/Value());
}

LogicalResult AttentionOp::getResultTilePosition(
    OpBuilder &, unsigned, ArrayRef<OpFoldResult> offsets,
    ArrayRef<OpFoldResult> sizes, SmallVector<OpFoldResult> &resultOffsets,
    SmallVector<OpFoldResult> &resultSizes) {
  dropKeys(offsets, sizes, resultOffsets, resultSizes);
  return success();
}

LogicalResult AttentionOp::getIterationDomainTileFromResultTile(
    OpBuilder &b, unsigned, ArrayRef<OpFoldResult> offsets,
    ArrayRef<OpFoldResult> sizes,
    SmallVectorImpl<OpFoldResult> &iterDomainOffsets,
    SmallVectorImpl<OpFoldResult> &iterDomainSizes) {
  resultTileToDomain(b, getLoc(), getKey(), offsets, sizes, iterDomainOffsets,
                     iterDomainSizes);
  return success();
}

FailureOr<TilingResult>
AttentionOp::generateResultTileValue(OpBuilder &b, unsigned,
                                     ArrayRef<OpFoldResult> offsets,
                                     ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> domOffs, domSizes;
  resultTileToDomain(b, getLoc(), getKey(), offsets, sizes, domOffs, domSizes);
  return getTiledImplementation(b, domOffs, domSizes);
}
