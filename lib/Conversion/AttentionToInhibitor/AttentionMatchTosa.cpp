//===- AttentionMatchTosa.cpp - Attention in TOSA
//--------------------------===//
//
// Matches `softmax(mask(Q K^T * s)) V` in TOSA: `tosa.transpose` of K,
// `tosa.matmul` (with zero points), a `tosa.mul` by a constant (with its
// shift operand), the softmax as `reduce_max`, `sub`, `exp`, `reduce_sum`,
// `reciprocal`, `mul`, and `tosa.matmul` with V; batch x heads reshaped to the
// matmuls' 3-D and back with `tosa.reshape`.
//
//===----------------------------------------------------------------------===//

#include "AttentionMatch.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace mlir::inhibitor::attention {
/// True when `v` is a constant of zeros (zero points, shifts).
static bool isZeroConstant(Value v) {
  DenseElementsAttr dense;
  if (!matchPattern(v, m_Constant(&dense)))
    return false;
  if (auto fp = dyn_cast<DenseFPElementsAttr>(dense))
    return llvm::all_of(fp.getValues<APFloat>(),
                        [](const APFloat &f) { return f.isZero(); });
  if (auto ints = dyn_cast<DenseIntElementsAttr>(dense))
    return llvm::all_of(ints.getValues<APInt>(),
                        [](const APInt &i) { return i.isZero(); });
  return false;
}

/// A and B of `tosa.matmul` A B with zero zero-points.
static tosa::MatMulOp matchMatmul(Operation *op) {
  auto matmul = dyn_cast_or_null<tosa::MatMulOp>(op);
  if (!matmul || !isZeroConstant(matmul.getAZp()) ||
      !isZeroConstant(matmul.getBZp()))
    return {};
  return matmul;
}

/// X of a `tosa.reshape` merging the leading batch dims of X.
static Value getBatchCollapseSource(Value v) {
  auto reshape = v.getDefiningOp<tosa::ReshapeOp>();
  if (!reshape)
    return {};
  auto from = dyn_cast<RankedTensorType>(reshape.getInput1().getType());
  auto to = dyn_cast<RankedTensorType>(reshape.getType());
  if (!from || !to || !isLeadingBatchCollapse(from, to))
    return {};
  return reshape.getInput1();
}

/// The `tosa.reshape` splitting the leading batch dim of its source.
static tosa::ReshapeOp getBatchExpand(Operation *op) {
  auto reshape = dyn_cast_or_null<tosa::ReshapeOp>(op);
  if (!reshape)
    return {};
  auto from = dyn_cast<RankedTensorType>(reshape.getInput1().getType());
  auto to = dyn_cast<RankedTensorType>(reshape.getType());
  if (!from || !to || !isLeadingBatchCollapse(to, from))
    return {};
  return reshape;
}

/// K of a `tosa.transpose` swapping the last two dims of K.
static Value getTransposedSource(Value keyT) {
  auto transpose = keyT.getDefiningOp<tosa::TransposeOp>();
  if (!transpose)
    return {};
  ArrayRef<int32_t> perms = transpose.getPerms();
  int64_t r = perms.size();
  if (r < 2 || perms[r - 2] != r - 1 || perms[r - 1] != r - 2)
    return {};
  for (int64_t i = 0; i < r - 2; ++i)
    if (perms[i] != i)
      return {};
  return transpose.getInput1();
}

/// `tosa.mul` of `x` by a constant splat s (either order, zero shift):
/// returns s and sets `input` to x.
static std::optional<double> matchScale(Operation *op, Value &input) {
  auto mul = dyn_cast_or_null<tosa::MulOp>(op);
  if (!mul || !isZeroConstant(mul.getShift()))
    return std::nullopt;
  for (int i = 0; i < 2; ++i) {
    Value x = i ? mul.getInput2() : mul.getInput1();
    Value c = i ? mul.getInput1() : mul.getInput2();
    std::optional<double> s = getSplatFloat(c);
    if (s && x.getType() == mul.getType() && !getSplatFloat(x)) {
      input = x;
      return s;
    }
  }
  return std::nullopt;
}

/// Masking of the scores: `tosa.select %m, %scores, %neg` (an i1 mask,
/// constant or not) or `tosa.add %scores, %c` with a constant 0/-inf `%c`.
static MaskPart matchMask(Operation *op, Value &input) {
  MaskPart part;
  if (auto select = dyn_cast_or_null<tosa::SelectOp>(op)) {
    if (select.getOnTrue().getType() != select.getType() ||
        !isMaskingFloat(select.getOnFalse()))
      return {};
    input = select.getOnTrue();
    part.mask = select.getPred();
    return part;
  }
  if (auto add = dyn_cast_or_null<tosa::AddOp>(op)) {
    for (int i = 0; i < 2; ++i) {
      Value x = i ? add.getInput2() : add.getInput1();
      Value c = i ? add.getInput1() : add.getInput2();
      if (x.getType() != add.getType())
        continue;
      if ((part.additive = getConstantAdditiveMask(c))) {
        input = x;
        return part;
      }
    }
  }
  return {};
}

/// The scores X of weights P = exp(X - max X) * reciprocal(sum(exp(X -
/// max X))) with both reductions over the last dim.
static Value matchSoftmax(Value weights, SmallVectorImpl<Operation *> &chain) {
  auto mul = weights.getDefiningOp<tosa::MulOp>();
  if (!mul || !isZeroConstant(mul.getShift()))
    return {};
  int64_t lastDim = cast<RankedTensorType>(weights.getType()).getRank() - 1;
  for (int i = 0; i < 2; ++i) {
    Value exp = i ? mul.getInput2() : mul.getInput1();
    auto recip = (i ? mul.getInput1() : mul.getInput2())
                     .getDefiningOp<tosa::ReciprocalOp>();
    auto expOp = exp.getDefiningOp<tosa::ExpOp>();
    if (!recip || !expOp || exp.getType() != weights.getType())
      continue;
    auto sum = recip.getInput1().getDefiningOp<tosa::ReduceSumOp>();
    if (!sum || sum.getInput() != exp || sum.getAxis() != lastDim)
      return {};
    auto sub = expOp.getInput1().getDefiningOp<tosa::SubOp>();
    if (!sub)
      return {};
    Value x = sub.getInput1();
    auto max = sub.getInput2().getDefiningOp<tosa::ReduceMaxOp>();
    if (!max || max.getInput() != x || max.getAxis() != lastDim ||
        x.getType() != weights.getType())
      return {};
    chain.append({mul, recip, sum, expOp, sub, max});
    return x;
  }
  return {};
}

FailureOr<AttentionMatch> matchTosaAttention(Operation *root) {
  AttentionMatch match;
  match.chain.push_back(root);
  // tosa.matmul is 3-D: batch x heads are reshaped into its batch dim and
  // back. The inhibitor op then takes the 4-D operands and replaces the
  // reshaped result.
  Operation *pvOp = root;
  bool collapsed = false;
  if (tosa::ReshapeOp expand = getBatchExpand(root)) {
    pvOp = expand.getInput1().getDefiningOp();
    match.chain.push_back(pvOp);
    collapsed = true;
  }
  tosa::MatMulOp pv = matchMatmul(pvOp);
  if (!pv)
    return failure();
  Value weights = pv.getA();
  match.value = pv.getB();
  // The softmax may run on the 4-D scores (reshaped around both matmuls) or
  // on the 3-D ones.
  bool softmax4d = false;
  if (collapsed) {
    match.value = getBatchCollapseSource(match.value);
    if (Value w = getBatchCollapseSource(weights)) {
      match.chain.push_back(weights.getDefiningOp());
      weights = w;
      softmax4d = true;
    }
  }

  Value scores = matchSoftmax(weights, match.chain);
  if (!scores)
    return failure();

  scores = peelScaleAndMask(scores, match, matchScale, matchMask);
  if (!scores)
    return failure();

  Operation *scoresOp = scores.getDefiningOp();
  if (softmax4d) {
    tosa::ReshapeOp expand = getBatchExpand(scoresOp);
    if (!expand)
      return failure();
    match.chain.push_back(expand);
    scoresOp = expand.getInput1().getDefiningOp();
  }
  tosa::MatMulOp qk = matchMatmul(scoresOp);
  if (!qk)
    return failure();
  match.chain.push_back(qk);
  match.query = qk.getA();
  if (!collapsed) {
    match.key = getTransposedSource(qk.getB());
  } else if (Value keyT = getBatchCollapseSource(qk.getB())) {
    // reshape(transpose(K)) or transpose(reshape(K)).
    match.key = getTransposedSource(keyT);
  } else if (Value key = getTransposedSource(qk.getB())) {
    match.key = getBatchCollapseSource(key);
  }
  if (collapsed)
    match.query = getBatchCollapseSource(match.query);
  if (!match.query || !match.key || !match.value || failed(finishMatch(match)))
    return failure();
  return match;
}

} // namespace mlir::inhibitor::attention
