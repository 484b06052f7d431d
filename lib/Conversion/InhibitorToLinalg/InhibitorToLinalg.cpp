//===- InhibitorToLinalg.cpp - Lower inhibitor ops to linalg --------------===//
//
// Each op becomes linalg.generic ops on tensors computing in the accumulator
// type. Iteration spaces put the reduction in the middle and the contiguous
// dim last ((b..., i, k, j) for the score over K^T, (b..., i, j, e) for the
// inhibition) so that vectorized tiles add whole vectors (keys or values in
// lanes) and need no horizontal reductions.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Conversion/Passes.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_CONVERTINHIBITORTOLINALG
#include "inhibitor/Conversion/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;

namespace {

/// Arithmetic in the accumulator type: integer ops wrap, float ops follow
/// IEEE (max/min propagate NaN).
struct AccumulatorArith {
  OpBuilder &b;
  Location loc;
  Type acc;
  Value zeroValue = {};

  bool isInt() const { return isa<IntegerType>(acc); }
  Value constant(TypedAttr attr) {
    return arith::ConstantOp::create(b, loc, attr).getResult();
  }
  Value zero() {
    if (!zeroValue)
      zeroValue = constant(b.getZeroAttr(acc));
    return zeroValue;
  }
  Value widen(Value v) {
    if (v.getType() == acc)
      return v;
    if (isInt())
      return arith::ExtSIOp::create(b, loc, acc, v).getResult();
    return arith::ExtFOp::create(b, loc, acc, v).getResult();
  }
  Value add(Value x, Value y) {
    if (isInt())
      return arith::AddIOp::create(b, loc, x, y).getResult();
    return arith::AddFOp::create(b, loc, x, y).getResult();
  }
  Value sub(Value x, Value y) {
    if (isInt())
      return arith::SubIOp::create(b, loc, x, y).getResult();
    return arith::SubFOp::create(b, loc, x, y).getResult();
  }
  Value abs(Value x) {
    if (isInt())
      return math::AbsIOp::create(b, loc, x).getResult();
    return math::AbsFOp::create(b, loc, x).getResult();
  }
  Value max(Value x, Value y) {
    if (isInt())
      return arith::MaxSIOp::create(b, loc, x, y).getResult();
    return arith::MaximumFOp::create(b, loc, x, y).getResult();
  }
  Value min(Value x, Value y) {
    if (isInt())
      return arith::MinSIOp::create(b, loc, x, y).getResult();
    return arith::MinimumFOp::create(b, loc, x, y).getResult();
  }
  /// x / gamma: floor division for integers (an arithmetic shift when gamma
  /// is a power of two), IEEE division for floats. gamma == 1 is a no-op.
  Value divideByGamma(Value x, TypedAttr gamma) {
    if (auto intGamma = dyn_cast<IntegerAttr>(gamma)) {
      const APInt &g = intGamma.getValue();
      if (g.isOne())
        return x;
      if (g.isPowerOf2())
        return arith::ShRSIOp::create(
                   b, loc, x, constant(IntegerAttr::get(acc, g.logBase2())))
            .getResult();
      return arith::FloorDivSIOp::create(b, loc, x, constant(gamma))
          .getResult();
    }
    if (cast<FloatAttr>(gamma).getValue().isExactlyValue(1.0))
      return x;
    return arith::DivFOp::create(b, loc, x, constant(gamma)).getResult();
  }
  /// One key's contribution to H[i, e] (SPEC eq. 4 and 5).
  Value inhibition(Value v, Value z, bool isSigned, bool scoreNonNegative) {
    if (!isSigned)
      return max(sub(v, z), zero());
    // For Z >= 0 (a score computed here: max(., 0)) eq. 5 equals
    // V - clamp(V, -Z, Z), bit for bit also under wrapping (no step can
    // overflow): 4 ops per pair instead of 7.
    if (scoreNonNegative)
      return sub(v, max(min(v, z), sub(zero(), z)));
    Value pos = max(v, zero()), neg = min(v, zero());
    return add(max(sub(pos, z), zero()), min(add(neg, z), zero()));
  }
};

SmallVector<utils::IteratorType> iterators(int64_t numLoops,
                                           int64_t reductionDim) {
  SmallVector<utils::IteratorType> its(numLoops, utils::IteratorType::parallel);
  its[reductionDim] = utils::IteratorType::reduction;
  return its;
}

/// Map from the (b..., x, y, z) iteration space to (b..., dims...). A batch
/// dim in `broadcast` (a key/value dim of size 1 read by every query head)
/// reads index 0.
AffineMap batchedMap(MLIRContext *ctx, int64_t numBatch, ArrayRef<int64_t> dims,
                     ArrayRef<bool> broadcast = {}) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < numBatch; ++i)
    exprs.push_back(!broadcast.empty() && broadcast[i]
                        ? getAffineConstantExpr(0, ctx)
                        : getAffineDimExpr(i, ctx));
  for (int64_t d : dims)
    exprs.push_back(getAffineDimExpr(numBatch + d, ctx));
  return AffineMap::get(numBatch + 3, 0, exprs, ctx);
}

Value fillZero(OpBuilder &b, Location loc, Value dest) {
  Type acc = cast<RankedTensorType>(dest.getType()).getElementType();
  Value zero =
      arith::ConstantOp::create(b, loc, b.getZeroAttr(acc)).getResult();
  return linalg::FillOp::create(b, loc, zero, dest).getResult(0);
}

/// K [b..., M, D] -> K^T [b..., D, M]: O(M D) work that lets the score put
/// keys in vector lanes with unit-stride loads.
Value transposeKeyForScore(OpBuilder &b, Location loc, Value key) {
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

/// Z = max(s / gamma - alpha - B, 0) elementwise on the sums `sum`
/// [b..., N, M]; the bias B (optional) broadcasts to it.
Value lowerScoreEpilogue(OpBuilder &b, Location loc, Value sum, TypedAttr gamma,
                         TypedAttr alpha, Value bias) {
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

/// Z = max(sum_k |q - k| / gamma - alpha, 0) into `dest` [b..., N, M], from
/// Q [b..., N, D] and K^T [b..., D, M] (or K when !keyIsTransposed).
/// The iteration space is (b..., i, k, j): the reduction over D sits in the
/// middle and the keys are innermost, so a vectorized tile adds whole
/// vectors of keys (no horizontal reductions).
Value lowerScore(OpBuilder &b, Location loc, Value query, Value keyT,
                 Value dest, TypedAttr gamma, TypedAttr alpha, Value bias,
                 ArrayRef<bool> kvBroadcast, bool keyIsTransposed = true) {
  MLIRContext *ctx = b.getContext();
  auto destTy = cast<RankedTensorType>(dest.getType());
  Type acc = destTy.getElementType();
  int64_t nb = destTy.getRank() - 2;
  // Iteration space (b..., i, k, j): 0 = i (N), 1 = k (D), 2 = j (M). The
  // key is read as K^T [b..., D, M] or, untransposed, as K [b..., M, D].
  SmallVector<AffineMap> maps = {batchedMap(ctx, nb, {0, 1}),
                                 keyIsTransposed
                                     ? batchedMap(ctx, nb, {1, 2}, kvBroadcast)
                                     : batchedMap(ctx, nb, {2, 1}, kvBroadcast),
                                 batchedMap(ctx, nb, {0, 2})};
  Value sum =
      linalg::GenericOp::create(
          b, loc, destTy, ValueRange{query, keyT},
          ValueRange{fillZero(b, loc, dest)}, maps, iterators(nb + 3, nb + 1),
          [&](OpBuilder &bb, Location l, ValueRange args) {
            AccumulatorArith a{bb, l, acc};
            Value d = a.sub(a.widen(args[0]), a.widen(args[1]));
            linalg::YieldOp::create(bb, l, a.add(args[2], a.abs(d)));
          })
          .getResult(0);
  return lowerScoreEpilogue(b, loc, sum, gamma, alpha, bias);
}

/// How the unfused patterns lower a score.
struct ScoreLowering {
  bool transposeKey = true;
  bool sadScore = false;
  /// With sadScore: only for a static D that is a multiple of this (0: any).
  int64_t sadDimMultiple = 0;
};

/// Whether the score of `inputType` data in `acc` may run as a byte sum of
/// absolute differences: i8 inputs and an integer accumulator that holds
/// every |q - k| <= 255 (16 bits or more). For such accumulators the
/// accumulator's wrapping sum of |q - k| equals the exact sum truncated to
/// its width, whatever order the partial sums are added in.
bool isSADScore(Type inputType, Type acc) {
  return inputType.isInteger(8) && isa<IntegerType>(acc) &&
         acc.getIntOrFloatBitWidth() >= 16;
}

/// isSADScore, and the length D of the rows (ShapedType::kDynamic if
/// unknown) is a multiple of `dimMultiple` (0: any D, dynamic included).
bool useSADScore(Value query, Type acc, int64_t dimMultiple) {
  auto ty = cast<ShapedType>(query.getType());
  if (!isSADScore(ty.getElementType(), acc))
    return false;
  int64_t d = ty.getShape().back();
  return dimMultiple <= 0 ||
         (!ShapedType::isDynamic(d) && d % dimMultiple == 0);
}

/// x xor 0x80 on i8 data: the two's complement value x + 128 as an unsigned
/// byte. Differences, hence |q - k|, are unchanged by the common offset.
Value offsetBytes(OpBuilder &b, Location loc, Value x) {
  auto ty = cast<RankedTensorType>(x.getType());
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  Value dest =
      tensor::EmptyOp::create(b, loc, sizes, ty.getElementType()).getResult();
  AffineMap id =
      AffineMap::getMultiDimIdentityMap(ty.getRank(), b.getContext());
  return linalg::GenericOp::create(
             b, loc, ty, ValueRange{x}, ValueRange{dest},
             ArrayRef<AffineMap>{id, id},
             SmallVector<utils::IteratorType>(ty.getRank(),
                                              utils::IteratorType::parallel),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               Value bias = arith::ConstantOp::create(
                   bb, l, bb.getIntegerAttr(bb.getI8Type(), 0x80));
               Value offset =
                   arith::XOrIOp::create(bb, l, args[0], bias).getResult();
               linalg::YieldOp::create(bb, l, offset);
             })
      .getResult(0);
}

/// The score as a byte sum of absolute differences (isSADScore types), from
/// Q and K already offset by 128 (offsetBytes), both [b..., rows, D]:
/// iteration space (b..., i, j, k) with the reduction over D innermost and
/// contiguous in both operands, body `z + |zext(q) - zext(k)|` in the
/// accumulator. This is the form of x86's psadbw (and of LLVM's SAD
/// combine); `--inhibitor-vectorize-sad` and `--inhibitor-x86-psadbw`
/// vectorize it with the instruction.
Value lowerScoreSAD(OpBuilder &b, Location loc, Value queryU, Value keyU,
                    Value dest, TypedAttr gamma, TypedAttr alpha, Value bias,
                    ArrayRef<bool> kvBroadcast) {
  MLIRContext *ctx = b.getContext();
  auto destTy = cast<RankedTensorType>(dest.getType());
  Type acc = destTy.getElementType();
  int64_t nb = destTy.getRank() - 2;
  // Iteration space (b..., i, j, k): 0 = i (N), 1 = j (M), 2 = k (D).
  SmallVector<AffineMap> maps = {batchedMap(ctx, nb, {0, 2}),
                                 batchedMap(ctx, nb, {1, 2}, kvBroadcast),
                                 batchedMap(ctx, nb, {0, 1})};
  Value sum =
      linalg::GenericOp::create(
          b, loc, destTy, ValueRange{queryU, keyU},
          ValueRange{fillZero(b, loc, dest)}, maps, iterators(nb + 3, nb + 2),
          [&](OpBuilder &bb, Location l, ValueRange args) {
            Value q = arith::ExtUIOp::create(bb, l, acc, args[0]);
            Value k = arith::ExtUIOp::create(bb, l, acc, args[1]);
            Value d = arith::SubIOp::create(bb, l, q, k);
            Value abs = math::AbsIOp::create(bb, l, d);
            Value sum = arith::AddIOp::create(bb, l, args[2], abs);
            linalg::YieldOp::create(bb, l, sum);
          })
          .getResult(0);
  return lowerScoreEpilogue(b, loc, sum, gamma, alpha, bias);
}

/// The mask as i8 (0 or 1). LLVM stores vectors of i1 bit-packed while a
/// memref of i1 holds one byte per element, so vector loads of i1 memory
/// read the wrong bits; the i8 copy (O(mask) work, left scalar by the
/// vectorizing pass) is what the vectorized inhibition reads.
Value widenMask(OpBuilder &b, Location loc, Value mask) {
  auto maskTy = cast<RankedTensorType>(mask.getType());
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, mask);
  Value dest =
      tensor::EmptyOp::create(b, loc, sizes, b.getI8Type()).getResult();
  AffineMap id =
      AffineMap::getMultiDimIdentityMap(maskTy.getRank(), b.getContext());
  return linalg::GenericOp::create(
             b, loc, dest.getType(), ValueRange{mask}, ValueRange{dest},
             ArrayRef<AffineMap>{id, id},
             SmallVector<utils::IteratorType>(maskTy.getRank(),
                                              utils::IteratorType::parallel),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               Value byte =
                   arith::ExtUIOp::create(bb, l, bb.getI8Type(), args[0]);
               linalg::YieldOp::create(bb, l, byte);
             })
      .getResult(0);
}

/// How the inhibition generic treats masking and its destination.
struct InhibitOptions {
  bool isSigned = false;
  /// i8 mask (0 = masked out) broadcastable to the score tile, or null.
  Value mask = {};
  bool causal = false;
  /// Global index of the tile's first query / key (causal in a tile).
  Value rowOffset = {}, colOffset = {};
  /// Add to `dest` instead of overwriting it.
  bool accumulate = false;
  /// Z >= 0 is known (computed by the score lowering).
  bool scoreNonNegative = false;
  /// Batch dims in which V (one head) is read by every query head.
  SmallVector<bool> kvBroadcast = {};
};

/// H[b..., i, e] = sum_j inhibition(V[j, e], Z[i, j]) over attended pairs.
Value lowerInhibit(OpBuilder &b, Location loc, Value value, Value score,
                   Value dest, const InhibitOptions &opts) {
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
    // Right-aligned NumPy broadcast of the mask onto (b..., i, j).
    inputs.push_back(mask);
    maps.push_back(AffineMap::get(
        nb + 3, 0,
        getBroadcastExprs(cast<ShapedType>(mask.getType()).getShape(),
                          batchedMap(ctx, nb, {0, 1}).getResults()),
        ctx));
  }
  maps.push_back(batchedMap(ctx, nb, {0, 2}));
  Value init = opts.accumulate ? dest : fillZero(b, loc, dest);
  return linalg::GenericOp::create(
             b, loc, destTy, inputs, ValueRange{init}, maps,
             iterators(nb + 3, nb + 1),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               AccumulatorArith a{bb, l, acc};
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
                     bb, l, arith::CmpIPredicate::ule, j, i);
                 c = arith::SelectOp::create(bb, l, keep, c, a.zero());
               }
               linalg::YieldOp::create(bb, l, a.add(args.back(), c));
             })
      .getResult(0);
}

/// The score of Q and K (both [b..., rows, D]) into `dest`, in the form the
/// options and types select.
Value lowerScoreFor(OpBuilder &b, Location loc, Value query, Value key,
                    Value dest, TypedAttr gamma, TypedAttr alpha, Value bias,
                    ArrayRef<bool> kvBroadcast, const ScoreLowering &how) {
  Type acc = cast<RankedTensorType>(dest.getType()).getElementType();
  if (how.sadScore && useSADScore(query, acc, how.sadDimMultiple)) {
    Value queryU = offsetBytes(b, loc, query);
    Value keyU = offsetBytes(b, loc, key);
    return lowerScoreSAD(b, loc, queryU, keyU, dest, gamma, alpha, bias,
                         kvBroadcast);
  }
  if (how.transposeKey)
    key = transposeKeyForScore(b, loc, key);
  return lowerScore(b, loc, query, key, dest, gamma, alpha, bias, kvBroadcast,
                    how.transposeKey);
}

/// Per batch dim, whether the key/value side is one head read by every
/// query head (a static size 1 against another query size). After
/// ExpandGroupedHeads these are the only grouped dims the lowerings see.
template <typename OpTy> SmallVector<bool> getKVBroadcast(OpTy op) {
  SmallVector<bool> broadcast;
  for (int64_t g : op.getHeadGroups())
    broadcast.push_back(g != 1);
  return broadcast;
}

/// True when some batch dim groups several key/value heads (Hkv > 1):
/// ExpandGroupedHeads rewrites those first.
template <typename OpTy>
bool hasMultiHeadGroups(OpTy op, ArrayRef<Value> kvSide) {
  SmallVector<ArrayRef<int64_t>> shapes;
  for (Value v : kvSide)
    shapes.push_back(cast<ShapedType>(v.getType()).getShape().drop_back(2));
  SmallVector<int64_t> kv = combineStaticShapes(shapes);
  for (auto [g, size] : llvm::zip_equal(op.getHeadGroups(), kv))
    if (g != 1 && size != 1)
      return true;
  return false;
}

//===----------------------------------------------------------------------===//
// Grouped heads: a batch dim with Hq query heads and Hkv > 1 key/value heads
// becomes two dims, (Hkv, g) on the query side and (Hkv, 1) on the key/value
// side (query head h = kv * g + r reads key/value head kv = h / g, exactly
// repeat_interleave). The op of one more batch dim only broadcasts size-1
// key/value dims, which every lowering reads as index 0.
//===----------------------------------------------------------------------===//

/// How one dim of an operand is expanded: kept, or split into two sizes.
using DimSplit = std::optional<std::pair<int64_t, int64_t>>;

/// Expands the dims of `v` as `splits` says (one entry per dim). A split dim
/// that is dynamic in `v` is cast to its static size first (the verifier
/// made it equal to a static size elsewhere).
Value expandDims(OpBuilder &b, Location loc, Value v,
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
SmallVector<DimSplit> batchSplits(ArrayRef<DimSplit> groupSplits, bool query) {
  SmallVector<DimSplit> splits;
  for (const DimSplit &g : groupSplits)
    splits.push_back(g ? DimSplit({g->first, query ? g->second : 1})
                       : DimSplit());
  splits.append(2, DimSplit());
  return splits;
}

/// The splits of a mask or bias operand (right-aligned on the score shape):
/// a size-1 dim stays broadcast (1, 1), another one splits as the query.
SmallVector<DimSplit> broadcastSplits(Value operand,
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
SmallVector<DimSplit> groupSplitsOf(OpTy op, ArrayRef<Value> kvSide) {
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
Value collapseResult(OpBuilder &b, Location loc, Value expanded,
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
    Value expanded =
        AttentionOp::create(rewriter, loc,
                            expandDims(rewriter, loc, op.getQuery(), q),
                            expandDims(rewriter, loc, op.getKey(), kv),
                            expandDims(rewriter, loc, op.getValue(), kv), mask,
                            bias, init, op.getGammaAttr(), op.getAlphaAttr(),
                            op.getIsSigned(), op.getCausal())
            .getResult();
    rewriter.replaceOp(op, collapseResult(rewriter, loc, expanded, q,
                                          op.getResult().getType()));
    return success();
  }
};

struct ManhattanScoreToLinalg : OpRewritePattern<ManhattanScoreOp> {
  ManhattanScoreToLinalg(MLIRContext *ctx, ScoreLowering how)
      : OpRewritePattern(ctx), how(how) {}
  LogicalResult matchAndRewrite(ManhattanScoreOp op,
                                PatternRewriter &rewriter) const override {
    if (hasMultiHeadGroups(op, {op.getKey()}))
      return rewriter.notifyMatchFailure(op, "grouped heads expand first");
    rewriter.replaceOp(op, lowerScoreFor(rewriter, op.getLoc(), op.getQuery(),
                                         op.getKey(), op.getInit(),
                                         op.getGammaOrDefault(),
                                         op.getAlphaOrDefault(), op.getBias(),
                                         getKVBroadcast(op), how));
    return success();
  }

private:
  ScoreLowering how;
};

struct InhibitToLinalg : OpRewritePattern<InhibitOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(InhibitOp op,
                                PatternRewriter &rewriter) const override {
    if (hasMultiHeadGroups(op, {op.getValue()}))
      return rewriter.notifyMatchFailure(op, "grouped heads expand first");
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
  AttentionToLinalg(MLIRContext *ctx, ScoreLowering how)
      : OpRewritePattern(ctx), how(how) {}
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (hasMultiHeadGroups(op, {op.getKey(), op.getValue()}))
      return rewriter.notifyMatchFailure(op, "grouped heads expand first");
    Location loc = op.getLoc();
    Value scoreDest =
        tensor::EmptyOp::create(rewriter, loc, op.getMixedScoreSizes(rewriter),
                                op.getAccumulatorType())
            .getResult();
    SmallVector<bool> kvBroadcast = getKVBroadcast(op);
    Value score =
        lowerScoreFor(rewriter, loc, op.getQuery(), op.getKey(), scoreDest,
                      op.getGammaOrDefault(), op.getAlphaOrDefault(),
                      op.getBias(), kvBroadcast, how);
    InhibitOptions opts;
    opts.isSigned = op.getIsSigned();
    opts.kvBroadcast = kvBroadcast;
    opts.causal = op.getCausal();
    opts.scoreNonNegative = true;
    if (op.getMask())
      opts.mask = widenMask(rewriter, loc, op.getMask());
    rewriter.replaceOp(op, lowerInhibit(rewriter, loc, op.getValue(), score,
                                        op.getInit(), opts));
    return success();
  }

private:
  ScoreLowering how;
};

/// The fused, tiled composite: for each batch index and tile of `queryTile`
/// queries (one scf.forall), a loop over tiles of `keyTile` keys computes
/// the score tile [queryTile, keyTile] and adds its inhibition into the query
/// tile's H accumulator. Z never exists beyond one tile (extra memory O(tile),
/// not O(N M)); causal attention stops the key loop at the tile's last query.
struct FusedAttentionToLinalg : OpRewritePattern<AttentionOp> {
  FusedAttentionToLinalg(MLIRContext *ctx, int64_t queryTile, int64_t keyTile,
                         bool sadScore, int64_t sadDimMultiple)
      : OpRewritePattern(ctx, /*benefit=*/2), queryTile(queryTile),
        keyTile(keyTile), sadScore(sadScore), sadDimMultiple(sadDimMultiple) {}

  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (hasMultiHeadGroups(op, {op.getKey(), op.getValue()}))
      return rewriter.notifyMatchFailure(op, "grouped heads expand first");
    Location loc = op.getLoc();
    RankedTensorType resultTy = op.getResult().getType();
    int64_t r = resultTy.getRank(), nb = r - 2;
    SmallVector<bool> kvBroadcast = getKVBroadcast(op);
    Type acc = op.getAccumulatorType();
    // The score reads K^T [b..., D, M] (keys in vector lanes) or, as a byte
    // sum of absolute differences, Q and K offset by 128 (D innermost).
    bool sad = sadScore && useSADScore(op.getQuery(), acc, sadDimMultiple);
    Value query =
        sad ? offsetBytes(rewriter, loc, op.getQuery()) : op.getQuery();
    Value keyT = sad ? offsetBytes(rewriter, loc, op.getKey())
                     : transposeKeyForScore(rewriter, loc, op.getKey());
    Value mask =
        op.getMask() ? widenMask(rewriter, loc, op.getMask()) : Value();
    SmallVector<OpFoldResult> scoreSizes = op.getMixedScoreSizes(rewriter);
    OpFoldResult dSize =
        tensor::getMixedSize(rewriter, loc, op.getQuery(), r - 1);
    OpFoldResult eSize =
        tensor::getMixedSize(rewriter, loc, op.getValue(), r - 1);
    OpFoldResult one = rewriter.getIndexAttr(1);
    Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0);

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

    SmallVector<Value> batchIvs;
    // One query tile: H[b..., i0 : i0 + tn, :] of the shared result, zeroed,
    // then accumulated over the key tiles (in place after bufferization).
    auto queryTileBody = [&](OpBuilder &b, Location l, Value result, Value i0,
                             SmallVector<OpFoldResult> &hOffsets,
                             SmallVector<OpFoldResult> &hSizes) -> Value {
      OpFoldResult tn = tileSize(b, l, scoreSizes[nb], i0, queryTile, false);
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
      if (op.getCausal())
        keyEnd = arith::MinSIOp::create(
            b, l, keyEnd,
            arith::AddIOp::create(b, l, i0,
                                  getValueOrCreateConstantIndexOp(b, l, tn)));
      auto keyLoop = scf::ForOp::create(
          b, l, c0, keyEnd, step(b, l, scoreSizes[nb + 1], keyTile),
          ValueRange{hTile},
          [&](OpBuilder &kb, Location kl, Value j0, ValueRange iters) {
            OpFoldResult tm = tileSize(kb, kl,
                                       op.getCausal() ? OpFoldResult(keyEnd)
                                                      : scoreSizes[nb + 1],
                                       j0, keyTile, op.getCausal());
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
              return tensor::ExtractSliceOp::create(kb, kl, src, offsets,
                                                    allSizes, strides)
                  .getResult();
            };
            OpFoldResult zeroAttr = kb.getIndexAttr(0);
            Value qs = slice(query, {i0, zeroAttr}, {tn, dSize}, false);
            Value kts = sad ? slice(keyT, {j0, zeroAttr}, {tm, dSize}, true)
                            : slice(keyT, {zeroAttr, j0}, {dSize, tm}, true);
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
            Value zDest =
                tensor::EmptyOp::create(kb, kl, zSizes, acc).getResult();
            // The slices hold one head per batch dim: K/V broadcast no
            // longer (their offsets chose the head).
            Value z =
                sad ? lowerScoreSAD(kb, kl, qs, kts, zDest,
                                    op.getGammaOrDefault(),
                                    op.getAlphaOrDefault(), bias, {})
                    : lowerScore(kb, kl, qs, kts, zDest, op.getGammaOrDefault(),
                                 op.getAlphaOrDefault(), bias, {});
            InhibitOptions opts;
            opts.isSigned = op.getIsSigned();
            opts.causal = op.getCausal();
            opts.rowOffset = i0;
            opts.colOffset = j0;
            opts.accumulate = true;
            opts.scoreNonNegative = true;
            if (mask)
              opts.mask = scoreTile(mask);
            Value h = lowerInhibit(kb, kl, vs, z, iters[0], opts);
            scf::YieldOp::create(kb, kl, h);
          });
      return keyLoop.getResult(0);
    };

    // One scf.forall over the batch dims and the query tiles (independent:
    // each writes its own slice of H), so that a pipeline can run it on
    // several threads (scf-forall-to-parallel + convert-scf-to-openmp).
    SmallVector<OpFoldResult> lbs(r - 1, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> ubs(scoreSizes.begin(),
                                  scoreSizes.begin() + nb + 1);
    SmallVector<OpFoldResult> steps(nb, one);
    steps.push_back(step(rewriter, loc, scoreSizes[nb], queryTile));
    auto forall = scf::ForallOp::create(rewriter, loc, lbs, ubs, steps,
                                        ValueRange{op.getInit()},
                                        /*mapping=*/std::nullopt);
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(forall.getBody());
      ValueRange ivs = forall.getInductionVars();
      batchIvs.assign(ivs.begin(), ivs.begin() + nb);
      SmallVector<OpFoldResult> hOffsets, hSizes;
      Value hTile = queryTileBody(rewriter, loc, forall.getRegionIterArgs()[0],
                                  ivs[nb], hOffsets, hSizes);
      rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
      tensor::ParallelInsertSliceOp::create(
          rewriter, loc, hTile, forall.getRegionIterArgs()[0], hOffsets, hSizes,
          SmallVector<OpFoldResult>(r, one));
    }
    rewriter.replaceOp(op, forall.getResults());
    return success();
  }

private:
  int64_t queryTile, keyTile;
  bool sadScore;
  int64_t sadDimMultiple;
};

struct ConvertInhibitorToLinalgPass
    : inhibitor::impl::ConvertInhibitorToLinalgBase<
          ConvertInhibitorToLinalgPass> {
  using Base::Base;
  void runOnOperation() override {
    ConversionTarget target(getContext());
    target.addIllegalDialect<InhibitorDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (fuseAttention && (queryTile <= 0 || keyTile <= 0)) {
      getOperation()->emitError()
          << "convert-inhibitor-to-linalg: query-tile and key-tile must be "
             "positive";
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    if (sadDimMultiple < 0) {
      getOperation()->emitError()
          << "convert-inhibitor-to-linalg: sad-dim-multiple must be >= 0";
      return signalPassFailure();
    }
    populateInhibitorToLinalgPatterns(patterns, transposeKey, sadScore,
                                      sadDimMultiple);
    if (fuseAttention)
      populateFusedAttentionToLinalgPatterns(patterns, queryTile, keyTile,
                                             sadScore, sadDimMultiple);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::inhibitor::populateInhibitorToLinalgPatterns(
    RewritePatternSet &patterns, bool transposeKey, bool sadScore,
    int64_t sadDimMultiple) {
  patterns.add<InhibitToLinalg, ExpandGroupedScore, ExpandGroupedInhibit,
               ExpandGroupedAttention>(patterns.getContext());
  patterns.add<ManhattanScoreToLinalg, AttentionToLinalg>(
      patterns.getContext(),
      ScoreLowering{transposeKey, sadScore, sadDimMultiple});
}

void mlir::inhibitor::populateFusedAttentionToLinalgPatterns(
    RewritePatternSet &patterns, int64_t queryTile, int64_t keyTile,
    bool sadScore, int64_t sadDimMultiple) {
  patterns.add<ExpandGroupedAttention>(patterns.getContext());
  patterns.add<FusedAttentionToLinalg>(patterns.getContext(), queryTile,
                                       keyTile, sadScore, sadDimMultiple);
}
