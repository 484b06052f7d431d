//===- InferIntRangeInterfaceImpl.cpp - Integer ranges of the ops ---------===//
//
// InferIntRangeInterface for manhattan_score, inhibit and attention, so that
// upstream's IntegerRangeAnalysis (and --int-range-optimizations) see
// through them. A tensor's range is the range of its elements (as upstream
// treats shaped values). The bounds themselves are the formulas of
// inhibitor/Analysis/IntegerBounds.h; this file reads the op's dims,
// constants and masking from the IR.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/IR/InhibitorIntegerBounds.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::inhibitor;
using bounds::DimBound;
using bounds::Interval;

/// The exact values of a signless integer range, read as signed.
static Interval toInterval(const ConstantIntRanges &r) {
  return Interval(r.smin(), r.smax());
}

static const ConstantIntRanges &rangeOf(ArrayRef<ConstantIntRanges> ranges,
                                        OpOperand &operand) {
  return ranges[operand.getOperandNumber()];
}

/// A dim's size: static in any of `dims` (the verifier makes static sizes
/// agree), else `maxDim`, else none.
static DimBound dimBound(ArrayRef<std::pair<Value, int64_t>> dims,
                         const IntegerBoundsOptions &options) {
  for (auto [value, dim] : dims) {
    int64_t size = cast<RankedTensorType>(value.getType()).getDimSize(dim);
    if (!ShapedType::isDynamic(size))
      return size;
  }
  return options.maxDim;
}

static APInt intConstant(TypedAttr attr) {
  return cast<IntegerAttr>(attr).getValue();
}

/// Attended keys per row for a constant mask (right-aligned broadcast onto
/// [b..., N, M], static N and M), with causal applied (pairs j <= i +
/// causalOffset): the fewest and the most over all rows. None when the mask
/// is not a constant or too large to count here.
static std::optional<bounds::KeyCount> countConstantMask(Value mask, int64_t n,
                                                         int64_t m, bool causal,
                                                         int64_t causalOffset) {
  DenseIntElementsAttr attr;
  if (!matchPattern(mask, m_Constant(&attr)))
    return std::nullopt;
  auto ty = cast<RankedTensorType>(mask.getType());
  if (!ty.hasStaticShape() || ty.getRank() == 0)
    return std::nullopt;
  int64_t rank = ty.getRank();
  int64_t cols = ty.getDimSize(rank - 1);
  int64_t rows = rank >= 2 ? ty.getDimSize(rank - 2) : 1;
  int64_t planes = ty.getNumElements() / std::max<int64_t>(rows * cols, 1);
  // Every row pattern is checked against every query index when it
  // broadcasts over N: keep the work small.
  if (planes * n * m > (int64_t(1) << 24))
    return std::nullopt;
  SmallVector<bool> values(attr.getValues<bool>().begin(),
                           attr.getValues<bool>().end());
  bounds::KeyCount count{std::numeric_limits<int64_t>::max(), 0};
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t i = 0; i < n; ++i) {
      int64_t row = rows == 1 ? 0 : i;
      int64_t attended = 0;
      for (int64_t j = 0; j < m; ++j) {
        bool attend = values[(p * rows + row) * cols + (cols == 1 ? 0 : j)];
        attended += attend && (!causal || j <= i + causalOffset);
      }
      count.atLeast = std::min(count.atLeast, attended);
      count.atMost = std::max(*count.atMost, attended);
    }
  if (n == 0 || planes == 0)
    count = {0, 0};
  return count;
}

/// Keys per row of an attention op, from its dims, causal flag and mask.
static bounds::KeyCount attentionKeys(AttentionOp op,
                                      const ConstantIntRanges *maskRange,
                                      DimBound n, DimBound m) {
  bool maskUnknown = false;
  bool causal = op.getCausal();
  // The causal diagonal: j <= i + d. A diagonal other than d = 0 (a tile of
  // a causal op, or one aligned bottom-right) is counted only with a
  // constant mask; otherwise it is taken as a mask of unknown values (from
  // 0 to all M keys per row), a bound that holds for every d.
  std::optional<int64_t> causalOffset = op.getConstantCausalOffset();
  if (Value mask = op.getMask()) {
    std::optional<APInt> c =
        maskRange ? maskRange->getConstantValue() : std::nullopt;
    if (c && c->isZero())
      return {0, 0}; // nothing attended
    if (!c) {
      if (n && m && !ShapedType::isDynamic(*n) && !ShapedType::isDynamic(*m) &&
          causalOffset)
        if (auto counted =
                countConstantMask(mask, *n, *m, causal, *causalOffset))
          return *counted;
      maskUnknown = true;
    }
  }
  if (causal && causalOffset != 0) {
    causal = false;
    maskUnknown = true;
  }
  return bounds::attendedKeys(n, m, causal, maskUnknown);
}

/// The range of an optional operand (`operand` empty: none).
static std::optional<Interval> optionalRange(ArrayRef<ConstantIntRanges> ranges,
                                             MutableOperandRange operand) {
  if (operand.empty())
    return std::nullopt;
  return toInterval(ranges[operand[0].getOperandNumber()]);
}

static bounds::OpBounds scoreBounds(Value query, Value key, TypedAttr gamma,
                                    TypedAttr alpha, const Interval &q,
                                    const Interval &k,
                                    std::optional<Interval> bias,
                                    const IntegerBoundsOptions &options) {
  int64_t r = cast<RankedTensorType>(query.getType()).getRank();
  bounds::ScoreInputs in{q,
                         k,
                         bias,
                         dimBound({{query, r - 1}, {key, r - 1}}, options),
                         intConstant(gamma),
                         intConstant(alpha)};
  return bounds::boundScore(in);
}

FailureOr<bounds::OpBounds>
mlir::inhibitor::getIntegerBounds(Operation *op,
                                  ArrayRef<ConstantIntRanges> operandRanges,
                                  const IntegerBoundsOptions &options) {
  if (op->getNumResults() != 1)
    return failure();
  auto resultTy = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!resultTy || !isa<IntegerType>(resultTy.getElementType()))
    return failure();
  unsigned width = resultTy.getElementTypeBitWidth();
  int64_t r = resultTy.getRank();

  if (auto score = dyn_cast<ManhattanScoreOp>(op))
    return scoreBounds(
        score.getQuery(), score.getKey(), score.getGammaOrDefault(),
        score.getAlphaOrDefault(),
        toInterval(rangeOf(operandRanges, score.getQueryMutable())),
        toInterval(rangeOf(operandRanges, score.getKeyMutable())),
        optionalRange(operandRanges, score.getBiasMutable()), options);

  if (auto inhibit = dyn_cast<InhibitOp>(op)) {
    DimBound m = dimBound(
        {{inhibit.getValue(), r - 2}, {inhibit.getScore(), r - 1}}, options);
    bounds::InhibitInputs in{
        toInterval(rangeOf(operandRanges, inhibit.getValueMutable())),
        toInterval(rangeOf(operandRanges, inhibit.getScoreMutable())),
        bounds::attendedKeys(std::nullopt, m, /*causal=*/false,
                             /*maskUnknown=*/false),
        inhibit.getIsSigned()};
    return bounds::boundInhibit(in);
  }

  auto attention = dyn_cast<AttentionOp>(op);
  if (!attention)
    return failure();
  int64_t d = r - 1;
  bounds::ScoreInputs score{
      toInterval(rangeOf(operandRanges, attention.getQueryMutable())),
      toInterval(rangeOf(operandRanges, attention.getKeyMutable())),
      optionalRange(operandRanges, attention.getBiasMutable()),
      dimBound({{attention.getQuery(), d}, {attention.getKey(), d}}, options),
      intConstant(attention.getGammaOrDefault()),
      intConstant(attention.getAlphaOrDefault())};
  DimBound n = dimBound(
      {{attention.getQuery(), r - 2}, {attention.getResult(), r - 2}}, options);
  DimBound m = dimBound(
      {{attention.getKey(), r - 2}, {attention.getValue(), r - 2}}, options);
  const ConstantIntRanges *maskRange = nullptr;
  if (attention.getMask())
    maskRange =
        &operandRanges[attention.getMaskMutable()[0].getOperandNumber()];
  return bounds::boundAttention(
      score, toInterval(rangeOf(operandRanges, attention.getValueMutable())),
      attentionKeys(attention, maskRange, n, m), attention.getIsSigned(),
      width);
}

ConstantIntRanges mlir::inhibitor::computedResultRange(
    Operation *op, const bounds::OpBounds &bounds, unsigned width) {
  if (bounds.fitsSignedWidth(width))
    return ConstantIntRanges::fromSigned(bounds.result->loAs(width),
                                         bounds.result->hiAs(width));
  if (isa<ManhattanScoreOp>(op))
    return ConstantIntRanges::fromSigned(APInt::getZero(width),
                                         APInt::getSignedMaxValue(width));
  return ConstantIntRanges::maxRange(width);
}

/// The shared body of the three ops' inferResultRanges.
static void inferInhibitorResultRanges(Operation *op,
                                       ArrayRef<ConstantIntRanges> argRanges,
                                       SetIntRangeFn setResultRange) {
  Value result = op->getResult(0);
  unsigned width = ConstantIntRanges::getStorageBitwidth(result.getType());
  if (width == 0)
    return; // a float accumulator
  FailureOr<bounds::OpBounds> b = getIntegerBounds(op, argRanges);
  if (failed(b)) {
    setResultRange(result, ConstantIntRanges::maxRange(width));
    return;
  }
  setResultRange(result, computedResultRange(op, *b, width));
}

void ManhattanScoreOp::inferResultRanges(ArrayRef<ConstantIntRanges> argRanges,
                                         SetIntRangeFn setResultRange) {
  inferInhibitorResultRanges(*this, argRanges, setResultRange);
}

void InhibitOp::inferResultRanges(ArrayRef<ConstantIntRanges> argRanges,
                                  SetIntRangeFn setResultRange) {
  inferInhibitorResultRanges(*this, argRanges, setResultRange);
}

void AttentionOp::inferResultRanges(ArrayRef<ConstantIntRanges> argRanges,
                                    SetIntRangeFn setResultRange) {
  inferInhibitorResultRanges(*this, argRanges, setResultRange);
}
