//===- InhibitorOps.cpp - Inhibitor op verifiers and builders -------------===//

#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
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

/// Leading batch dims must agree across all operands and the result.
static LogicalResult
verifyBatchDims(Operation *op, ArrayRef<std::pair<StringRef, Value>> operands,
                RankedTensorType resultTy) {
  for (int64_t i = 0, e = resultTy.getRank() - 2; i < e; ++i) {
    SmallVector<NamedDim> dims;
    for (auto [name, value] : operands)
      dims.push_back(
          {name, cast<RankedTensorType>(value.getType()).getDimSize(i)});
    dims.push_back({"result", resultTy.getDimSize(i)});
    if (failed(verifySameDim(op, "batch dim #" + Twine(i), dims)))
      return failure();
  }
  return success();
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
// ManhattanScoreOp
//===----------------------------------------------------------------------===//

LogicalResult ManhattanScoreOp::verify() {
  RankedTensorType resultTy = getResult().getType();
  if (failed(verifyRanks(*this, {{"query", getQuery()}, {"key", getKey()}},
                         resultTy)) ||
      failed(verifyBatchDims(*this, {{"query", getQuery()}, {"key", getKey()}},
                             resultTy)) ||
      failed(verifyScoreOperands(*this, getQuery(), getKey(), resultTy,
                                 /*resultIsScore=*/true)))
    return failure();
  return verifyScoreConstants(*this, getGammaAttr(), getAlphaAttr(),
                              getAccumulatorType());
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
      failed(verifyBatchDims(
          *this, {{"value", getValue()}, {"score", getScore()}}, resultTy)))
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

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

void AttentionOp::build(OpBuilder &builder, OperationState &state, Value query,
                        Value key, Value value, Value mask, Value init,
                        TypedAttr gamma, TypedAttr alpha, bool isSigned,
                        bool causal) {
  build(builder, state, init.getType(), query, key, value, mask, init, gamma,
        alpha, /*causal=*/causal ? builder.getUnitAttr() : UnitAttr(),
        /*is_signed=*/isSigned ? builder.getUnitAttr() : UnitAttr());
}

LogicalResult AttentionOp::verify() {
  RankedTensorType resultTy = getResult().getType();
  SmallVector<std::pair<StringRef, Value>> operands = {
      {"query", getQuery()}, {"key", getKey()}, {"value", getValue()}};
  if (failed(verifyRanks(*this, operands, resultTy)) ||
      failed(verifyBatchDims(*this, operands, resultTy)) ||
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

  if (!getMask())
    return success();
  // The mask broadcasts (NumPy rules) to the score shape [b..., N, M].
  auto maskTy = cast<RankedTensorType>(getMask().getType());
  SmallVector<int64_t> scoreShape(resultTy.getShape().drop_back());
  scoreShape.push_back(kTy.getDimSize(r - 2));
  for (int64_t i = 0; i + 1 < r; ++i)
    if (ShapedType::isDynamic(scoreShape[i]))
      scoreShape[i] =
          cast<RankedTensorType>(getQuery().getType()).getDimSize(i);
  if (maskTy.getRank() > r)
    return emitOpError() << "mask of rank " << maskTy.getRank()
                         << " cannot broadcast to the scores of rank " << r;
  int64_t offset = r - maskTy.getRank();
  for (int64_t i = 0; i < maskTy.getRank(); ++i) {
    int64_t m = maskTy.getDimSize(i), s = scoreShape[offset + i];
    if (ShapedType::isDynamic(m) || m == 1 || ShapedType::isDynamic(s) ||
        m == s)
      continue;
    return emitOpError() << "mask dim #" << i << " (" << m
                         << ") is not broadcastable to score dim #"
                         << offset + i << " (" << s << ")";
  }
  return success();
}

TypedAttr AttentionOp::getGammaOrDefault() {
  return constantOrDefault(getGammaAttr(), getAccumulatorType(), 1);
}
TypedAttr AttentionOp::getAlphaOrDefault() {
  return constantOrDefault(getAlphaAttr(), getAccumulatorType(), 0);
}

SmallVector<OpFoldResult> AttentionOp::getMixedScoreSizes(OpBuilder &b) {
  RankedTensorType resultTy = getResult().getType();
  auto qTy = cast<RankedTensorType>(getQuery().getType());
  auto kTy = cast<RankedTensorType>(getKey().getType());
  auto vTy = cast<RankedTensorType>(getValue().getType());
  int64_t r = resultTy.getRank();
  SmallVector<OpFoldResult> sizes;
  for (int64_t i = 0; i < r; ++i) {
    // Batch dims and N come from the query (or the result), M from the key
    // (or the value).
    bool isM = i == r - 1;
    Value src = isM ? getKey() : getQuery();
    int64_t srcDim = isM ? r - 2 : i;
    SmallVector<int64_t> candidates =
        isM ? SmallVector<int64_t>{kTy.getDimSize(r - 2), vTy.getDimSize(r - 2)}
            : SmallVector<int64_t>{qTy.getDimSize(i), resultTy.getDimSize(i)};
    if (!isM && i < r - 2)
      candidates.append({kTy.getDimSize(i), vTy.getDimSize(i)});
    int64_t size = ShapedType::kDynamic;
    for (int64_t c : candidates)
      if (!ShapedType::isDynamic(c))
        size = c;
    if (ShapedType::isDynamic(size))
      sizes.push_back(
          tensor::DimOp::create(b, getLoc(), src, srcDim).getResult());
    else
      sizes.push_back(b.getIndexAttr(size));
  }
  return sizes;
}

/// Splits an unmasked attention into manhattan_score + inhibit. The score
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
      ManhattanScoreOp::create(b, loc, empty.getType(), getQuery(), getKey(),
                               empty, getGammaAttr(), getAlphaAttr())
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
/// score dim (e.g. key rows 32, value rows 16, score [16, ?]) would make an
/// attention op that does not verify.
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
    for (ArrayRef<int64_t> other : {k, v, h})
      if (!compatible(q[i], other[i]))
        return false;
  return compatible(q[r - 2], h[r - 2]) && compatible(k[r - 2], v[r - 2]);
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
        /*mask=*/Value(), inhibit.getInit(), score.getGammaAttr(),
        score.getAlphaAttr(), inhibit.getIsSigned(), /*causal=*/false);
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
