//===- KeySkipping.cpp - Exact skipping of extinguished keys --------------===//
//
// Pair (i, j) adds exactly 0 to every H[i, :] when it is masked out, above
// the causal diagonal, or Z[i,j] >= B_j with B_j = max_e V[j,e] (unsigned)
// or max_e |V[j,e]| (signed). Since sum_k |q - k| only grows with k, a
// partial sum can already prove it. The fused kernel then sums D a chunk at
// a time while a pair of the tile is alive and skips the inhibition of a
// tile with none alive. Why this is exact: docs/KeySkipping.md; the plan
// per op (bounds, thresholds): KeySkippingPlan.cpp.
//
//===----------------------------------------------------------------------===//

#include "KeySkipping.h"
#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::inhibitor;
/// Whether some pair of the tile is alive (attended and not extinguished
/// by `test` on `sumOrScore` [b..., tn, tm]), as an i1. First, per key,
/// the least tested value over the tile's queries (one min per pair, keys
/// in vector lanes; a pair masked out or above the diagonal counts as the
/// largest value, which every threshold passes); then one compare per key
/// and a reduction of the keys into one byte.
static Value anyAlive(OpBuilder &b, Location loc, AttentionOp op,
                      KeySkipTest test, Value sumOrScore,
                      const KeyTileOperands &tile) {
  MLIRContext *ctx = b.getContext();
  auto ty = cast<RankedTensorType>(sumOrScore.getType());
  Type acc = ty.getElementType(), i8 = b.getI8Type();
  int64_t r = ty.getRank(), nb = r - 2;
  bool isFloat = test == KeySkipTest::FloatScoreAtLeast;
  TypedAttr largest =
      isFloat
          ? TypedAttr(b.getFloatAttr(
                acc, APFloat::getInf(cast<FloatType>(acc).getFloatSemantics())))
          : TypedAttr(b.getIntegerAttr(
                acc, APInt::getSignedMaxValue(acc.getIntOrFloatBitWidth())));
  AffineMap id = AffineMap::getMultiDimIdentityMap(r, ctx);
  AffineMap perKey = id.dropResult(nb);
  SmallVector<Value> inputs = {sumOrScore};
  SmallVector<AffineMap> maps = {id};
  auto broadcast = [&](Value v) {
    inputs.push_back(v);
    maps.push_back(AffineMap::get(
        r, 0,
        getBroadcastExprs(cast<ShapedType>(v.getType()).getShape(),
                          id.getResults()),
        ctx));
  };
  bool withBias = test == KeySkipTest::ScoreAtLeast;
  if (withBias)
    broadcast(tile.bias);
  if (tile.mask)
    broadcast(tile.mask);
  maps.push_back(perKey);
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, sumOrScore);
  sizes.erase(sizes.begin() + nb);
  Value minInit =
      linalg::FillOp::create(
          b, loc, arith::ConstantOp::create(b, loc, largest).getResult(),
          tensor::EmptyOp::create(b, loc, sizes, acc).getResult())
          .getResult(0);
  SmallVector<utils::IteratorType> its(r, utils::IteratorType::parallel);
  its[nb] = utils::IteratorType::reduction;
  TypedAttr gamma = op.getGammaOrDefault(), alpha = op.getAlphaOrDefault();
  bool causal = op.getCausal();
  Value leastPerKey =
      linalg::GenericOp::create(
          b, loc, minInit.getType(), inputs, ValueRange{minInit}, maps, its,
          [&](OpBuilder &bb, Location l, ValueRange args) {
            AccumulatorArith a{bb, l, acc};
            Value x = args[0];
            if (withBias) { // the plain epilogue's steps, before max(., 0)
              Value scaled = a.divideByGamma(x, gamma);
              Value a0 = a.constant(alpha);
              x = a.sub(a.sub(scaled, a0), args[1]);
            }
            Value big = a.constant(largest);
            if (tile.mask) {
              Value zero8 =
                  arith::ConstantOp::create(bb, l, bb.getI8IntegerAttr(0));
              Value attend =
                  arith::CmpIOp::create(bb, l, arith::CmpIPredicate::ne,
                                        args[args.size() - 2], zero8);
              x = arith::SelectOp::create(bb, l, attend, x, big);
            }
            if (causal) {
              Value i = linalg::IndexOp::create(bb, l, nb).getResult();
              Value j = linalg::IndexOp::create(bb, l, nb + 1).getResult();
              i = arith::AddIOp::create(bb, l, i, tile.rowOffset);
              j = arith::AddIOp::create(bb, l, j, tile.colOffset);
              Value keep =
                  arith::CmpIOp::create(bb, l, arith::CmpIPredicate::sle, j, i);
              x = arith::SelectOp::create(bb, l, keep, x, big);
            }
            // minimumf propagates a NaN score, which then counts as alive.
            linalg::YieldOp::create(bb, l, a.min(args.back(), x));
          })
          .getResult(0);
  // Alive keys (least value below the threshold; for floats also NaN:
  // `ult`), into one byte.
  int64_t kr = r - 1;
  Value anyInit = fillZero(
      b, loc, tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{}, i8));
  AffineMap kid = AffineMap::getMultiDimIdentityMap(kr, ctx);
  Value any =
      linalg::GenericOp::create(
          b, loc, anyInit.getType(), ValueRange{leastPerKey, tile.thresholds},
          ValueRange{anyInit},
          ArrayRef<AffineMap>{kid, kid, AffineMap::get(kr, 0, {}, ctx)},
          SmallVector<utils::IteratorType>(kr, utils::IteratorType::reduction),
          [&](OpBuilder &bb, Location l, ValueRange args) {
            Value alive =
                isFloat
                    ? arith::CmpFOp::create(bb, l, arith::CmpFPredicate::ULT,
                                            args[0], args[1])
                          .getResult()
                    : arith::CmpIOp::create(bb, l, arith::CmpIPredicate::slt,
                                            args[0], args[1])
                          .getResult();
            Value byte = arith::ExtUIOp::create(bb, l, bb.getI8Type(), alive);
            linalg::YieldOp::create(
                bb, l, arith::OrIOp::create(bb, l, args[2], byte).getResult());
          })
          .getResult(0);
  Value byte = tensor::ExtractOp::create(b, loc, any, ValueRange{});
  Value zero = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, byte, zero);
}

/// The tile's sums of |q - k| over D, a chunk at a time while a pair is
/// alive: returns the sums (complete if the last value is true) and
/// whether a pair is alive after the last chunk summed.
static std::pair<Value, Value>
sumWhileAlive(OpBuilder &b, Location loc, AttentionOp op,
              const KeySkipPlan &plan, const KeyTileOperands &tile, Value sum) {
  auto qTy = cast<RankedTensorType>(tile.query.getType());
  int64_t r = qTy.getRank(), nb = r - 2;
  OpFoldResult dSize = tensor::getMixedSize(b, loc, tile.query, r - 1);
  std::optional<int64_t> d = getConstantIntValue(dSize);
  int64_t chunk = plan.chunk;
  if (chunk <= 0 || (d && *d <= chunk))
    chunk = d ? std::max<int64_t>(*d, 1) : 0;
  Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
  Value dEnd = getValueOrCreateConstantIndexOp(b, loc, dSize);
  // A dynamic D with no chunk: one chunk of all of D.
  Value stepV =
      chunk ? arith::ConstantIndexOp::create(b, loc, chunk).getResult()
            : arith::MaxSIOp::create(b, loc, dEnd,
                                     arith::ConstantIndexOp::create(b, loc, 1))
                  .getResult();
  bool staticChunk = chunk && d && *d % chunk == 0;
  SmallVector<OpFoldResult> qSizes = tensor::getMixedSizes(b, loc, tile.query);
  SmallVector<OpFoldResult> kSizes = tensor::getMixedSizes(b, loc, tile.key);
  Value alive0 = arith::ConstantIntOp::create(b, loc, 1, 1);
  auto loop = scf::ForOp::create(
      b, loc, c0, dEnd, stepV, ValueRange{sum, alive0},
      [&](OpBuilder &lb, Location l, Value c, ValueRange iters) {
        auto ifOp = scf::IfOp::create(
            lb, l, iters[1],
            [&](OpBuilder &tb, Location tl) {
              OpFoldResult cs =
                  staticChunk ? OpFoldResult(tb.getIndexAttr(chunk))
                              : OpFoldResult(arith::MinSIOp::create(
                                    tb, tl, stepV,
                                    arith::SubIOp::create(tb, tl, dEnd, c)));
              auto slice = [&](Value src, SmallVector<OpFoldResult> sizes,
                               int64_t dDim) {
                SmallVector<OpFoldResult> offs(r, tb.getIndexAttr(0));
                offs[dDim] = c;
                sizes[dDim] = cs;
                return tensor::ExtractSliceOp::create(
                           tb, tl, src, offs, sizes,
                           SmallVector<OpFoldResult>(r, tb.getIndexAttr(1)))
                    .getResult();
              };
              Value q = slice(tile.query, qSizes, r - 1);
              Value k =
                  slice(tile.key, kSizes, tile.keyTransposed ? nb : r - 1);
              Value s = tile.sad ? lowerScoreSADSum(tb, tl, q, k, iters[0], {})
                                 : lowerScoreSum(tb, tl, q, k, iters[0], {},
                                                 tile.keyTransposed);
              Value alive = anyAlive(tb, tl, op, plan.test, s, tile);
              scf::YieldOp::create(tb, tl, ValueRange{s, alive});
            },
            [&](OpBuilder &eb, Location el) {
              scf::YieldOp::create(eb, el, iters);
            });
        scf::YieldOp::create(lb, l, ifOp.getResults());
      });
  return {loop.getResult(0), loop.getResult(1)};
}

Value mlir::inhibitor::lowerKeyTileWithSkipping(OpBuilder &b, Location loc,
                                                AttentionOp op,
                                                const KeySkipPlan &plan,
                                                const KeyTileOperands &tile) {
  TypedAttr gamma = op.getGammaOrDefault(), alpha = op.getAlphaOrDefault();
  InhibitOptions opts;
  opts.isSigned = op.getIsSigned();
  opts.causal = op.getCausal();
  opts.rowOffset = tile.rowOffset;
  opts.colOffset = tile.colOffset;
  opts.accumulate = true;
  opts.scoreNonNegative = true;
  opts.mask = tile.mask;
  opts.negatedAccumulator = tile.negatedAccumulator;
  if (tile.queryLo) {
    // The pre-filter: a block whose score lower bound reaches every
    // threshold of its keys is extinguished before any score.
    Value lb = blockScoreLowerBound(b, loc, tile.queryLo, tile.queryHi,
                                    tile.keyLo, tile.keyHi);
    auto tTy = cast<RankedTensorType>(tile.maxThreshold.getType());
    SmallVector<Value> zeros(
        tTy.getRank(), arith::ConstantIndexOp::create(b, loc, 0).getResult());
    Value maxT = tensor::ExtractOp::create(b, loc, tile.maxThreshold, zeros);
    Value dead =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, lb, maxT);
    KeyTileOperands rest = tile;
    rest.queryLo = {};
    auto ifOp = scf::IfOp::create(
        b, loc, dead,
        [&](OpBuilder &tb, Location tl) {
          scf::YieldOp::create(tb, tl, tile.h);
        },
        [&](OpBuilder &eb, Location el) {
          scf::YieldOp::create(
              eb, el, lowerKeyTileWithSkipping(eb, el, op, plan, rest));
        });
    return ifOp.getResult(0);
  }
  Value sum = fillZero(b, loc, tile.scoreDest);
  Value score, alive;
  if (plan.test == KeySkipTest::FloatScoreAtLeast) {
    score = lowerScoreEpilogue(b, loc,
                               lowerScoreSum(b, loc, tile.query, tile.key, sum,
                                             {}, tile.keyTransposed),
                               gamma, alpha, tile.bias);
    alive = anyAlive(b, loc, op, plan.test, score, tile);
  } else {
    std::tie(sum, alive) = sumWhileAlive(b, loc, op, plan, tile, sum);
  }
  auto ifOp = scf::IfOp::create(
      b, loc, alive,
      [&](OpBuilder &tb, Location tl) {
        Value z =
            score ? score
                  : lowerScoreEpilogue(tb, tl, sum, gamma, alpha, tile.bias);
        scf::YieldOp::create(tb, tl,
                             lowerInhibit(tb, tl, tile.value, z, tile.h, opts));
      },
      [&](OpBuilder &eb, Location el) {
        scf::YieldOp::create(eb, el, tile.h);
      });
  return ifOp.getResult(0);
}
