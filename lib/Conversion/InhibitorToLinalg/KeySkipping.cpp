//===- KeySkipping.cpp - Exact skipping of extinguished keys --------------===//
//
// Pair (i, j) adds exactly 0 to every H[i, :] when it is masked out, above
// the causal diagonal, or Z[i,j] >= B_j with B_j = max_e V[j,e] (unsigned)
// or max_e |V[j,e]| (signed). Since sum_k |q - k| only grows with k, a
// partial sum can already prove it. The fused kernel then sums D a chunk at
// a time while a pair of the tile is alive and skips the inhibition of a
// tile with none alive. Why this is exact: docs/KeySkipping.md.
//
//===----------------------------------------------------------------------===//

#include "KeySkipping.h"
#include "LoweringUtils.h"
#include "inhibitor/IR/InhibitorIntegerBounds.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

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
    ranges.push_back(ConstantIntRanges::maxRange(
        getElementTypeOrSelf(operand.getType()).getIntOrFloatBitWidth()));
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
                  arith::CmpIOp::create(bb, l, arith::CmpIPredicate::ule, j, i);
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
