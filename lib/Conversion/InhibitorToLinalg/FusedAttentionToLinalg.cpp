//===- FusedAttentionToLinalg.cpp - The fused, tiled attention kernel -----===//
//
// inhibitor.attention as one scf.forall over batch and query tiles, each
// looping over key tiles: the score tile and its inhibition, Z never larger
// than one [query-tile, key-tile] tile (docs/DesignRationale.md).
//
//===----------------------------------------------------------------------===//

#include "KeySkipping.h"
#include "LoweringUtils.h"
#include "inhibitor/Conversion/Passes.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"

using namespace mlir;
using namespace mlir::inhibitor;

namespace {
/// The product of the static batch sizes of a score `[b..., N, M]`; 1 where
/// one of them is dynamic (not known to be more).
int64_t staticBatchIterations(ArrayRef<OpFoldResult> scoreSizes, int64_t nb) {
  int64_t n = 1;
  for (OpFoldResult s : scoreSizes.take_front(nb)) {
    std::optional<int64_t> c = getConstantIntValue(s);
    if (!c)
      return 1;
    n *= *c;
  }
  return n;
}

/// A constant upper bound of the query count N (dim `nb` of Q): N itself
/// where static, else what ValueBoundsOpInterface derives from how Q was
/// made, e.g. a slice of `min(n, query-tile)` rows (splitDynamicQueryCounts,
/// or a tiled loop).
std::optional<int64_t> queryCountBound(AttentionOp op, int64_t nb) {
  auto qTy = cast<RankedTensorType>(op.getQuery().getType());
  if (!qTy.isDynamicDim(nb))
    return qTy.getDimSize(nb);
  FailureOr<int64_t> ub = ValueBoundsConstraintSet::computeConstantBound(
      presburger::BoundType::UB,
      ValueBoundsConstraintSet::Variable(op.getQuery(), nb),
      /*stopCondition=*/nullptr, /*closedUB=*/true);
  if (failed(ub))
    return std::nullopt;
  return *ub;
}

/// The fused, tiled composite: for each batch index and tile of `queryTile`
/// queries (up to twice that as one tile, below; one scf.forall), a loop over
/// tiles of `keyTile` keys computes the score tile [queryTile, keyTile] and
/// adds its inhibition into the query tile's H accumulator. Z never exists
/// beyond one tile (extra memory O(tile), not O(N M)); causal attention stops
/// the key loop at the tile's last query. With `skipKeys`, a key tile whose
/// pairs are all extinguished skips its inhibition and stops summing its score
/// early (KeySkipping.cpp).
struct FusedAttentionToLinalg : OpRewritePattern<AttentionOp> {
  FusedAttentionToLinalg(MLIRContext *ctx, const FusedAttentionOptions &o)
      : OpRewritePattern(ctx, /*benefit=*/2), queryTile(o.queryTile),
        keyTileOption(o.keyTile), sadScore(o.sadScore),
        sadDimMultiple(o.sadDimMultiple), skipKeys(o.skipKeys),
        skipChunk(o.skipChunk), skipRanges(o.skipRanges),
        narrowTiles(o.narrowTiles), keyCopyLimit(o.keyCopyLimit) {}

  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (hasMultiHeadGroups(op.getHeadGroups(), {op.getKey(), op.getValue()}))
      return rewriter.notifyMatchFailure(op, "grouped heads are split first");
    Location loc = op.getLoc();
    RankedTensorType resultTy = op.getResult().getType();
    int64_t r = resultTy.getRank(), nb = r - 2;
    // Batch dims in which K/V have one head for all query heads.
    SmallVector<bool> kvBroadcast = getKVBroadcast(op);
    Type acc = op.getAccumulatorType();
    // The score reads K^T [b..., D, M] (keys in vector lanes) or, as a byte
    // sum of absolute differences, Q and K offset by 128 (D innermost).
    bool sad = sadScore && useSADScore(op.getQuery(), acc, sadDimMultiple);
    // Decode (a static N of at most kDecodeQueries): the score reads K as
    // stored, D innermost. Transposing all of K for keys in vector lanes
    // costs O(M D) per call, which for one query per head is more than the
    // attention (measured 5x for i16), and transposing each K tile is more
    // than the score of up to 4 queries (docs/Tiling.md).
    std::optional<int64_t> numQueries =
        getConstantIntValue(op.getMixedScoreSizes(rewriter)[nb]);
    bool keyAsStored = !sad && numQueries && *numQueries <= kDecodeQueries;
    bool keyRows = sad || keyAsStored; // K tiles are [keys, D]
    // K prepared by the caller (`key_tiles`, K^T tile by tile, e.g. by
    // --inhibitor-pack-keys before tiling through the interface): read as
    // it is, in its own tiles, where the score reads keys in vector lanes.
    bool packedKeys = op.getKeyTiles() && !keyRows;
    int64_t keyTile = packedKeys ? op.getKeyTileSize() : keyTileOption;
    // A static N of up to twice `queryTile` is one query tile where the
    // heads (or the parts of key-splits) are at least two parallel
    // iterations without it: two query tiles would read K^T from a
    // transposed copy of all of K, one transposes each K tile in cache and
    // reads K and V once (decode with 16 queries of 4 grouped heads, or a
    // chunk of 48-64 queries per head, against 64K keys: 1.03-1.45x with
    // key-splits, up to 13x without, docs/Tiling.md). Prefill runs as fast
    // with either tile.
    int64_t qTile = queryTile;
    if (numQueries && *numQueries > queryTile && *numQueries <= 2 * queryTile &&
        (op->getParentOfType<scf::ForallOp>() ||
         staticBatchIterations(op.getMixedScoreSizes(rewriter), nb) >= 2))
      qTile = *numQueries;
    // Keys in vector lanes with one query tile per head (a static N of at
    // most `qTile`): each K tile is transposed inside the key loop, once
    // per head as with a transposed copy of all of K, but in cache; the copy
    // would write all of K^T to memory and read it back (decode with a few
    // queries per head, docs/Tiling.md).
    std::optional<int64_t> queryBound = queryCountBound(op, nb);
    bool oneQueryTile = queryBound && *queryBound <= qTile;
    auto keyTy = cast<RankedTensorType>(op.getKey().getType());
    // A copy of all of K (transposed, or offset for the byte score) of
    // `keyCopyLimit` bytes or more is not made: by default glibc's largest
    // mmap threshold (32 MiB), from which each copy is a fresh mmap whose
    // pages fault in on every call (8 heads x 128 queries against 64K i16
    // keys: 246 ms, 90 ms with a malloc that reuses the memory). There
    // each query tile prepares its K tiles in the key loop instead, up to
    // 16 query tiles per head: the preparation grows with the query tiles,
    // and at 64 tiles (2048 queries) it cost more than the faults
    // (docs/Tiling.md).
    bool largeKeyCopy =
        keyCopyLimit > 0 && queryBound &&
        *queryBound <= kMaxTilesPreparingKeys * qTile &&
        keyTy.hasStaticShape() &&
        keyTy.getNumElements() *
                llvm::divideCeil(keyTy.getElementTypeBitWidth(), 8) >=
            keyCopyLimit;
    bool transposeKeyTiles =
        !keyRows && !packedKeys && (oneQueryTile || largeKeyCopy);
    // Likewise the byte score's offset K (K xor 0x80) per K tile: a copy of
    // all of K costs a second pass over K, and from 32 MiB on each call
    // maps and faults in fresh pages (glibc's largest mmap threshold; i8, 8
    // heads x 1 query against 64K keys: 87 ms against 3.3 ms in four
    // parts, docs/Tiling.md).
    // K biased by the caller (`biased_keys`, e.g. by --inhibitor-pack-keys
    // before tiling through the interface, or a KV cache kept biased): the
    // byte score reads it as it is, with no copy and no tile biased here.
    bool biasedKeys = sad && op.getBiasedKeys();
    bool offsetKeyTiles = sad && !biasedKeys && (oneQueryTile || largeKeyCopy);
    // Otherwise K^T once, laid out tile by tile where M is more than one
    // tile ([b..., M / keyTile, D, keyTile]): one key tile is one contiguous
    // block instead of D rows M elements apart, which conflict in the caches
    // and defeat the prefetcher (measured at n = 4096, docs/Tiling.md). The
    // keys after the last whole tile (M not a static multiple of the tile:
    // a ragged or dynamic M, e.g. a part of key-splits) are transposed on
    // their own, [b..., D, M mod keyTile] (`keyTailT`), and read by the
    // peeled last key tile; not where causal, whose key loop ends at each
    // query tile's last query (K^T stays whole there).
    int64_t numKeys = keyTy.getDimSize(r - 2);
    bool dynamicKeys = ShapedType::isDynamic(numKeys);
    int64_t keysLeft = dynamicKeys ? int64_t(0) : numKeys % keyTile;
    bool tiledKeyT =
        packedKeys || (!keyRows && !transposeKeyTiles &&
                       (dynamicKeys ? !op.getCausal()
                                    : numKeys > keyTile &&
                                          (keysLeft == 0 || !op.getCausal())));
    Value query =
        sad ? offsetBytes(rewriter, loc, op.getQuery()) : op.getQuery();
    Value keyTailT;
    Value keyT;
    if (packedKeys) {
      // Every tile, the partial last one included (its padding unread).
      keyT = op.getKeyTiles();
    } else if (biasedKeys) {
      keyT = op.getBiasedKeys();
    } else if (offsetKeyTiles || keyAsStored || transposeKeyTiles) {
      keyT = op.getKey();
    } else if (sad) {
      keyT = offsetBytes(rewriter, loc, op.getKey());
    } else if (tiledKeyT && (dynamicKeys || keysLeft != 0)) {
      // K[b..., :whole, :] tile by tile, K[b..., whole:, :] as K^T, whole =
      // M - M mod keyTile.
      OpFoldResult whole, left;
      if (dynamicKeys) {
        Value m = tensor::DimOp::create(rewriter, loc, op.getKey(), r - 2);
        Value rest = arith::RemUIOp::create(
            rewriter, loc, m,
            arith::ConstantIndexOp::create(rewriter, loc, keyTile));
        whole = arith::SubIOp::create(rewriter, loc, m, rest).getResult();
        left = rest;
      } else {
        whole = rewriter.getIndexAttr(numKeys - keysLeft);
        left = rewriter.getIndexAttr(keysLeft);
      }
      auto keyRange = [&](OpFoldResult from, OpFoldResult size) -> Value {
        SmallVector<OpFoldResult> offs(r, rewriter.getIndexAttr(0));
        SmallVector<OpFoldResult> sizes =
            tensor::getMixedSizes(rewriter, loc, op.getKey());
        SmallVector<OpFoldResult> strides(r, rewriter.getIndexAttr(1));
        offs[r - 2] = from;
        sizes[r - 2] = size;
        return tensor::ExtractSliceOp::create(rewriter, loc, op.getKey(), offs,
                                              sizes, strides)
            .getResult();
      };
      keyT = transposeKeyTiled(
          rewriter, loc, keyRange(rewriter.getIndexAttr(0), whole), keyTile);
      keyTailT = transposeKeyForScore(rewriter, loc, keyRange(whole, left));
    } else if (tiledKeyT) {
      keyT = transposeKeyTiled(rewriter, loc, op.getKey(), keyTile);
    } else {
      keyT = transposeKeyForScore(rewriter, loc, op.getKey());
    }
    Value mask =
        op.getMask() ? widenMask(rewriter, loc, op.getMask()) : Value();
    SmallVector<OpFoldResult> scoreSizes = op.getMixedScoreSizes(rewriter);
    OpFoldResult dSize =
        tensor::getMixedSize(rewriter, loc, op.getQuery(), r - 1);
    OpFoldResult eSize =
        tensor::getMixedSize(rewriter, loc, op.getValue(), r - 1);
    OpFoldResult one = rewriter.getIndexAttr(1);
    Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0);
    // Per-key thresholds [b..., M], once; none when skipping is not exact.
    std::optional<KeySkipPlan> skip;
    bool useSkip = false;
    if (skipKeys)
      skip = planKeySkipping(rewriter, op, skipChunk, sad ? sadDimMultiple : 0,
                             skipRanges, qTile, keyTile);

    // A tile size: static when the extent is static and the tile divides it
    // (or covers it), else min(tile, extent - offset).
    auto tileSize = [&](OpBuilder &b, Location l, OpFoldResult extent,
                        Value offset, int64_t tile,
                        bool forceDynamic) -> OpFoldResult {
      std::optional<int64_t> ext = getConstantIntValue(extent);
      if (ext && !forceDynamic && (*ext <= tile || *ext % tile == 0))
        return b.getIndexAttr(std::min(*ext, tile));
      Value rest = arith::SubIOp::create(
          b, l, getValueOrCreateConstantIndexOp(b, l, extent), offset);
      Value t = arith::ConstantIndexOp::create(b, l, tile);
      return arith::MinSIOp::create(b, l, t, rest).getResult();
    };
    auto step = [&](OpBuilder &b, Location l, OpFoldResult extent,
                    int64_t tile) -> Value {
      std::optional<int64_t> ext = getConstantIntValue(extent);
      return arith::ConstantIndexOp::create(
          b, l, ext ? std::min(std::max<int64_t>(*ext, 1), tile) : tile);
    };

    // The signed integer inhibition with every pair attended, split as
    // sum_j V - sum_j clamp(V, -Z, Z) (InhibitOptions::negatedAccumulator),
    // also in the skipping kernel (a skipped tile adds 0 to -H as to H).
    bool splitInhibition = false;
    bool canSplit =
        isa<IntegerType>(acc) && op.getIsSigned() && !mask && !op.getCausal();
    // i8/i16 data under a wider accumulator: 16-bit tiles where a run-time
    // check on the data's magnitudes shows them exact (NarrowPartialSums.cpp).
    std::optional<NarrowPartialSums> narrow =
        (skipKeys || !narrowTiles) ? std::nullopt
                                   : planNarrowPartialSums(op, keyTile);
    // Without a check where the op's narrow_sums or the element types
    // prove it.
    bool useNarrow = narrow && narrow->proven;
    // With one query tile (decode with a few queries per head) the check is
    // per key tile, on the K and V tiles the kernel reads anyway: a check of
    // all of K and V before the kernel is a second pass over them (about a
    // quarter of the 16-query decode's time, docs/Tiling.md). max|Q| and D
    // once.
    bool narrowPerTile = narrow && !useNarrow && oneQueryTile;
    std::optional<Value> narrowMaxQ, narrowD;
    if (narrowPerTile) {
      narrowMaxQ = maxAbsOf(rewriter, loc, op.getQuery());
      narrowD = arith::IndexCastOp::create(
          rewriter, loc, rewriter.getI64Type(),
          getValueOrCreateConstantIndexOp(rewriter, loc, dSize));
    }

    // Integer data narrower than the accumulator, keys in vector lanes: the
    // score of the tiles in the accumulator type reads Q widened once
    // (`queryWide`, O(N D), made by buildForall where such tiles run). In
    // the score's body only K is then sign-extended: with both extended,
    // LLVM turns |sext q - sext k| into a 16-bit absolute difference
    // zero-extended per vector (half-width min, max and subtract, a widening
    // shuffle, and each Q element broadcast through a general register),
    // where a widened Q makes it a 32-bit subtract and abs on K extended as
    // it is loaded (full-range i16 data, docs/Lowering.md).
    auto dataIntTy = dyn_cast<IntegerType>(keyTy.getElementType());
    auto accIntTy = dyn_cast<IntegerType>(acc);
    bool widenQuery = !sad && !keyAsStored && !skipKeys && dataIntTy &&
                      accIntTy && dataIntTy.getWidth() < accIntTy.getWidth();
    Value queryWide;

    // i16 data with a 16-bit accumulator (sums that wrap, as the op's
    // semantics take them): where no q - k wraps (max|Q| + max|K| <= 32767)
    // the score's sums through min(q, k) (PairScore.cpp) give the same bits
    // modulo 2^16. Checked once per call and the kernel versioned, as for
    // the narrow tiles, where it has several query tiles (with one, decode,
    // the check would be a second pass over K). Without a check where the
    // op promises it (`exact_differences`, e.g. a tile of an op that
    // --inhibitor-version-narrow-sums versioned). `exactScore`: the version
    // being built.
    bool exactScore = op.getExactDifferences();
    bool versionDifferences =
        !exactScore && !sad && !keyAsStored && !skipKeys && !oneQueryTile &&
        !narrow && dataIntTy && accIntTy && dataIntTy.getWidth() == 16 &&
        accIntTy.getWidth() == 16;

    SmallVector<Value> batchIvs;
    // Key tile j0 / keyTile of the tiled K^T: [1..., D, tm] (the tile dim
    // dropped), batch offsets as K's.
    auto sliceKeyTile = [&](OpBuilder &b, Location l, Value src, Value j0,
                            OpFoldResult tm, OpFoldResult d) -> Value {
      SmallVector<OpFoldResult> offs, sizes(nb + 1, one), strides(r + 1, one);
      for (int64_t i = 0; i < nb; ++i)
        offs.push_back(kvBroadcast[i] ? OpFoldResult(b.getIndexAttr(0))
                                      : OpFoldResult(batchIvs[i]));
      Value t = arith::DivUIOp::create(
          b, l, j0, arith::ConstantIndexOp::create(b, l, keyTile));
      offs.append({t, b.getIndexAttr(0), b.getIndexAttr(0)});
      sizes.append({d, tm});
      SmallVector<int64_t> shape(nb, 1);
      for (OpFoldResult s : {d, tm}) {
        std::optional<int64_t> c = getConstantIntValue(s);
        shape.push_back(c ? *c : ShapedType::kDynamic);
      }
      auto ty = RankedTensorType::get(
          shape, cast<RankedTensorType>(src.getType()).getElementType());
      return tensor::ExtractSliceOp::create(b, l, ty, src, offs, sizes, strides)
          .getResult();
    };
    // One query tile: H[b..., i0 : i0 + tn, :] of the shared result, zeroed,
    // then accumulated over the key tiles (in place after bufferization).
    // `rows`: the tile's number of queries where the caller knows it.
    auto queryTileBody = [&](OpBuilder &b, Location l, Value result, Value i0,
                             SmallVector<OpFoldResult> &hOffsets,
                             SmallVector<OpFoldResult> &hSizes,
                             std::optional<int64_t> rows) -> Value {
      OpFoldResult tn = rows ? OpFoldResult(b.getIndexAttr(*rows))
                             : tileSize(b, l, scoreSizes[nb], i0, qTile, false);
      hSizes.assign(nb, one);
      hSizes.append({tn, eSize});
      hOffsets.assign(batchIvs.begin(), batchIvs.end());
      hOffsets.append({i0, b.getIndexAttr(0)});
      SmallVector<OpFoldResult> hStrides(r, one);
      Value hTile = fillZero(b, l,
                             tensor::ExtractSliceOp::create(
                                 b, l, result, hOffsets, hSizes, hStrides)
                                 .getResult());
      Value keyEnd = getValueOrCreateConstantIndexOp(b, l, scoreSizes[nb + 1]);
      // Causal: pairs j <= i + d (d = causal_offset, 0 without), so the
      // tile's queries [i0, i0 + tn) attend keys below i0 + tn + d (none
      // where that is <= 0: a tile of the op above its diagonal).
      Value diagRow = i0;
      if (Value d = op.getCausalOffset())
        diagRow = arith::AddIOp::create(b, l, i0, d);
      if (op.getCausal()) {
        Value end = arith::AddIOp::create(
            b, l, diagRow, getValueOrCreateConstantIndexOp(b, l, tn));
        if (op.getCausalOffset())
          end = arith::MaxSIOp::create(b, l, end,
                                       arith::ConstantIndexOp::create(b, l, 0));
        keyEnd = arith::MinSIOp::create(b, l, keyEnd, end);
      }
      // One key tile [j0, j0 + tm) added into `accIn`; returns the sum.
      // `lastPartialTile`: the peeled partial tile (after the loop), which
      // reads `keyTailT` where there is one.
      auto keyTileStep = [&](OpBuilder &kb, Location kl, Value j0,
                             OpFoldResult tm, Value accIn,
                             bool lastPartialTile) -> Value {
        // A slice of Q (kv = false) or of K/V (kv = true: a broadcast
        // batch dim reads head 0).
        auto slice = [&](Value src, ArrayRef<OpFoldResult> offs,
                         ArrayRef<OpFoldResult> sizes, bool kv) {
          SmallVector<OpFoldResult> offsets;
          for (int64_t d = 0; d < nb; ++d)
            offsets.push_back(kv && kvBroadcast[d]
                                  ? OpFoldResult(kb.getIndexAttr(0))
                                  : OpFoldResult(batchIvs[d]));
          offsets.append(offs.begin(), offs.end());
          SmallVector<OpFoldResult> allSizes(nb, one);
          allSizes.append(sizes.begin(), sizes.end());
          SmallVector<OpFoldResult> strides(r, one);
          return tensor::ExtractSliceOp::create(kb, kl, src, offsets, allSizes,
                                                strides)
              .getResult();
        };
        OpFoldResult zeroAttr = kb.getIndexAttr(0);
        Value qs = slice(query, {i0, zeroAttr}, {tn, dSize}, false);
        Value qsWide =
            queryWide ? slice(queryWide, {i0, zeroAttr}, {tn, dSize}, false)
                      : Value();
        // kts as the score reads it; kRaw the same values as in K
        // (not offset), for the narrow check.
        Value kts, kRaw;
        if (offsetKeyTiles || transposeKeyTiles) {
          kRaw = slice(keyT, {j0, zeroAttr}, {tm, dSize}, true);
          kts = offsetKeyTiles ? offsetBytes(kb, kl, kRaw)
                               : transposeKeyForScore(kb, kl, kRaw);
        } else if (keyRows) {
          kts = slice(keyT, {j0, zeroAttr}, {tm, dSize}, true);
          // The biased keys are not K's values: the check reads K.
          if (biasedKeys && narrowPerTile)
            kRaw = slice(op.getKey(), {j0, zeroAttr}, {tm, dSize}, true);
        } else if (tiledKeyT && lastPartialTile && keyTailT) {
          kts = slice(keyTailT, {zeroAttr, zeroAttr}, {dSize, tm}, true);
        } else if (tiledKeyT) {
          kts = sliceKeyTile(kb, kl, keyT, j0, tm, dSize);
        } else {
          kts = slice(keyT, {zeroAttr, j0}, {dSize, tm}, true);
        }
        if (!kRaw)
          kRaw = kts;
        Value vs = slice(op.getValue(), {j0, zeroAttr}, {tm, eSize}, true);
        // The mask's and the bias's tile: right-aligned on
        // [b..., N, M]; static size-1 (broadcast) dims stay [0, 1).
        auto scoreTile = [&](Value src) -> Value {
          auto ty = cast<RankedTensorType>(src.getType());
          int64_t offset = r - ty.getRank();
          SmallVector<OpFoldResult> offs, sizes, strides;
          for (int64_t d = 0; d < ty.getRank(); ++d) {
            int64_t p = offset + d;
            strides.push_back(one);
            if (ty.getDimSize(d) == 1) {
              offs.push_back(zeroAttr);
              sizes.push_back(one);
            } else if (p < nb) {
              offs.push_back(batchIvs[p]);
              sizes.push_back(one);
            } else {
              offs.push_back(p == nb ? OpFoldResult(i0) : OpFoldResult(j0));
              sizes.push_back(p == nb ? tn : tm);
            }
          }
          return tensor::ExtractSliceOp::create(kb, kl, src, offs, sizes,
                                                strides)
              .getResult();
        };
        Value bias = op.getBias() ? scoreTile(op.getBias()) : Value();
        SmallVector<OpFoldResult> zSizes(nb, one);
        zSizes.append({tn, tm});
        if (useSkip) {
          Value zDest =
              tensor::EmptyOp::create(kb, kl, zSizes, acc).getResult();
          KeyTileOperands t{qs, kts,   sad,   vs,      {}, bias,
                            {}, accIn, zDest, diagRow, j0};
          t.keyTransposed = !keyRows;
          t.negatedAccumulator = splitInhibition;
          if (mask)
            t.mask = scoreTile(mask);
          // The thresholds' tile, batch offsets as V's.
          SmallVector<OpFoldResult> offs, sizes(nb, one), strides(r - 1, one);
          for (int64_t d = 0; d < nb; ++d)
            offs.push_back(kvBroadcast[d] ? OpFoldResult(zeroAttr)
                                          : OpFoldResult(batchIvs[d]));
          offs.push_back(j0);
          sizes.push_back(tm);
          t.thresholds = tensor::ExtractSliceOp::create(
              kb, kl, skip->thresholds, offs, sizes, strides);
          if (skip->queryLo) {
            // The block's boxes: query tile i0 / qTile, key tile
            // j0 / keyTile.
            Value qt = arith::ConstantIndexOp::create(kb, kl, qTile);
            Value kt = arith::ConstantIndexOp::create(kb, kl, keyTile);
            Value qi = arith::DivUIOp::create(kb, kl, i0, qt);
            Value ki = arith::DivUIOp::create(kb, kl, j0, kt);
            OpFoldResult dDim = dSize;
            auto box = [&](Value src, bool kv, Value index, bool withD) {
              SmallVector<OpFoldResult> o, z(nb, one);
              for (int64_t d = 0; d < nb; ++d)
                o.push_back(kv && kvBroadcast[d] ? OpFoldResult(zeroAttr)
                                                 : OpFoldResult(batchIvs[d]));
              o.push_back(index);
              z.push_back(one);
              if (withD) {
                o.push_back(zeroAttr);
                z.push_back(dDim);
              }
              SmallVector<OpFoldResult> st(o.size(), one);
              return tensor::ExtractSliceOp::create(kb, kl, src, o, z, st)
                  .getResult();
            };
            t.queryLo = box(skip->queryLo, false, qi, true);
            t.queryHi = box(skip->queryHi, false, qi, true);
            t.keyLo = box(skip->keyLo, true, ki, true);
            t.keyHi = box(skip->keyHi, true, ki, true);
            t.maxThreshold = box(skip->tileMaxThreshold, true, ki, false);
          }
          return lowerKeyTileWithSkipping(kb, kl, op, *skip, t);
        }
        Value maskTile = mask ? scoreTile(mask) : Value();
        // The split signed inhibition of a tile in an i32 accumulator with
        // i16 V: its clamps in 16-bit lanes (lowerClampSum16), static tiles
        // of whole 16-lane rows of V (full-range i16 data, whose narrow
        // check fails; docs/Lowering.md).
        auto clampIn16 = [&](Value v, Value z) {
          auto vTy = cast<RankedTensorType>(v.getType());
          auto zTy = cast<RankedTensorType>(z.getType());
          return splitInhibition && acc.isInteger(32) &&
                 vTy.getElementType().isInteger(16) && vTy.hasStaticShape() &&
                 zTy.hasStaticShape() && vTy.getShape().back() % 16 == 0;
        };
        // The tile's score and inhibition added into the accumulator:
        // in its type, or (`inNarrow`) in the narrow type
        // (NarrowPartialSums), the tile's sum widened once and added
        // (also to -H: the split form's tile sum is its -H too). The
        // slices hold one head per batch dim (their offsets chose the
        // K/V head): nothing broadcasts in the tile's generics.
        auto tileBody = [&](OpBuilder &tb, Location tl,
                            bool inNarrow) -> Value {
          Type tileType = inNarrow ? Type(narrow->type) : acc;
          Value zDest =
              tensor::EmptyOp::create(tb, tl, zSizes, tileType).getResult();
          TypedAttr gamma =
              inNarrow ? TypedAttr(narrow->gamma) : op.getGammaOrDefault();
          TypedAttr alpha =
              inNarrow ? TypedAttr(narrow->alpha) : op.getAlphaOrDefault();
          Value z =
              sad ? lowerScoreSAD(tb, tl, qs, kts, zDest, gamma, alpha, bias,
                                  {})
              : keyAsStored
                  ? lowerScoreKeyRows(tb, tl, qs, kts, zDest, gamma, alpha,
                                      bias)
                  : lowerScore(tb, tl, tileType == acc && qsWide ? qsWide : qs,
                               kts, zDest, gamma, alpha, bias, {},
                               /*keyIsTransposed=*/true,
                               /*exactDifferences=*/inNarrow || exactScore);
          InhibitOptions opts;
          opts.isSigned = op.getIsSigned();
          opts.causal = op.getCausal();
          opts.rowOffset = diagRow;
          opts.colOffset = j0;
          opts.accumulate = true;
          opts.scoreNonNegative = true;
          opts.negatedAccumulator = splitInhibition;
          opts.mask = maskTile;
          if (!inNarrow && clampIn16(vs, z))
            return lowerClampSum16(tb, tl, vs, z,
                                   subtractValueSum(tb, tl, vs, accIn, {}));
          if (!inNarrow)
            return lowerInhibit(tb, tl, vs, z, accIn, opts);
          // Sized as the H tile (not by a tensor.dim of the key loop's
          // iter_arg, which bufferizes to a memref.dim inside the loop and
          // keeps buffer-loop-hoisting from moving a dynamic tile's buffer
          // out of it: a malloc per key tile).
          Value part =
              fillZero(tb, tl,
                       tensor::EmptyOp::create(tb, tl, hSizes, narrow->type)
                           .getResult());
          part = lowerInhibit(tb, tl, vs, z, part, opts);
          return addWidened(tb, tl, accIn, part);
        };
        if (!narrowPerTile)
          return tileBody(kb, kl, useNarrow);
        // One query tile: each key tile checks its own K and V (in
        // cache) and picks the narrow or the plain tile.
        Value fits = checkNarrowKeyTile(kb, kl, *narrow, *narrowD, *narrowMaxQ,
                                        kRaw, vs, keyTile);
        auto pick = scf::IfOp::create(
            kb, kl, fits,
            [&](OpBuilder &tb, Location tl) {
              scf::YieldOp::create(tb, tl, tileBody(tb, tl, true));
            },
            [&](OpBuilder &eb, Location el) {
              scf::YieldOp::create(eb, el, tileBody(eb, el, false));
            });
        return pick.getResult(0);
      };
      // The key tiles. Where the keys are not a static multiple of the
      // tile (a ragged or dynamic M, e.g. a part of key-splits, or causal),
      // the loop runs over the whole tiles with the static size `keyTile`
      // and the partial last tile is peeled after it: with a dynamic size
      // in every tile, the tile's generics vectorize with masks or not at
      // all and its buffers are allocated per tile (i16, 8 heads x 4 queries
      // against 65499 keys in 4 parts: 4.1x faster peeled, docs/Tiling.md).
      OpFoldResult keyExtent =
          op.getCausal() ? OpFoldResult(keyEnd) : scoreSizes[nb + 1];
      std::optional<int64_t> keysConst = getConstantIntValue(keyExtent);
      auto forKeys = [&](Value end, Value stepSize,
                         std::optional<int64_t> staticTile) {
        return scf::ForOp::create(
            b, l, c0, end, stepSize, ValueRange{hTile},
            [&](OpBuilder &kb, Location kl, Value j0, ValueRange iters) {
              OpFoldResult tm = staticTile
                                    ? OpFoldResult(kb.getIndexAttr(*staticTile))
                                    : tileSize(kb, kl, keyExtent, j0, keyTile,
                                               op.getCausal());
              scf::YieldOp::create(
                  kb, kl, keyTileStep(kb, kl, j0, tm, iters[0], false));
            });
      };
      Value tiles;
      if (keysConst && (*keysConst <= keyTile || *keysConst % keyTile == 0)) {
        tiles = forKeys(keyEnd, step(b, l, keyExtent, keyTile), std::nullopt)
                    .getResult(0);
      } else {
        Value tileC = arith::ConstantIndexOp::create(b, l, keyTile);
        Value wholeEnd =
            keysConst
                ? arith::ConstantIndexOp::create(
                      b, l, *keysConst - *keysConst % keyTile)
                      .getResult()
                : arith::SubIOp::create(
                      b, l, keyEnd, arith::RemUIOp::create(b, l, keyEnd, tileC))
                      .getResult();
        tiles = forKeys(wholeEnd, tileC, keyTile).getResult(0);
        if (keysConst) {
          tiles = keyTileStep(b, l, wholeEnd,
                              b.getIndexAttr(*keysConst % keyTile), tiles,
                              /*lastPartialTile=*/true);
        } else {
          Value partial = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult,
                                                wholeEnd, keyEnd);
          Value whole = tiles;
          tiles = scf::IfOp::create(
                      b, l, partial,
                      [&](OpBuilder &tb, Location tl) {
                        // min(keyTile, end - start): bounded by keyTile.
                        OpFoldResult tm =
                            tileSize(tb, tl, keyExtent, wholeEnd, keyTile,
                                     /*forceDynamic=*/true);
                        scf::YieldOp::create(
                            tb, tl,
                            keyTileStep(tb, tl, wholeEnd, tm, whole,
                                        /*lastPartialTile=*/true));
                      },
                      [&](OpBuilder &eb, Location el) {
                        scf::YieldOp::create(eb, el, whole);
                      })
                      .getResult(0);
        }
      }
      // The split inhibition accumulated -H.
      return splitInhibition ? negate(b, l, tiles) : tiles;
    };

    // One scf.forall over the batch dims and the query tiles (independent:
    // each writes its own slice of H), so that a pipeline can run it on
    // several threads (scf-forall-to-parallel + convert-scf-to-openmp).
    auto buildForall = [&](OpBuilder &fb, Location fl) -> Value {
      // Tiles in the accumulator type run in this kernel (not all narrow).
      queryWide = widenQuery && !useNarrow
                      ? widenElements(fb, fl, op.getQuery(), acc)
                      : Value();
      SmallVector<OpFoldResult> lbs(r - 1, fb.getIndexAttr(0));
      SmallVector<OpFoldResult> ubs(scoreSizes.begin(),
                                    scoreSizes.begin() + nb + 1);
      SmallVector<OpFoldResult> steps(nb, one);
      steps.push_back(step(fb, fl, scoreSizes[nb], qTile));
      auto forall = scf::ForallOp::create(fb, fl, lbs, ubs, steps,
                                          ValueRange{op.getInit()},
                                          /*mapping=*/std::nullopt);
      OpBuilder::InsertionGuard guard(fb);
      fb.setInsertionPointToStart(forall.getBody());
      SmallVector<Value> ivs = forall.getInductionVars();
      batchIvs.assign(ivs.begin(), ivs.begin() + nb);
      SmallVector<OpFoldResult> hOffsets, hSizes;
      Value result = forall.getRegionIterArgs()[0];
      Value hTile;
      // An N that the query tile may not divide (static, or dynamic and not
      // bounded by one tile): the full tiles and the last one as two bodies
      // under an scf.if, the full one of static rows, the last one static
      // where N is (its register tiles' loops peeled by
      // --inhibitor-tile-and-vectorize, none masked), rather than one body
      // of min(query-tile, N - i0) rows, masked in every tile. Measured in
      // docs/Codegen.md (1.1-1.3x where N leaves a partial tile).
      std::optional<int64_t> numRows = getConstantIntValue(scoreSizes[nb]);
      bool splitLastTile = numRows ? *numRows > qTile && *numRows % qTile != 0
                                   : !(queryBound && *queryBound <= qTile);
      if (splitLastTile) {
        // (One statement per op: the order of evaluating a call's arguments
        // is unspecified, and g++ and clang create the ops in opposite
        // orders.)
        Value i0 = ivs[nb];
        Value tileEnd = arith::AddIOp::create(
            fb, fl, i0, arith::ConstantIndexOp::create(fb, fl, qTile));
        Value numQueries =
            getValueOrCreateConstantIndexOp(fb, fl, scoreSizes[nb]);
        Value full = arith::CmpIOp::create(fb, fl, arith::CmpIPredicate::sle,
                                           tileEnd, numQueries);
        auto branch = [&](std::optional<int64_t> rows) {
          return [&, rows](OpBuilder &bb, Location bl) {
            SmallVector<OpFoldResult> offsets, sizes;
            Value tile =
                queryTileBody(bb, bl, result, i0, offsets, sizes, rows);
            auto ty = cast<RankedTensorType>(tile.getType());
            SmallVector<int64_t> shape(ty.getShape());
            shape[nb] = ShapedType::kDynamic;
            if (!ty.isDynamicDim(nb))
              tile = tensor::CastOp::create(bb, bl, ty.clone(shape), tile);
            scf::YieldOp::create(bb, bl, tile);
            hOffsets = offsets;
            hSizes = sizes;
          };
        };
        hTile = scf::IfOp::create(
                    fb, fl, full, branch(qTile),
                    branch(numRows ? std::optional<int64_t>(*numRows % qTile)
                                   : std::nullopt))
                    .getResult(0);
        hSizes[nb] = tileSize(fb, fl, scoreSizes[nb], i0, qTile,
                              /*forceDynamic=*/true);
      } else {
        hTile = queryTileBody(fb, fl, result, ivs[nb], hOffsets, hSizes,
                              std::nullopt);
      }
      fb.setInsertionPointToStart(forall.getTerminator().getBody());
      tensor::ParallelInsertSliceOp::create(
          fb, fl, hTile, forall.getRegionIterArgs()[0], hOffsets, hSizes,
          SmallVector<OpFoldResult>(r, one));
      return forall.getResult(0);
    };
    useSkip = skip.has_value();
    // Not for the few queries per head that read K as stored: the split
    // form's V column sums cost a second pass over each V tile that they
    // share with too few queries (i16, 8 heads x 1 query x 64K keys: 8.0 ->
    // 5.3 ms on one thread, docs/Tiling.md).
    splitInhibition = canSplit && !keyAsStored;
    // The kernel twice under a run-time condition: `flag` set while the
    // `then` copy is built, cleared for the `else` copy.
    auto versioned = [&](Value cond, bool &flag) {
      auto ifOp = scf::IfOp::create(
          rewriter, loc, cond,
          [&](OpBuilder &tb, Location tl) {
            flag = true;
            scf::YieldOp::create(tb, tl, buildForall(tb, tl));
          },
          [&](OpBuilder &eb, Location el) {
            flag = false;
            scf::YieldOp::create(eb, el, buildForall(eb, el));
          });
      rewriter.replaceOp(op, ifOp.getResults());
      return success();
    };
    if (narrow && !useNarrow && !narrowPerTile)
      return versioned(
          checkNarrowPartialSums(rewriter, loc, op, *narrow, keyTile),
          useNarrow);
    if (versionDifferences)
      return versioned(checkExactDifferences(rewriter, loc, op), exactScore);
    if (!skip || !skip->maxD) {
      rewriter.replaceOp(op, buildForall(rewriter, loc));
      return success();
    }
    // A dynamic D: the skipping kernel where D is small enough for it to be
    // exact, the plain one otherwise.
    Value d = getValueOrCreateConstantIndexOp(rewriter, loc, dSize);
    Value maxD = arith::ConstantIndexOp::create(rewriter, loc, *skip->maxD);
    return versioned(arith::CmpIOp::create(rewriter, loc,
                                           arith::CmpIPredicate::ule, d, maxD),
                     useSkip);
  }

private:
  /// Up to this many queries (static), the score reads K as stored, its
  /// sums over D reduced as one tree across 4 keys (TreeReduction.cpp).
  /// Measured on Zen 5 (i16, 8 heads, 1024 keys, against keys in lanes
  /// with each K tile transposed in the key loop): 1.85x faster at 2
  /// queries, 1.45x at 4, even at 8, 1.17x slower at 16 (docs/Tiling.md).
  static constexpr int64_t kDecodeQueries = 4;
  /// Query tiles per head up to which each prepares its K tiles in the key
  /// loop rather than read a copy of K of `keyCopyLimit` bytes or more.
  static constexpr int64_t kMaxTilesPreparingKeys = 16;
  int64_t queryTile, keyTileOption;
  bool sadScore;
  int64_t sadDimMultiple;
  bool skipKeys;
  int64_t skipChunk;
  const DenseMap<Value, ConstantIntRanges> *skipRanges;
  bool narrowTiles;
  int64_t keyCopyLimit;
};
} // namespace

void mlir::inhibitor::populateFusedAttentionToLinalgPatterns(
    RewritePatternSet &patterns, const FusedAttentionOptions &options) {
  // Grouped heads are split before the fused kernel sees them.
  populateGroupedHeadsToLinalgPatterns(patterns);
  patterns.add<FusedAttentionToLinalg>(patterns.getContext(), options);
}

/// Dynamic query counts up to this are split off as static ones (the fused
/// kernel's decode path, kDecodeQueries).
static constexpr int64_t kStaticQueryCounts = 4;

void mlir::inhibitor::splitDynamicQueryCounts(Operation *root,
                                              int64_t queryTile) {
  SmallVector<AttentionOp> ops;
  root->walk([&](AttentionOp op) {
    RankedTensorType resultTy = op.getResult().getType();
    int64_t nb = resultTy.getRank() - 2;
    if (!resultTy.isDynamicDim(nb))
      return; // a static N: the kernel picks its layout from N itself
    std::optional<int64_t> bound = queryCountBound(op, nb);
    if (!bound || *bound > queryTile)
      ops.push_back(op);
  });
  IRRewriter rewriter(root->getContext());
  for (AttentionOp op : ops) {
    Location loc = op.getLoc();
    RankedTensorType resultTy = op.getResult().getType();
    int64_t r = resultTy.getRank(), nb = r - 2;
    rewriter.setInsertionPoint(op);
    Value n = tensor::DimOp::create(rewriter, loc, op.getQuery(), nb);
    // Grouped heads are folded into the queries, several rows per K/V head
    // even for one query: only the static counts are split off (their fold
    // of up to query-tile rows is not bounded by one query tile; building it
    // would double the compile time for nothing).
    bool grouped =
        hasMultiHeadGroups(op.getHeadGroups(), {op.getKey(), op.getValue()});
    Value small =
        arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::ule, n,
            arith::ConstantIndexOp::create(
                rewriter, loc, grouped ? kStaticQueryCounts : queryTile))
            .getResult();
    auto ifOp = scf::IfOp::create(rewriter, loc, TypeRange{resultTy}, small,
                                  /*withElseRegion=*/true);
    SmallVector<OpFoldResult> offsets(r, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(r, rewriter.getIndexAttr(1));
    // The op on the first `rows` rows of Q and H (all of them), inserted
    // back where they were extracted (in place after bufferization).
    auto onFirstRows = [&](OpFoldResult rows) -> Value {
      auto rowSizes = [&](Value v) {
        SmallVector<OpFoldResult> sizes =
            tensor::getMixedSizes(rewriter, loc, v);
        sizes[nb] = rows;
        return sizes;
      };
      auto firstRows = [&](Value v) -> Value {
        return tensor::ExtractSliceOp::create(rewriter, loc, v, offsets,
                                              rowSizes(v), strides)
            .getResult();
      };
      IRMapping rowsOnly;
      rowsOnly.map(op.getQuery(), firstRows(op.getQuery()));
      Value init = firstRows(op.getInit());
      rowsOnly.map(op.getInit(), init);
      Operation *few = rewriter.clone(*op, rowsOnly);
      few->getResult(0).setType(cast<RankedTensorType>(init.getType()));
      return tensor::InsertSliceOp::create(rewriter, loc, few->getResult(0),
                                           op.getInit(), offsets,
                                           rowSizes(op.getInit()), strides);
    };
    // N = 1..4 (decode's usual steps: one query, or a few speculated) as
    // a static N, whose score reads K as stored (8 heads x 1 query against
    // 64K i16 keys: 2.4-2.8x faster than the bounded tile, grouped heads
    // 2.6-4.2x faster than unsplit, docs/Tiling.md); otherwise, where
    // N <= query-tile, the first min(N, query-tile) rows, so that the fused
    // kernel bounds N.
    rewriter.setInsertionPointToStart(ifOp.thenBlock());
    // (Up to query-tile: a larger count does not reach this branch.)
    SmallVector<int64_t> counts = llvm::to_vector(llvm::seq_inclusive<int64_t>(
        1, grouped ? kStaticQueryCounts
                   : std::min(kStaticQueryCounts, queryTile)));
    auto switchOp = scf::IndexSwitchOp::create(
        rewriter, loc, TypeRange{resultTy}, n, counts, counts.size());
    scf::YieldOp::create(rewriter, loc, switchOp.getResults());
    for (auto [count, region] : llvm::zip(counts, switchOp.getCaseRegions())) {
      rewriter.setInsertionPointToStart(&region.emplaceBlock());
      scf::YieldOp::create(rewriter, loc,
                           onFirstRows(rewriter.getIndexAttr(count)));
    }
    rewriter.setInsertionPointToStart(
        &switchOp.getDefaultRegion().emplaceBlock());
    if (grouped) {
      // N = 0 (N <= 4 here): H has no rows.
      scf::YieldOp::create(rewriter, loc, op.getInit());
    } else {
      AffineExpr s0 = rewriter.getAffineSymbolExpr(0);
      OpFoldResult rows = affine::makeComposedFoldedAffineMin(
          rewriter, loc,
          AffineMap::get(0, 1, {s0, rewriter.getAffineConstantExpr(queryTile)},
                         rewriter.getContext()),
          {OpFoldResult(n)});
      scf::YieldOp::create(rewriter, loc, onFirstRows(rows));
    }
    rewriter.setInsertionPointToStart(ifOp.elseBlock());
    Operation *many = rewriter.clone(*op);
    scf::YieldOp::create(rewriter, loc, many->getResult(0));
    rewriter.replaceOp(op, ifOp.getResults());
  }
}
