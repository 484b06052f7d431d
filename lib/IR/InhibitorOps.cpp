//===- InhibitorOps.cpp - Inhibitor op verifiers and builders -------------===//

#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::inhibitor;

//===----------------------------------------------------------------------===//
// Verification helpers shared by the three ops
//===----------------------------------------------------------------------===//

namespace {
/// One named dimension size taken part in an equality constraint.
struct NamedDim {
  StringRef operand;
  int64_t size;
};
} // namespace

/// Every static size in `dims` must be the same; dynamic sizes are
/// compatible with anything (as upstream's `verifyCompatibleShape`).
static LogicalResult verifySameDim(Operation *op, const Twine &what,
                                   ArrayRef<NamedDim> dims) {
  const NamedDim *first = nullptr;
  for (const NamedDim &d : dims) {
    if (ShapedType::isDynamic(d.size))
      continue;
    if (!first) {
      first = &d;
      continue;
    }
    if (d.size != first->size)
      return op->emitOpError()
             << what << " mismatch: " << first->operand << " has "
             << first->size << " but " << d.operand << " has " << d.size;
  }
  return success();
}

/// Each operand must have the rank of the result, and that rank is >= 2.
static LogicalResult verifyRanks(Operation *op,
                                 ArrayRef<std::pair<StringRef, Value>> operands,
                                 RankedTensorType resultTy) {
  int64_t rank = resultTy.getRank();
  if (rank < 2)
    return op->emitOpError()
           << "expected the result to have rank >= 2 ([batch..., rows, "
              "cols]), got "
           << rank;
  for (auto [name, value] : operands) {
    int64_t r = cast<RankedTensorType>(value.getType()).getRank();
    if (r != rank)
      return op->emitOpError() << "expected " << name << " to have rank "
                               << rank << " like the result, got " << r;
  }
  return success();
}

/// The static size of dim `i` of the first operand of `side` that knows it.
static std::optional<NamedDim>
firstStaticDim(ArrayRef<std::pair<StringRef, Value>> side, int64_t i) {
  for (auto [name, value] : side) {
    int64_t size = cast<ShapedType>(value.getType()).getDimSize(i);
    if (!ShapedType::isDynamic(size))
      return NamedDim{name, size};
  }
  return std::nullopt;
}

/// Leading batch dims: the query side (Q, the score, the result) agree with
/// each other, the key/value side (K, V) agree with each other, and each
/// key/value dim is the query's, a static 1 (broadcast) or a static divisor
/// of it (grouped heads).
static LogicalResult
verifyBatchDims(Operation *op, ArrayRef<std::pair<StringRef, Value>> querySide,
                ArrayRef<std::pair<StringRef, Value>> kvSide) {
  int64_t nb =
      cast<ShapedType>(querySide.front().second.getType()).getRank() - 2;
  for (int64_t i = 0; i < nb; ++i) {
    for (ArrayRef<std::pair<StringRef, Value>> side : {querySide, kvSide}) {
      SmallVector<NamedDim> dims;
      for (auto [name, value] : side)
        dims.push_back({name, cast<ShapedType>(value.getType()).getDimSize(i)});
      if (failed(verifySameDim(op, "batch dim #" + Twine(i), dims)))
        return failure();
    }
    std::optional<NamedDim> q = firstStaticDim(querySide, i);
    std::optional<NamedDim> kv = firstStaticDim(kvSide, i);
    if (!q || !kv)
      continue;
    if (failed(getHeadGroups({q->size}, {kv->size})))
      return op->emitOpError()
             << "batch dim #" << i << " mismatch: " << q->operand << " has "
             << q->size << " but " << kv->operand << " has " << kv->size
             << " (grouped heads need a " << kv->operand
             << " size that divides the " << q->operand << " size)";
  }
  return success();
}

/// `bias` (optional) has the accumulator type and broadcasts to the score
/// shape; so does the `mask` (i1, checked by ODS).
static LogicalResult verifyBroadcastOperand(Operation *op, StringRef name,
                                            Value operand,
                                            ArrayRef<int64_t> scoreShape) {
  if (!operand)
    return success();
  auto ty = cast<RankedTensorType>(operand.getType());
  std::optional<int64_t> bad = findBroadcastMismatch(ty.getShape(), scoreShape);
  if (!bad)
    return success();
  int64_t r = scoreShape.size();
  if (*bad < 0)
    return op->emitOpError() << name << " of rank " << ty.getRank()
                             << " cannot broadcast to the scores of rank " << r;
  return op->emitOpError() << name << " dim #" << *bad << " ("
                           << ty.getDimSize(*bad)
                           << ") is not broadcastable to score dim #"
                           << r - ty.getRank() + *bad << " ("
                           << scoreShape[r - ty.getRank() + *bad] << ")";
}

static LogicalResult verifyBias(Operation *op, Value bias, Type acc,
                                ArrayRef<int64_t> scoreShape) {
  if (!bias)
    return success();
  Type elementTy = cast<RankedTensorType>(bias.getType()).getElementType();
  if (elementTy != acc)
    return op->emitOpError() << "bias element type " << elementTy
                             << " must be the accumulator type " << acc;
  return verifyBroadcastOperand(op, "bias", bias, scoreShape);
}

/// The batch sizes of the given operands, combined (static where known).
static SmallVector<int64_t> batchShape(ArrayRef<Value> values) {
  SmallVector<ArrayRef<int64_t>> shapes;
  for (Value v : values)
    shapes.push_back(cast<ShapedType>(v.getType()).getShape().drop_back(2));
  return combineStaticShapes(shapes);
}

static SmallVector<int64_t> headGroupsOf(ArrayRef<Value> querySide,
                                         ArrayRef<Value> kvSide) {
  SmallVector<int64_t> q = batchShape(querySide), kv = batchShape(kvSide);
  FailureOr<SmallVector<int64_t>> groups = getHeadGroups(q, kv);
  // Verified ops always group; a broken one reads as ungrouped.
  if (failed(groups))
    return SmallVector<int64_t>(q.size(), 1);
  return *groups;
}

/// The score shape [b..., N, M]: b... and N from the query side, M from
/// `mSizes`.
static SmallVector<int64_t> scoreShapeOf(ArrayRef<Value> querySide,
                                         ArrayRef<int64_t> mSizes) {
  SmallVector<ArrayRef<int64_t>> shapes;
  for (Value v : querySide)
    shapes.push_back(cast<ShapedType>(v.getType()).getShape().drop_back());
  SmallVector<int64_t> shape = combineStaticShapes(shapes);
  int64_t m = ShapedType::kDynamic;
  for (int64_t s : mSizes)
    if (!ShapedType::isDynamic(s))
      m = s;
  shape.push_back(m);
  return shape;
}

static bool isWidening(Type from, Type to) {
  if (from == to)
    return true;
  if (auto fi = dyn_cast<IntegerType>(from))
    return isa<IntegerType>(to) &&
           fi.getWidth() <= cast<IntegerType>(to).getWidth();
  // Floats: a strictly wider type; bf16 and f16 do not widen into each other.
  return isa<FloatType>(from) && isa<FloatType>(to) &&
         from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth();
}

/// The accumulator `acc` must be of the kind of `input` and at least as wide.
static LogicalResult verifyAccumulates(Operation *op, StringRef name,
                                       Type input, Type acc) {
  if (isa<IntegerType>(input) != isa<IntegerType>(acc))
    return op->emitOpError()
           << "accumulator type " << acc << " and " << name << " element type "
           << input << " must both be integers or both be floats";
  if (!isWidening(input, acc))
    return op->emitOpError()
           << "accumulator type " << acc << " is not at least as wide as "
           << name << " element type " << input;
  return success();
}

/// gamma (> 0) and alpha (>= 0) must be constants of the accumulator type.
static LogicalResult verifyScoreConstants(Operation *op, Attribute gamma,
                                          Attribute alpha, Type acc) {
  for (auto [name, attr, isGamma] :
       {std::make_tuple(StringRef("gamma"), gamma, true),
        std::make_tuple(StringRef("alpha"), alpha, false)}) {
    if (!attr)
      continue;
    auto typed = dyn_cast<TypedAttr>(attr);
    if (!typed || typed.getType() != acc || !isa<IntegerAttr, FloatAttr>(attr))
      return op->emitOpError()
             << "'" << name << "' must be a constant of the accumulator type "
             << acc << ", got " << attr;
    if (auto intAttr = dyn_cast<IntegerAttr>(attr)) {
      const APInt &v = intAttr.getValue();
      if (isGamma && !v.isStrictlyPositive())
        return op->emitOpError() << "integer 'gamma' must be a positive "
                                    "integer, got "
                                 << v.getSExtValue();
      if (!isGamma && v.isNegative())
        return op->emitOpError()
               << "'alpha' must be non-negative, got " << v.getSExtValue();
      continue;
    }
    APFloat v = cast<FloatAttr>(attr).getValue();
    // -0.0 is a valid alpha (it compares equal to 0); gamma must be > 0.
    if (!v.isFinite() || (v.isNegative() && !v.isZero()) ||
        (isGamma && v.isZero()))
      return op->emitOpError()
             << "'" << name << "' must be "
             << (isGamma ? "positive" : "non-negative") << " and finite, got "
             << cast<FloatAttr>(attr).getValueAsDouble();
  }
  return success();
}

/// The [b..., N, M] score checks shared by manhattan_score and attention.
static LogicalResult verifyScoreOperands(Operation *op, Value query, Value key,
                                         RankedTensorType resultTy,
                                         bool resultIsScore) {
  auto qTy = cast<RankedTensorType>(query.getType());
  auto kTy = cast<RankedTensorType>(key.getType());
  if (qTy.getElementType() != kTy.getElementType())
    return op->emitOpError()
           << "query and key must have the same element "
              "type, got "
           << qTy.getElementType() << " and " << kTy.getElementType();
  int64_t r = resultTy.getRank();
  if (failed(verifySameDim(
          op, "feature dim (D)",
          {{"query", qTy.getDimSize(r - 1)}, {"key", kTy.getDimSize(r - 1)}})))
    return failure();
  if (failed(verifySameDim(op, "query rows (N)",
                           {{"query", qTy.getDimSize(r - 2)},
                            {"result", resultTy.getDimSize(r - 2)}})))
    return failure();
  if (resultIsScore &&
      failed(verifySameDim(op, "key rows (M)",
                           {{"key", kTy.getDimSize(r - 2)},
                            {"result", resultTy.getDimSize(r - 1)}})))
    return failure();
  return verifyAccumulates(op, "query", qTy.getElementType(),
                           resultTy.getElementType());
}

/// The [b..., M, E] value checks shared by inhibit and attention; `mDims`
/// are the other sizes of M (from the score or the key).
static LogicalResult verifyValueOperand(Operation *op, Value value,
                                        RankedTensorType resultTy,
                                        NamedDim otherM) {
  auto vTy = cast<RankedTensorType>(value.getType());
  int64_t r = resultTy.getRank();
  if (failed(verifySameDim(op, "key rows (M)",
                           {otherM, {"value", vTy.getDimSize(r - 2)}})))
    return failure();
  if (failed(verifySameDim(op, "value cols (E)",
                           {{"value", vTy.getDimSize(r - 1)},
                            {"result", resultTy.getDimSize(r - 1)}})))
    return failure();
  return verifyAccumulates(op, "value", vTy.getElementType(),
                           resultTy.getElementType());
}

static TypedAttr constantOrDefault(Attribute attr, Type acc, int64_t dflt) {
  if (attr)
    return cast<TypedAttr>(attr);
  if (isa<IntegerType>(acc))
    return IntegerAttr::get(acc, dflt);
  return FloatAttr::get(acc, static_cast<double>(dflt));
}

//===----------------------------------------------------------------------===//
// Shared shape rules (InhibitorOps.h)
//===----------------------------------------------------------------------===//

std::optional<int64_t>
mlir::inhibitor::findBroadcastMismatch(ArrayRef<int64_t> shape,
                                       ArrayRef<int64_t> target) {
  if (shape.size() > target.size())
    return -1;
  int64_t offset = target.size() - shape.size();
  for (auto [i, size] : llvm::enumerate(shape)) {
    int64_t t = target[offset + i];
    if (size == 1 || ShapedType::isDynamic(size) || ShapedType::isDynamic(t) ||
        size == t)
      continue;
    return static_cast<int64_t>(i);
  }
  return std::nullopt;
}

bool mlir::inhibitor::isBroadcastableTo(ArrayRef<int64_t> shape,
                                        ArrayRef<int64_t> target) {
  return !findBroadcastMismatch(shape, target);
}

SmallVector<AffineExpr>
mlir::inhibitor::getBroadcastExprs(ArrayRef<int64_t> shape,
                                   ArrayRef<AffineExpr> targetExprs) {
  assert(shape.size() <= targetExprs.size() && "operand of higher rank");
  int64_t offset = targetExprs.size() - shape.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, size] : llvm::enumerate(shape))
    exprs.push_back(size == 1
                        ? getAffineConstantExpr(0, targetExprs[0].getContext())
                        : targetExprs[offset + i]);
  return exprs;
}

FailureOr<SmallVector<int64_t>>
mlir::inhibitor::getHeadGroups(ArrayRef<int64_t> queryBatch,
                               ArrayRef<int64_t> kvBatch) {
  assert(queryBatch.size() == kvBatch.size() && "batch ranks differ");
  SmallVector<int64_t> groups;
  for (auto [q, kv] : llvm::zip_equal(queryBatch, kvBatch)) {
    if (kv == 1) {
      groups.push_back(q);
      continue;
    }
    if (ShapedType::isDynamic(q) || ShapedType::isDynamic(kv) || q == kv) {
      groups.push_back(1);
      continue;
    }
    if (kv <= 0 || q < kv || q % kv != 0)
      return failure();
    groups.push_back(q / kv);
  }
  return groups;
}

SmallVector<int64_t>
mlir::inhibitor::combineStaticShapes(ArrayRef<ArrayRef<int64_t>> shapes) {
  SmallVector<int64_t> result(shapes.front().size(), ShapedType::kDynamic);
  for (ArrayRef<int64_t> shape : shapes)
    for (auto [r, s] : llvm::zip_equal(result, shape))
      if (ShapedType::isDynamic(r))
        r = s;
  return result;
}

//===----------------------------------------------------------------------===//
// ManhattanScoreOp
//===----------------------------------------------------------------------===//

void ManhattanScoreOp::build(OpBuilder &builder, OperationState &state,
                             Value query, Value key, Value bias, Value init,
                             TypedAttr gamma, TypedAttr alpha) {
  build(builder, state, init.getType(), query, key, bias, init, gamma, alpha);
}

LogicalResult ManhattanScoreOp::verify() {
  RankedTensorType resultTy = getResult().getType();
  if (failed(verifyRanks(*this, {{"query", getQuery()}, {"key", getKey()}},
                         resultTy)) ||
      failed(verifyBatchDims(*this,
                             {{"query", getQuery()}, {"result", getResult()}},
                             {{"key", getKey()}})) ||
      failed(verifyScoreOperands(*this, getQuery(), getKey(), resultTy,
                                 /*resultIsScore=*/true)) ||
      failed(verifyScoreConstants(*this, getGammaAttr(), getAlphaAttr(),
                                  getAccumulatorType())))
    return failure();
  return verifyBias(*this, getBias(), getAccumulatorType(),
                    getStaticScoreShape());
}

SmallVector<int64_t> ManhattanScoreOp::getHeadGroups() {
  return headGroupsOf({getQuery(), getResult()}, {getKey()});
}

SmallVector<int64_t> ManhattanScoreOp::getStaticScoreShape() {
  RankedTensorType resultTy = getResult().getType();
  return scoreShapeOf({getQuery(), getResult()},
                      {getKey().getType().getDimSize(resultTy.getRank() - 2),
                       resultTy.getDimSize(resultTy.getRank() - 1)});
}

TypedAttr ManhattanScoreOp::getGammaOrDefault() {
  return constantOrDefault(getGammaAttr(), getAccumulatorType(), 1);
}
TypedAttr ManhattanScoreOp::getAlphaOrDefault() {
  return constantOrDefault(getAlphaAttr(), getAccumulatorType(), 0);
}

//===----------------------------------------------------------------------===//
// InhibitOp
//===----------------------------------------------------------------------===//

LogicalResult InhibitOp::verify() {
  RankedTensorType resultTy = getResult().getType();
  auto zTy = cast<RankedTensorType>(getScore().getType());
  if (failed(verifyRanks(*this, {{"value", getValue()}, {"score", getScore()}},
                         resultTy)) ||
      failed(verifyBatchDims(*this,
                             {{"score", getScore()}, {"result", getResult()}},
                             {{"value", getValue()}})))
    return failure();
  int64_t r = resultTy.getRank();
  if (failed(verifySameDim(*this, "query rows (N)",
                           {{"score", zTy.getDimSize(r - 2)},
                            {"result", resultTy.getDimSize(r - 2)}})) ||
      failed(verifyValueOperand(*this, getValue(), resultTy,
                                {"score", zTy.getDimSize(r - 1)})))
    return failure();
  return verifyAccumulates(*this, "score", zTy.getElementType(),
                           getAccumulatorType());
}

SmallVector<int64_t> InhibitOp::getHeadGroups() {
  return headGroupsOf({getScore(), getResult()}, {getValue()});
}

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

void AttentionOp::build(OpBuilder &builder, OperationState &state, Value query,
                        Value key, Value value, Value mask, Value init,
                        TypedAttr gamma, TypedAttr alpha, bool isSigned,
                        bool causal) {
  build(builder, state, query, key, value, mask, /*bias=*/Value(), init, gamma,
        alpha, isSigned, causal);
}

void AttentionOp::build(OpBuilder &builder, OperationState &state, Value query,
                        Value key, Value value, Value mask, Value bias,
                        Value init, TypedAttr gamma, TypedAttr alpha,
                        bool isSigned, bool causal) {
  build(builder, state, init.getType(), query, key, value, mask, bias,
        /*key_tiles=*/Value(), /*biased_keys=*/Value(),
        /*causal_offset=*/Value(), init, gamma, alpha,
        /*causal=*/causal ? builder.getUnitAttr() : UnitAttr(),
        /*is_signed=*/isSigned ? builder.getUnitAttr() : UnitAttr(),
        /*narrow_sums=*/IntegerAttr(), /*exact_differences=*/UnitAttr());
}

LogicalResult AttentionOp::verify() {
  RankedTensorType resultTy = getResult().getType();
  SmallVector<std::pair<StringRef, Value>> operands = {
      {"query", getQuery()}, {"key", getKey()}, {"value", getValue()}};
  if (failed(verifyRanks(*this, operands, resultTy)) ||
      failed(verifyBatchDims(*this,
                             {{"query", getQuery()}, {"result", getResult()}},
                             {{"key", getKey()}, {"value", getValue()}})) ||
      failed(verifyScoreOperands(*this, getQuery(), getKey(), resultTy,
                                 /*resultIsScore=*/false)))
    return failure();
  int64_t r = resultTy.getRank();
  auto kTy = cast<RankedTensorType>(getKey().getType());
  if (failed(verifyValueOperand(*this, getValue(), resultTy,
                                {"key", kTy.getDimSize(r - 2)})) ||
      failed(verifyScoreConstants(*this, getGammaAttr(), getAlphaAttr(),
                                  getAccumulatorType())))
    return failure();
  // The mask and the bias broadcast (NumPy rules) to the scores [b..., N, M].
  SmallVector<int64_t> scoreShape = getStaticScoreShape();
  if (failed(verifyBroadcastOperand(*this, "mask", getMask(), scoreShape)) ||
      failed(verifyBias(*this, getBias(), getAccumulatorType(), scoreShape)))
    return failure();
  if (failed(verifyKeyTiles()) || failed(verifyBiasedKeys()))
    return failure();
  if (getCausalOffset() && !getCausal())
    return emitOpError("causal_offset needs causal");
  if (failed(verifyNarrowSums()))
    return failure();
  return verifyExactDifferences();
}

std::optional<int64_t> AttentionOp::getConstantCausalOffset() {
  Value offset = getCausalOffset();
  if (!offset)
    return 0;
  return getConstantIntValue(offset);
}

/// narrow_sums: a positive key count, 8/16-bit integer data, an integer
/// accumulator wider than 16 bits, no bias.
LogicalResult AttentionOp::verifyNarrowSums() {
  std::optional<int64_t> t = getNarrowSums();
  if (!t)
    return success();
  if (*t <= 0)
    return emitOpError("narrow_sums must be a positive number of keys, got ")
           << *t;
  auto acc = dyn_cast<IntegerType>(getAccumulatorType());
  if (!acc || acc.getWidth() <= 16)
    return emitOpError("narrow_sums needs an integer accumulator wider than "
                       "16 bits, got ")
           << getAccumulatorType();
  for (auto [name, v] : {std::pair<StringRef, Value>{"query", getQuery()},
                         {"key", getKey()},
                         {"value", getValue()}}) {
    Type elem = cast<ShapedType>(v.getType()).getElementType();
    auto t = dyn_cast<IntegerType>(elem);
    if (!t || t.getWidth() > 16)
      return emitOpError("narrow_sums needs integer data of at most 16 bits, "
                         "the ")
             << name << " has " << elem;
  }
  if (getBias())
    return emitOpError("narrow_sums excludes a bias");
  return success();
}

/// exact_differences: integer Q and K.
LogicalResult AttentionOp::verifyExactDifferences() {
  if (!getExactDifferences())
    return success();
  for (auto [name, v] :
       {std::pair<StringRef, Value>{"query", getQuery()}, {"key", getKey()}}) {
    Type elem = cast<ShapedType>(v.getType()).getElementType();
    if (!isa<IntegerType>(elem))
      return emitOpError("exact_differences needs integer data, the ")
             << name << " has " << elem;
  }
  return success();
}

/// key_tiles: K packed as [b..., ceil(M / T), D, T], T static and positive.
LogicalResult AttentionOp::verifyKeyTiles() {
  Value tiles = getKeyTiles();
  if (!tiles)
    return success();
  auto kTy = cast<RankedTensorType>(getKey().getType());
  auto tTy = cast<RankedTensorType>(tiles.getType());
  int64_t r = kTy.getRank();
  if (tTy.getRank() != r + 1)
    return emitOpError("key_tiles must have rank ")
           << r + 1 << " ([b..., ceil(M / T), D, T]), got " << tTy.getRank();
  if (tTy.getElementType() != kTy.getElementType())
    return emitOpError("key_tiles must have the key's element type ")
           << kTy.getElementType() << ", got " << tTy.getElementType();
  int64_t t = tTy.getDimSize(r);
  if (ShapedType::isDynamic(t) || t <= 0)
    return emitOpError("key_tiles must have a static, positive tile size "
                       "(its last dim)");
  auto mismatch = [](int64_t a, int64_t b) {
    return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
  };
  for (int64_t d = 0; d < r - 2; ++d)
    if (mismatch(tTy.getDimSize(d), kTy.getDimSize(d)))
      return emitOpError("key_tiles batch dim ")
             << d << " (" << tTy.getDimSize(d) << ") differs from the key's ("
             << kTy.getDimSize(d) << ")";
  if (mismatch(tTy.getDimSize(r - 1), kTy.getDimSize(r - 1)))
    return emitOpError("key_tiles must hold the key's D = ")
           << kTy.getDimSize(r - 1) << " in dim " << r - 1 << ", got "
           << tTy.getDimSize(r - 1);
  int64_t m = kTy.getDimSize(r - 2);
  if (!ShapedType::isDynamic(m) &&
      mismatch(tTy.getDimSize(r - 2), llvm::divideCeil(m, t)))
    return emitOpError("key_tiles must hold ceil(M / T) = ")
           << llvm::divideCeil(m, t) << " tiles of " << t << " keys (M = " << m
           << "), got " << tTy.getDimSize(r - 2);
  return success();
}

/// biased_keys: i8 K biased by 128, in K's shape.
LogicalResult AttentionOp::verifyBiasedKeys() {
  Value biased = getBiasedKeys();
  if (!biased)
    return success();
  auto kTy = cast<RankedTensorType>(getKey().getType());
  auto bTy = cast<RankedTensorType>(biased.getType());
  if (!kTy.getElementType().isInteger(8))
    return emitOpError("biased_keys needs i8 keys, the key has ")
           << kTy.getElementType();
  if (!bTy.getElementType().isInteger(8))
    return emitOpError("biased_keys must have element type i8, got ")
           << bTy.getElementType();
  if (failed(verifyCompatibleShape(bTy.getShape(), kTy.getShape())))
    return emitOpError("biased_keys must have the key's shape ")
           << kTy << ", got " << bTy;
  return success();
}

Value mlir::inhibitor::offsetBytes(OpBuilder &b, Location loc, Value x) {
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

int64_t AttentionOp::getKeyTileSize() {
  Value tiles = getKeyTiles();
  if (!tiles)
    return 0;
  auto ty = cast<RankedTensorType>(tiles.getType());
  return ty.getDimSize(ty.getRank() - 1);
}

SmallVector<int64_t> AttentionOp::getHeadGroups() {
  return headGroupsOf({getQuery(), getResult()}, {getKey(), getValue()});
}

SmallVector<int64_t> AttentionOp::getStaticScoreShape() {
  int64_t r = getResult().getType().getRank();
  return scoreShapeOf({getQuery(), getResult()},
                      {getKey().getType().getDimSize(r - 2),
                       getValue().getType().getDimSize(r - 2)});
}

TypedAttr AttentionOp::getGammaOrDefault() {
  return constantOrDefault(getGammaAttr(), getAccumulatorType(), 1);
}
TypedAttr AttentionOp::getAlphaOrDefault() {
  return constantOrDefault(getAlphaAttr(), getAccumulatorType(), 0);
}

SmallVector<OpFoldResult> AttentionOp::getMixedScoreSizes(OpBuilder &b) {
  SmallVector<int64_t> shape = getStaticScoreShape();
  int64_t r = shape.size();
  SmallVector<OpFoldResult> sizes;
  for (int64_t i = 0; i < r; ++i) {
    if (!ShapedType::isDynamic(shape[i])) {
      sizes.push_back(b.getIndexAttr(shape[i]));
      continue;
    }
    // Batch dims and N from the query, M from the key.
    bool isM = i == r - 1;
    sizes.push_back(tensor::DimOp::create(b, getLoc(),
                                          isM ? getKey() : getQuery(),
                                          isM ? r - 2 : i)
                        .getResult());
  }
  return sizes;
}

/// Splits an unmasked attention into manhattan_score + inhibit (the bias
/// goes to the score; grouped K and V stay grouped in the parts). The score
/// is computed in the attention's accumulator type, so the result is the
/// same bit for bit.
FailureOr<SmallVector<Value>> AttentionOp::decomposeOperation(OpBuilder &b) {
  if (isMasked())
    return failure();
  Location loc = getLoc();
  RankedTensorType resultTy = getResult().getType();
  Value empty = tensor::EmptyOp::create(b, loc, getMixedScoreSizes(b),
                                        getAccumulatorType())
                    .getResult();
  Value score =
      ManhattanScoreOp::create(b, loc, getQuery(), getKey(), getBias(), empty,
                               getGammaAttr(), getAlphaAttr())
          .getResult();
  Value result = InhibitOp::create(b, loc, resultTy, getValue(), score,
                                   getInit(), getIsSignedAttr())
                     .getResult();
  return SmallVector<Value>{result};
}

//===----------------------------------------------------------------------===//
// Canonicalization: inhibit(V, manhattan_score(Q, K)) -> attention
//===----------------------------------------------------------------------===//

/// The parts verify separately, but sizes that meet only through a dynamic
/// score dim (e.g. key rows 32, value rows 16, score [16, ?]) or a key and a
/// value grouped differently would make an attention op that does not
/// verify.
static bool haveCompatibleAttentionShapes(ManhattanScoreOp score,
                                          InhibitOp inhibit) {
  auto shape = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getShape();
  };
  auto compatible = [](int64_t a, int64_t b) {
    return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
  };
  ArrayRef<int64_t> q = shape(score.getQuery()), k = shape(score.getKey()),
                    v = shape(inhibit.getValue()),
                    h = shape(inhibit.getResult());
  int64_t r = h.size();
  for (int64_t i = 0; i < r - 2; ++i)
    if (!compatible(q[i], h[i]) || !compatible(k[i], v[i]))
      return false;
  if (failed(getHeadGroups(batchShape({score.getQuery(), inhibit.getResult()}),
                           batchShape({score.getKey(), inhibit.getValue()}))))
    return false;
  if (!compatible(q[r - 2], h[r - 2]) || !compatible(k[r - 2], v[r - 2]))
    return false;
  // The bias broadcast to the composite's score shape.
  if (Value bias = score.getBias()) {
    SmallVector<int64_t> scoreShape = scoreShapeOf(
        {score.getQuery(), inhibit.getResult()}, {k[r - 2], v[r - 2]});
    if (!isBroadcastableTo(shape(bias), scoreShape))
      return false;
  }
  return true;
}

namespace {
/// Folds a score used only by one inhibition into the composite op. Only
/// when both compute in the same accumulator type: otherwise the composite
/// (which has one accumulator) would wrap or round differently.
struct ComposeAttention : OpRewritePattern<InhibitOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(InhibitOp inhibit,
                                PatternRewriter &rewriter) const override {
    auto score = inhibit.getScore().getDefiningOp<ManhattanScoreOp>();
    if (!score)
      return rewriter.notifyMatchFailure(inhibit,
                                         "score is not a Manhattan score");
    if (!score->hasOneUse())
      return rewriter.notifyMatchFailure(inhibit, "score has other uses");
    if (score.getAccumulatorType() != inhibit.getAccumulatorType())
      return rewriter.notifyMatchFailure(inhibit, "accumulator types differ");
    if (!haveCompatibleAttentionShapes(score, inhibit))
      return rewriter.notifyMatchFailure(
          inhibit, "sizes agree only through a dynamic score size");
    rewriter.replaceOpWithNewOp<AttentionOp>(
        inhibit, score.getQuery(), score.getKey(), inhibit.getValue(),
        /*mask=*/Value(), score.getBias(), inhibit.getInit(),
        score.getGammaAttr(), score.getAlphaAttr(), inhibit.getIsSigned(),
        /*causal=*/false);
    return success();
  }
};
} // namespace

void InhibitOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ComposeAttention>(context);
}

#define GET_OP_CLASSES
#include "inhibitor/IR/InhibitorOps.cpp.inc"
