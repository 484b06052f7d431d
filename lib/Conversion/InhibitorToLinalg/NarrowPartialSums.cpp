//===- NarrowPartialSums.cpp - 16-bit tiles under a wider accumulator -----===//
//
// The fused kernel's narrow mode: with i8/i16 data and an i32 or i64
// accumulator, each key tile computes its score and its inhibition in i16
// (twice the lanes of i32, no widening per pair) and adds the tile's sum,
// widened, to the accumulator. A run-time check on the data's magnitudes
// chooses it only where every 16-bit value is exact (docs/Lowering.md).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"

using namespace mlir;
using namespace mlir::inhibitor;

/// Fewer (static) queries than this keep the plain kernel: 5 for 16-bit
/// data (up to 4 queries the score reads K as stored), 3 where Q, K and V
/// are all 8-bit (the byte score).
static constexpr int64_t kMinNarrowQueries = 5;
static constexpr int64_t kMinNarrowQueriesBytes = 3;

/// `attr` (an integer) as an attribute of `type` when it fits, else null.
static IntegerAttr narrowed(TypedAttr attr, IntegerType type) {
  auto intAttr = dyn_cast<IntegerAttr>(attr);
  if (!intAttr)
    return {};
  int64_t v = intAttr.getValue().getSExtValue();
  unsigned w = type.getWidth();
  if (v < -(int64_t(1) << (w - 1)) || v >= (int64_t(1) << (w - 1)))
    return {};
  return IntegerAttr::get(type, v);
}

/// The check's condition (fitsNarrow) from the element types alone: every
/// |x| of a w-bit signed integer is at most 2^(w - 1).
static bool provenByTypes(AttentionOp op, int64_t keyTile) {
  int64_t r = op.getQuery().getType().getRank();
  int64_t d = op.getQuery().getType().getDimSize(r - 1);
  if (ShapedType::isDynamic(d))
    return false;
  auto maxAbs = [](Value v) {
    return int64_t(1)
           << (getElementTypeOrSelf(v.getType()).getIntOrFloatBitWidth() - 1);
  };
  constexpr int64_t lim = 32767;
  return d * (maxAbs(op.getQuery()) + maxAbs(op.getKey())) <= lim &&
         keyTile * maxAbs(op.getValue()) <= lim;
}

std::optional<NarrowPartialSums>
mlir::inhibitor::planNarrowPartialSums(AttentionOp op, int64_t keyTile) {
  auto acc = dyn_cast<IntegerType>(op.getAccumulatorType());
  if (!acc || acc.getWidth() <= 16 || op.getBias())
    return std::nullopt;
  bool bytes = true;
  for (Value v : {op.getQuery(), op.getKey(), op.getValue()}) {
    auto t = dyn_cast<IntegerType>(getElementTypeOrSelf(v.getType()));
    if (!t || t.getWidth() > 16)
      return std::nullopt;
    bytes &= t.getWidth() <= 8;
  }
  // Decode with a static handful of queries (one query tile, each key tile
  // checked in the key loop on the K and V tiles it reads anyway): for the
  // fewest queries the check and the choice per tile cost more than the
  // 16-bit tile saves. Measured on an Intel rocketlake (8 heads, 64K keys,
  // key-splits=4 threads=2, i32 result, narrow tiles against none): i16 1
  // query 0.80x, 4 queries 0.97x, 5 1.16x, 6 1.26x, 7 1.31x; i8 1 query
  // 0.77x, 2 0.90x, 3 1.23x, 4 1.08x, 5 1.18x (docs/Lowering.md).
  int64_t nb = op.getResult().getType().getRank() - 2;
  int64_t queries = op.getStaticScoreShape()[nb];
  if (!ShapedType::isDynamic(queries) &&
      queries < (bytes ? kMinNarrowQueriesBytes : kMinNarrowQueries))
    return std::nullopt;
  auto i16 = IntegerType::get(op.getContext(), 16);
  NarrowPartialSums plan;
  plan.type = i16;
  plan.gamma = narrowed(op.getGammaOrDefault(), i16);
  plan.alpha = narrowed(op.getAlphaOrDefault(), i16);
  // Z = max(s / gamma - alpha, 0) with 0 <= s / gamma <= 32767 is exact in
  // i16 for gamma > 0 and alpha >= 0 (the verifier's rules) that fit.
  if (!plan.gamma || !plan.alpha)
    return std::nullopt;
  // A key tile holds at most the op's keys (a tile of the op made through
  // its TilingInterface: as many as the interface's key tile).
  int64_t keys = op.getStaticScoreShape()[nb + 1];
  if (!ShapedType::isDynamic(keys))
    keyTile = std::min(keyTile, keys);
  std::optional<int64_t> promised = op.getNarrowSums();
  plan.proven =
      (promised && keyTile <= *promised) || provenByTypes(op, keyTile);
  return plan;
}

/// max |x| over all of `x` (integers of at most 16 bits) as an i64 scalar.
/// In x's own width: |x| by math.absi, read as unsigned, is exact (|-2^(w-1)|
/// = 2^(w-1) is the bit pattern absi returns), and the maxima are unsigned,
/// so each vector of data costs one abs and one max with no widening. First
/// over all dims but the last, into a vector of the last dim's length
/// (lanes along the contiguous dim, no horizontal step per element), then
/// over that vector.
Value mlir::inhibitor::maxAbsOf(OpBuilder &b, Location loc, Value x) {
  MLIRContext *ctx = b.getContext();
  auto ty = cast<RankedTensorType>(x.getType());
  Type elem = ty.getElementType();
  int64_t r = ty.getRank();
  SmallVector<OpFoldResult> lastSize = {tensor::getMixedSize(b, loc, x, r - 1)};
  Value colsInit =
      fillZero(b, loc, tensor::EmptyOp::create(b, loc, lastSize, elem));
  SmallVector<utils::IteratorType> its(r, utils::IteratorType::reduction);
  its[r - 1] = utils::IteratorType::parallel;
  Value cols =
      linalg::GenericOp::create(
          b, loc, colsInit.getType(), ValueRange{x}, ValueRange{colsInit},
          ArrayRef<AffineMap>{
              AffineMap::getMultiDimIdentityMap(r, ctx),
              AffineMap::get(r, 0, {getAffineDimExpr(r - 1, ctx)}, ctx)},
          its,
          [&](OpBuilder &bb, Location l, ValueRange args) {
            Value m = arith::MaxUIOp::create(
                bb, l, args[1], math::AbsIOp::create(bb, l, args[0]));
            linalg::YieldOp::create(bb, l, m);
          })
          .getResult(0);
  Value init = fillZero(
      b, loc, tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{}, elem));
  Value reduced =
      linalg::GenericOp::create(
          b, loc, init.getType(), ValueRange{cols}, ValueRange{init},
          ArrayRef<AffineMap>{AffineMap::getMultiDimIdentityMap(1, ctx),
                              AffineMap::get(1, 0, {}, ctx)},
          ArrayRef<utils::IteratorType>{utils::IteratorType::reduction},
          [&](OpBuilder &bb, Location l, ValueRange args) {
            Value m = arith::MaxUIOp::create(bb, l, args[1], args[0]);
            linalg::YieldOp::create(bb, l, m);
          })
          .getResult(0);
  Value scalar = tensor::ExtractOp::create(b, loc, reduced, ValueRange{});
  return arith::ExtUIOp::create(b, loc, b.getI64Type(), scalar);
}

/// D * (mq + mk) <= limit and keyTile * mv <= limit (i64 scalars; at most
/// 2^16 * 2^16: no overflow). Every |q - k| and score sum fits; the tile's
/// inhibition: each term and each partial sum of one sign is at most
/// keyTile * max|V| in magnitude, and the split form is exact modulo 2^16
/// once the tile's sum fits.
static Value fitsNarrow(OpBuilder &b, Location loc, IntegerType narrowType,
                        Value d, Value mq, Value mk, Value mv,
                        int64_t keyTile) {
  Type i64 = b.getI64Type();
  Value qk = arith::AddIOp::create(b, loc, mq, mk);
  Value scoreBound = arith::MulIOp::create(b, loc, d, qk);
  Value tile = arith::ConstantIntOp::create(b, loc, i64, keyTile);
  Value valueBound = arith::MulIOp::create(b, loc, tile, mv);
  Value lim = arith::ConstantIntOp::create(
      b, loc, i64,
      APInt::getSignedMaxValue(narrowType.getWidth()).getSExtValue());
  Value scoreOk =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, scoreBound, lim);
  Value valueOk =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, valueBound, lim);
  return arith::AndIOp::create(b, loc, scoreOk, valueOk);
}

static Value dimAsI64(OpBuilder &b, Location loc, Value x, int64_t dim) {
  return arith::IndexCastOp::create(
      b, loc, b.getI64Type(),
      getValueOrCreateConstantIndexOp(b, loc,
                                      tensor::getMixedSize(b, loc, x, dim)));
}

Value mlir::inhibitor::checkNarrowPartialSums(OpBuilder &b, Location loc,
                                              AttentionOp op,
                                              const NarrowPartialSums &plan,
                                              int64_t keyTile) {
  int64_t r = op.getQuery().getType().getRank();
  Value mq = maxAbsOf(b, loc, op.getQuery());
  Value mk = maxAbsOf(b, loc, op.getKey());
  Value mv = maxAbsOf(b, loc, op.getValue());
  Value d = dimAsI64(b, loc, op.getQuery(), r - 1);
  return fitsNarrow(b, loc, plan.type, d, mq, mk, mv, keyTile);
}

Value mlir::inhibitor::checkExactDifferences(OpBuilder &b, Location loc,
                                             AttentionOp op) {
  Type i64 = b.getI64Type();
  Value mq = maxAbsOf(b, loc, op.getQuery());
  Value mk = maxAbsOf(b, loc, op.getKey());
  Value qk = arith::AddIOp::create(b, loc, mq, mk);
  auto elem = cast<IntegerType>(getElementTypeOrSelf(op.getQuery().getType()));
  Value lim = arith::ConstantIntOp::create(
      b, loc, i64, APInt::getSignedMaxValue(elem.getWidth()).getSExtValue());
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, qk, lim);
}

Value mlir::inhibitor::checkNarrowKeyTile(OpBuilder &b, Location loc,
                                          const NarrowPartialSums &plan,
                                          Value d, Value maxQuery, Value kTile,
                                          Value vTile, int64_t keyTile) {
  Value mk = maxAbsOf(b, loc, kTile);
  Value mv = maxAbsOf(b, loc, vTile);
  return fitsNarrow(b, loc, plan.type, d, maxQuery, mk, mv, keyTile);
}

Value mlir::inhibitor::addWidened(OpBuilder &b, Location loc, Value wide,
                                  Value narrow) {
  auto ty = cast<RankedTensorType>(wide.getType());
  AffineMap id =
      AffineMap::getMultiDimIdentityMap(ty.getRank(), b.getContext());
  return linalg::GenericOp::create(
             b, loc, ty, ValueRange{narrow}, ValueRange{wide},
             ArrayRef<AffineMap>{id, id},
             SmallVector<utils::IteratorType>(ty.getRank(),
                                              utils::IteratorType::parallel),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               Value w =
                   arith::ExtSIOp::create(bb, l, ty.getElementType(), args[0]);
               Value sum = arith::AddIOp::create(bb, l, args[1], w);
               linalg::YieldOp::create(bb, l, sum);
             })
      .getResult(0);
}
