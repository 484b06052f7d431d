//===- AttentionMatch.cpp - Helpers shared by the attention matchers ------===//
//
// Constants, masks, reshapes and the final shape/type checks that every
// front-end matcher of the attention rewrite uses.
//
//===----------------------------------------------------------------------===//

#include "AttentionMatch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <cmath>

using namespace mlir;

namespace mlir::inhibitor::attention {

std::optional<double> getSplatFloat(Value v) {
  // Front ends build scalars in f64 and narrow them (torch-mlir does).
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<arith::TruncFOp, arith::ExtFOp>(def))
      break;
    v = def->getOperand(0);
  }
  APFloat scalar(0.0);
  if (matchPattern(v, m_ConstantFloat(&scalar)))
    return scalar.convertToDouble();
  DenseFPElementsAttr dense;
  if (matchPattern(v, m_Constant(&dense)) && dense.isSplat())
    return dense.getSplatValue<APFloat>().convertToDouble();
  return std::nullopt;
}

std::optional<double> getFilledFloat(Value v) {
  if (auto fill = v.getDefiningOp<linalg::FillOp>())
    return getSplatFloat(fill.getInputs()[0]);
  return getSplatFloat(v);
}

bool isMaskingFloat(const APFloat &f) {
  if (f.isInfinity())
    return f.isNegative();
  return f.isNegative() && f.isLargest();
}

bool isMaskingFloat(Value v) {
  APFloat scalar(0.0);
  DenseFPElementsAttr dense;
  if (matchPattern(v, m_Constant(&dense)) && dense.isSplat())
    return isMaskingFloat(dense.getSplatValue<APFloat>());
  return matchPattern(v, m_ConstantFloat(&scalar)) && isMaskingFloat(scalar);
}

DenseFPElementsAttr getConstantAdditiveMask(Value v) {
  DenseFPElementsAttr dense;
  if (!matchPattern(v, m_Constant(&dense)))
    return {};
  if (!llvm::all_of(dense.getValues<APFloat>(), [](const APFloat &f) {
        return f.isZero() || (f.isInfinity() && f.isNegative());
      }))
    return {};
  return dense;
}

bool isLeadingBatchCollapse(RankedTensorType from, RankedTensorType to) {
  int64_t r = from.getRank();
  if (r < 3 || to.getRank() != 3 ||
      from.getDimSize(r - 2) != to.getDimSize(1) ||
      from.getDimSize(r - 1) != to.getDimSize(2))
    return false;
  int64_t batch = 1;
  for (int64_t i = 0; i < r - 2; ++i) {
    if (from.isDynamicDim(i))
      return to.isDynamicDim(0);
    batch *= from.getDimSize(i);
  }
  return to.getDimSize(0) == batch;
}

bool isClosedChain(ArrayRef<Operation *> chain) {
  llvm::SmallPtrSet<Operation *, 16> inChain(chain.begin(), chain.end());
  for (Operation *op : chain.drop_front())
    for (Operation *user : op->getUsers())
      if (!inChain.contains(user))
        return false;
  return true;
}

Value peelScaleAndMask(
    Value scores, AttentionMatch &match,
    llvm::function_ref<std::optional<double>(Operation *, Value &)> matchScale,
    llvm::function_ref<MaskPart(Operation *, Value &)> matchMask) {
  bool sawScale = false, sawMask = false;
  while (Operation *def = scores.getDefiningOp()) {
    Value input;
    if (!sawScale) {
      if (std::optional<double> s = matchScale(def, input)) {
        sawScale = true;
        match.scale = *s;
        match.chain.push_back(def);
        scores = input;
        continue;
      }
    }
    if (!sawMask) {
      if (MaskPart part = matchMask(def, input)) {
        sawMask = true;
        if (failed(addMaskPart(match, part)))
          return Value();
        match.chain.push_back(def);
        scores = input;
        continue;
      }
    }
    break;
  }
  return scores;
}

LogicalResult addMaskPart(AttentionMatch &match, const MaskPart &part) {
  if (part.causal) {
    if (match.causal)
      return failure();
    match.causal = true;
  }
  if (part.mask || part.additive) {
    if (match.mask || match.maskConstant)
      return failure();
    match.mask = part.mask;
    if (part.additive) {
      // 0 attends, -inf masks out.
      SmallVector<bool> bits;
      for (const APFloat &f : part.additive.getValues<APFloat>())
        bits.push_back(f.isZero());
      auto maskTy = RankedTensorType::get(
          part.additive.getType().getShape(),
          IntegerType::get(part.additive.getContext(), 1));
      match.maskConstant = DenseElementsAttr::get(maskTy, ArrayRef<bool>(bits));
    }
  }
  return success();
}

/// True when `t` is a float element type the inhibitor ops accept.
static bool isInhibitorFloat(Type t) {
  return isa<Float16Type, BFloat16Type, Float32Type, Float64Type>(t);
}

/// `from` accumulates into `to` (the inhibitor verifier's widening rule).
static bool accumulatesInto(Type from, Type to) {
  return from == to ||
         (isInhibitorFloat(from) && isInhibitorFloat(to) &&
          !isa<BFloat16Type>(from) && !isa<BFloat16Type>(to) &&
          from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()) ||
         (isa<BFloat16Type>(from) && isa<Float32Type, Float64Type>(to));
}

/// Two static-or-dynamic sizes that may be equal.
static bool compatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

/// True when the constant i1 mask, broadcast to [..., n, m], is exactly
/// j <= i: the same [n, m] causal pattern in every batch.
static bool isCausalPattern(DenseElementsAttr mask, int64_t n, int64_t m) {
  auto ty = cast<RankedTensorType>(mask.getType());
  int64_t r = ty.getRank();
  if (r < 2 || ty.getDimSize(r - 2) != n || ty.getDimSize(r - 1) != m)
    return false;
  if (mask.isSplat())
    return mask.getSplatValue<bool>() ? m <= 1 : false;
  auto bits = mask.getValues<bool>();
  int64_t i = 0;
  for (bool bit : bits) {
    int64_t row = (i / m) % n, col = i % m;
    if (bit != (col <= row))
      return false;
    ++i;
  }
  return true;
}

LogicalResult finishMatch(AttentionMatch &match) {
  if (!(match.scale > 0.0) || !std::isfinite(match.scale) ||
      !isClosedChain(match.chain))
    return failure();
  Operation *root = match.getRoot();
  if (root->getNumResults() != 1)
    return failure();

  // Shapes: Q [b..., N, D], K [b..., M, D], V [b..., M, E]; types as the
  // inhibitor verifier wants them.
  auto qTy = dyn_cast<RankedTensorType>(match.query.getType());
  auto kTy = dyn_cast<RankedTensorType>(match.key.getType());
  auto vTy = dyn_cast<RankedTensorType>(match.value.getType());
  auto resultTy = dyn_cast<RankedTensorType>(root->getResult(0).getType());
  if (!qTy || !kTy || !vTy || !resultTy)
    return failure();
  int64_t r = resultTy.getRank();
  if (r < 2 || qTy.getRank() != r || kTy.getRank() != r || vTy.getRank() != r)
    return failure();
  for (int64_t i = 0; i < r - 2; ++i)
    if (!compatible(qTy.getDimSize(i), kTy.getDimSize(i)) ||
        !compatible(qTy.getDimSize(i), vTy.getDimSize(i)) ||
        !compatible(qTy.getDimSize(i), resultTy.getDimSize(i)))
      return failure();
  if (!compatible(qTy.getDimSize(r - 1), kTy.getDimSize(r - 1)) ||
      !compatible(kTy.getDimSize(r - 2), vTy.getDimSize(r - 2)) ||
      !compatible(qTy.getDimSize(r - 2), resultTy.getDimSize(r - 2)) ||
      !compatible(vTy.getDimSize(r - 1), resultTy.getDimSize(r - 1)))
    return failure();
  Type acc = resultTy.getElementType();
  if (!isInhibitorFloat(acc) || qTy.getElementType() != kTy.getElementType() ||
      !accumulatesInto(qTy.getElementType(), acc) ||
      !accumulatesInto(vTy.getElementType(), acc))
    return failure();

  // A mask that is a constant is folded: into `causal` when it is exactly
  // the causal pattern, else into an i1 constant the rewrite materializes.
  DenseElementsAttr constant;
  if (match.mask && matchPattern(match.mask, m_Constant(&constant)))
    match.maskConstant = constant;
  int64_t n = qTy.getDimSize(r - 2), m = kTy.getDimSize(r - 2);
  if (match.maskConstant && !ShapedType::isDynamic(n) &&
      !ShapedType::isDynamic(m) && isCausalPattern(match.maskConstant, n, m)) {
    match.causal = true;
    match.maskConstant = {};
    match.mask = {};
  }

  // The mask broadcasts (NumPy rules) to the scores [b..., N, M].
  Type maskType = match.maskConstant ? match.maskConstant.getType()
                  : match.mask       ? match.mask.getType()
                                     : Type();
  if (!maskType)
    return success();
  auto maskTy = dyn_cast<RankedTensorType>(maskType);
  if (!maskTy || !maskTy.getElementType().isInteger(1) || maskTy.getRank() > r)
    return failure();
  SmallVector<int64_t> scoreShape(qTy.getShape().drop_back());
  scoreShape.push_back(m);
  int64_t offset = r - maskTy.getRank();
  for (int64_t i = 0; i < maskTy.getRank(); ++i) {
    int64_t md = maskTy.getDimSize(i), sd = scoreShape[offset + i];
    if (md != 1 && !compatible(md, sd))
      return failure();
  }
  return success();
}

} // namespace mlir::inhibitor::attention
