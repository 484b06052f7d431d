//===- TileBoxes.cpp - A lower bound of every score in a tile -------------===//
//
// The exact pre-filter of skip-keys: per tile of queries and per tile of
// keys, the per-dimension bounding box [lo_d, hi_d] of the rows. For every
// pair (q, k) of a [query tile, key tile] block,
//
//   sum_d |q_d - k_d| >= sum_d max(0, klo_d - qhi_d, qlo_d - khi_d) = LB,
//
// so where LB reaches the largest threshold T_j of the key tile, every pair
// is extinguished before any of its score is computed (docs/KeySkipping.md).
//
//===----------------------------------------------------------------------===//

#include "KeySkipping.h"
#include "LoweringUtils.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::inhibitor;

/// [b..., R, D] -> [b..., R / tile, tile, D] (R a multiple of tile).
static Value splitRows(OpBuilder &b, Location loc, Value x, int64_t tile) {
  auto ty = cast<RankedTensorType>(x.getType());
  int64_t r = ty.getRank();
  SmallVector<int64_t> shape(ty.getShape());
  shape[r - 2] /= tile;
  shape.insert(shape.begin() + r - 1, tile);
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d < r; ++d) {
    if (d == r - 2)
      groups.push_back({d, d + 1});
    else
      groups.push_back({d < r - 2 ? d : d + 1});
  }
  return tensor::ExpandShapeOp::create(
             b, loc, RankedTensorType::get(shape, ty.getElementType()), x,
             groups)
      .getResult();
}

/// Per tile of rows, the least (or largest) value of each column, widened
/// to `acc` (`zeroExtend`: as unsigned): [b..., R, D] -> [b..., R/tile, D].
Value mlir::inhibitor::buildTileBoxes(OpBuilder &b, Location loc, Value x,
                                      int64_t tile, Type acc, bool largest) {
  MLIRContext *ctx = b.getContext();
  Value split = splitRows(b, loc, x, tile);
  auto ty = cast<RankedTensorType>(split.getType());
  int64_t r = ty.getRank();
  SmallVector<int64_t> shape(ty.getShape());
  shape.erase(shape.begin() + r - 2);
  unsigned width = acc.getIntOrFloatBitWidth();
  APInt init = largest ? APInt::getSignedMinValue(width)
                       : APInt::getSignedMaxValue(width);
  Value empty = tensor::EmptyOp::create(b, loc, shape, acc).getResult();
  Value filled = linalg::FillOp::create(b, loc,
                                        arith::ConstantOp::create(
                                            b, loc, b.getIntegerAttr(acc, init))
                                            .getResult(),
                                        empty)
                     .getResult(0);
  AffineMap id = AffineMap::getMultiDimIdentityMap(r, ctx);
  SmallVector<utils::IteratorType> its(r, utils::IteratorType::parallel);
  its[r - 2] = utils::IteratorType::reduction;
  return linalg::GenericOp::create(
             b, loc, filled.getType(), ValueRange{split}, ValueRange{filled},
             ArrayRef<AffineMap>{id, id.dropResult(r - 2)}, its,
             [&](OpBuilder &bb, Location l, ValueRange args) {
               AccumulatorArith a{bb, l, acc};
               Value v = a.widen(args[0]);
               Value m = largest ? a.max(args[1], v) : a.min(args[1], v);
               linalg::YieldOp::create(bb, l, m);
             })
      .getResult(0);
}

Value mlir::inhibitor::buildTileMaxThreshold(OpBuilder &b, Location loc,
                                             Value thresholds, int64_t tile) {
  MLIRContext *ctx = b.getContext();
  auto ty = cast<RankedTensorType>(thresholds.getType());
  int64_t r = ty.getRank();
  Type acc = ty.getElementType();
  SmallVector<int64_t> shape(ty.getShape());
  shape.back() /= tile;
  SmallVector<int64_t> split = shape;
  split.push_back(tile);
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d < r - 1; ++d)
    groups.push_back({d});
  groups.push_back({r - 1, r});
  Value expanded =
      tensor::ExpandShapeOp::create(b, loc, RankedTensorType::get(split, acc),
                                    thresholds, groups)
          .getResult();
  Value filled =
      linalg::FillOp::create(
          b, loc,
          arith::ConstantOp::create(
              b, loc,
              b.getIntegerAttr(
                  acc, APInt::getSignedMinValue(acc.getIntOrFloatBitWidth())))
              .getResult(),
          tensor::EmptyOp::create(b, loc, shape, acc).getResult())
          .getResult(0);
  AffineMap id = AffineMap::getMultiDimIdentityMap(r + 1, ctx);
  SmallVector<utils::IteratorType> its(r + 1, utils::IteratorType::parallel);
  its[r] = utils::IteratorType::reduction;
  return linalg::GenericOp::create(
             b, loc, filled.getType(), ValueRange{expanded}, ValueRange{filled},
             ArrayRef<AffineMap>{id, id.dropResult(r)}, its,
             [&](OpBuilder &bb, Location l, ValueRange args) {
               AccumulatorArith a{bb, l, acc};
               linalg::YieldOp::create(bb, l, a.max(args[1], args[0]));
             })
      .getResult(0);
}

Value mlir::inhibitor::blockScoreLowerBound(OpBuilder &b, Location loc,
                                            Value qLo, Value qHi, Value kLo,
                                            Value kHi) {
  MLIRContext *ctx = b.getContext();
  auto ty = cast<RankedTensorType>(qLo.getType());
  Type acc = ty.getElementType();
  int64_t r = ty.getRank();
  Value init = fillZero(
      b, loc, tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{}, acc));
  AffineMap id = AffineMap::getMultiDimIdentityMap(r, ctx);
  Value lb =
      linalg::GenericOp::create(
          b, loc, init.getType(), ValueRange{qLo, qHi, kLo, kHi},
          ValueRange{init},
          ArrayRef<AffineMap>{id, id, id, id, AffineMap::get(r, 0, {}, ctx)},
          SmallVector<utils::IteratorType>(r, utils::IteratorType::reduction),
          [&](OpBuilder &bb, Location l, ValueRange args) {
            AccumulatorArith a{bb, l, acc};
            Value above = a.sub(args[2], args[1]); // klo - qhi
            Value below = a.sub(args[0], args[3]); // qlo - khi
            Value zero = a.zero();
            Value gap = a.max(a.max(above, below), zero);
            linalg::YieldOp::create(bb, l, a.add(args[4], gap));
          })
          .getResult(0);
  return tensor::ExtractOp::create(b, loc, lb, ValueRange{});
}
