//===- AttentionMatchLinalgSoftmax.cpp - Softmax and masks in linalg ------===//
//
// The part of attention between the scores and the weights, in linalg on
// tensors: `linalg.softmax` or its decomposition (torch-mlir's max / sub / exp
// / sum / div generics, upstream's NaN-initialized `arith.maxnumf` form with
// subtract and exp fused), and masks: an i1 select, a constant or causal
// additive mask, and causal masks built from `linalg.index` comparisons.
//
//===----------------------------------------------------------------------===//

#include "AttentionMatch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;

namespace mlir::inhibitor::attention {
// Masks
//===----------------------------------------------------------------------===//

/// The loop dim `v` reads: `linalg.index` of `generic`, possibly cast.
static std::optional<int64_t> getIndexDim(linalg::GenericOp generic, Value v) {
  if (auto cast = v.getDefiningOp<arith::IndexCastOp>())
    v = cast.getIn();
  else if (auto cast = v.getDefiningOp<arith::IndexCastUIOp>())
    v = cast.getIn();
  auto index = v.getDefiningOp<linalg::IndexOp>();
  if (!index || index->getParentOp() != generic)
    return std::nullopt;
  return index.getDim();
}

/// For an i1 `cond` in the body of `generic` comparing the loop indices `i`
/// (`rowDim`) and `j` (`colDim`): true when it is `j <= i` (attend), false
/// when it is `j > i` (masked out), nothing otherwise.
static std::optional<bool> getCausalCondition(linalg::GenericOp generic,
                                              Value cond, int64_t rowDim,
                                              int64_t colDim) {
  auto cmp = cond.getDefiningOp<arith::CmpIOp>();
  if (!cmp)
    return std::nullopt;
  std::optional<int64_t> a = getIndexDim(generic, cmp.getLhs());
  std::optional<int64_t> b = getIndexDim(generic, cmp.getRhs());
  using P = arith::CmpIPredicate;
  P pred = cmp.getPredicate();
  if (a == colDim && b == rowDim) {
    // Swap the operands: j op i == i op' j.
    switch (pred) {
    case P::sle:
      pred = P::sge;
      break;
    case P::ule:
      pred = P::uge;
      break;
    case P::sgt:
      pred = P::slt;
      break;
    case P::ugt:
      pred = P::ult;
      break;
    default:
      return std::nullopt;
    }
  } else if (a != rowDim || b != colDim) {
    return std::nullopt;
  }
  if (pred == P::sge || pred == P::uge)
    return true;
  if (pred == P::slt || pred == P::ult)
    return false;
  return std::nullopt;
}

/// True when `map` (of a generic with `numLoops` loops) reads a tensor
/// right-aligned with the loops (NumPy broadcasting of leading dims).
static bool isRightAlignedMap(AffineMap map, unsigned numLoops) {
  unsigned n = map.getNumResults();
  if (n > numLoops || n < 2)
    return false;
  for (unsigned k = 0; k < n; ++k)
    if (map.getResult(k) !=
        getAffineDimExpr(numLoops - n + k, map.getContext()))
      return false;
  return true;
}

/// A tensor of rank >= 2 built by an all-parallel generic from its loop
/// indices: the yielded value of the body, or null.
static Value getIndexBuiltYield(Value tensor, linalg::GenericOp &generic) {
  generic = tensor.getDefiningOp<linalg::GenericOp>();
  if (!isElementwiseGeneric(generic, 8) || generic.getNumLoops() < 2)
    return {};
  return getYielded(generic);
}

/// An i1 tensor that is j <= i built from loop indices (torch's `tril`).
static bool isCausalMaskTensor(Value mask) {
  linalg::GenericOp generic;
  Value yielded = getIndexBuiltYield(mask, generic);
  int64_t n = generic ? generic.getNumLoops() : 0;
  return yielded && getCausalCondition(generic, yielded, n - 2, n - 1) == true;
}

/// `select(c, 0, -inf)` or `select(c, -inf, 0)` with `c` causal: an additive
/// causal mask value in the body of `generic`.
static bool isCausalAdditiveValue(linalg::GenericOp generic, Value v,
                                  int64_t rowDim, int64_t colDim) {
  auto select = v.getDefiningOp<arith::SelectOp>();
  if (!select)
    return false;
  std::optional<double> t = getSplatFloat(select.getTrueValue());
  std::optional<double> f = getSplatFloat(select.getFalseValue());
  std::optional<bool> attend =
      getCausalCondition(generic, select.getCondition(), rowDim, colDim);
  if (!t || !f || !attend)
    return false;
  if (*attend)
    return *t == 0.0 && isMaskingFloat(select.getFalseValue());
  return *f == 0.0 && isMaskingFloat(select.getTrueValue());
}

/// A float tensor that is 0 where j <= i and -inf elsewhere, built from loop
/// indices.
static bool isCausalAdditiveTensor(Value additive) {
  linalg::GenericOp generic;
  Value yielded = getIndexBuiltYield(additive, generic);
  int64_t n = generic ? generic.getNumLoops() : 0;
  return yielded && isCausalAdditiveValue(generic, yielded, n - 2, n - 1);
}

/// The mask part of an additive float mask tensor `f`, or an empty part.
static MaskPart getAdditiveMaskPart(Value f) {
  MaskPart part;
  if (isCausalAdditiveTensor(f))
    part.causal = true;
  else
    part.additive = getConstantAdditiveMask(f);
  return part;
}

/// The mask part of an i1 mask tensor `m` (true = attend).
static MaskPart getSelectMaskPart(Value m) {
  MaskPart part;
  if (isCausalMaskTensor(m))
    part.causal = true;
  else
    part.mask = m;
  return part;
}

/// Masking of the scores by one op: sets `input` to the scores.
/// - `arith.select %m, %scores, %neg` on tensors (`%neg` -inf or lowest);
/// - `linalg.add` of a constant 0/-inf mask or of a causal additive mask;
/// - an elementwise generic selecting -inf by an i1 input or by comparing
///   `linalg.index` i and j, or adding an additive mask input or value.
MaskPart matchLinalgMask(Operation *op, Value &input) {
  if (auto select = dyn_cast_or_null<arith::SelectOp>(op)) {
    if (!isa<RankedTensorType>(select.getCondition().getType()) ||
        !isMaskingFloat(select.getFalseValue()))
      return {};
    input = select.getTrueValue();
    return getSelectMaskPart(select.getCondition());
  }
  if (auto add = dyn_cast_or_null<linalg::AddOp>(op)) {
    if (!add.hasPureTensorSemantics())
      return {};
    for (int i = 0; i < 2; ++i) {
      Value f = add.getInputs()[i], scores = add.getInputs()[1 - i];
      if (f.getType() != add.getResultTypes()[0] ||
          scores.getType() != add.getResultTypes()[0])
        continue;
      if (MaskPart part = getAdditiveMaskPart(f)) {
        input = scores;
        return part;
      }
    }
    return {};
  }
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  if (!isElementwiseGeneric(generic, 8) || generic.getNumLoops() < 2)
    return {};
  int64_t r = generic.getNumLoops();
  Type scoresTy = generic.getResult(0).getType();
  // The scores: an input of the result type read through the identity map.
  auto scoresOf = [&](Value v) -> Value {
    OpOperand *in = getInputOperand(generic, v);
    if (!in || in->get().getType() != scoresTy ||
        !generic.getMatchingIndexingMap(in).isIdentity())
      return {};
    return in->get();
  };
  // A right-aligned (broadcast) input.
  auto maskInputOf = [&](Value v) -> Value {
    OpOperand *in = getInputOperand(generic, v);
    if (!in || !isRightAlignedMap(generic.getMatchingIndexingMap(in), r))
      return {};
    return in->get();
  };
  Operation *yieldedOp = getYielded(generic).getDefiningOp();
  if (auto select = dyn_cast_or_null<arith::SelectOp>(yieldedOp)) {
    Value cond = select.getCondition();
    for (bool attendOnTrue : {true, false}) {
      Value x = attendOnTrue ? select.getTrueValue() : select.getFalseValue();
      Value neg = attendOnTrue ? select.getFalseValue() : select.getTrueValue();
      Value scores = scoresOf(x);
      if (!scores || !isMaskingFloat(neg))
        continue;
      if (std::optional<bool> attend =
              getCausalCondition(generic, cond, r - 2, r - 1)) {
        if (*attend != attendOnTrue)
          return {};
        input = scores;
        MaskPart part;
        part.causal = true;
        return part;
      }
      Value mask = maskInputOf(cond);
      if (!attendOnTrue || !mask)
        return {};
      input = scores;
      return getSelectMaskPart(mask);
    }
    return {};
  }
  if (auto add = dyn_cast_or_null<arith::AddFOp>(yieldedOp)) {
    for (int i = 0; i < 2; ++i) {
      Value scores = scoresOf(add->getOperand(i));
      Value other = add->getOperand(1 - i);
      if (!scores)
        continue;
      if (isCausalAdditiveValue(generic, other, r - 2, r - 1)) {
        input = scores;
        MaskPart part;
        part.causal = true;
        return part;
      }
      if (Value f = maskInputOf(other))
        if (MaskPart part = getAdditiveMaskPart(f)) {
          input = scores;
          return part;
        }
    }
  }
  return {};
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

/// A map reading the per-row reduction of a rank-`r` loop nest: (d0, ...,
/// d_{r-2}) (upstream) or (d0, ..., d_{r-2}, 0) (torch-mlir's keepdim).
static bool isRowMap(AffineMap map, unsigned r) {
  unsigned n = map.getNumResults();
  if (map.getNumDims() != r || (n != r - 1 && n != r))
    return false;
  for (unsigned k = 0; k + 1 < r; ++k)
    if (map.getResult(k) != getAffineDimExpr(k, map.getContext()))
      return false;
  return n == r - 1 ||
         map.getResult(r - 1) == getAffineConstantExpr(0, map.getContext());
}

namespace {
enum class RowReduction { Max, Sum };

} // namespace

/// A generic reducing `input` over its last dim into a row tensor: a sum
/// from 0, or a max from -inf (`arith.maximumf`, torch-mlir) or NaN
/// (`arith.maxnumf`, upstream's softmax decomposition).
static bool isRowReduction(Value row, Value input, RowReduction kind,
                           SmallVectorImpl<Operation *> &chain) {
  auto generic = row.getDefiningOp<linalg::GenericOp>();
  if (!generic || !generic.hasPureTensorSemantics() ||
      generic.getNumDpsInputs() != 1 || generic.getNumDpsInits() != 1 ||
      generic.getDpsInputs()[0] != input ||
      generic.getBody()->getOperations().size() != 2)
    return false;
  unsigned r = generic.getNumLoops();
  SmallVector<utils::IteratorType> iterators = generic.getIteratorTypesArray();
  for (unsigned k = 0; k < r; ++k)
    if ((iterators[k] == utils::IteratorType::reduction) != (k + 1 == r))
      return false;
  if (!generic.getMatchingIndexingMap(generic.getDpsInputOperand(0))
           .isIdentity() ||
      !isRowMap(generic.getMatchingIndexingMap(generic.getDpsInitOperand(0)),
                r))
    return false;
  Operation *combine = getYielded(generic).getDefiningOp();
  if (!combine || combine->getNumOperands() != 2)
    return false;
  Block *body = generic.getBody();
  Value in = body->getArgument(0), acc = body->getArgument(1);
  if (!((combine->getOperand(0) == in && combine->getOperand(1) == acc) ||
        (combine->getOperand(0) == acc && combine->getOperand(1) == in)))
    return false;
  std::optional<double> init = getFilledFloat(generic.getDpsInits()[0]);
  if (!init)
    return false;
  bool ok = false;
  if (kind == RowReduction::Sum)
    ok = isa<arith::AddFOp>(combine) && *init == 0.0;
  else if (isa<arith::MaximumFOp>(combine))
    ok = std::isinf(*init) && *init < 0;
  else if (isa<arith::MaxNumFOp>(combine))
    ok = std::isnan(*init) || (std::isinf(*init) && *init < 0);
  if (ok)
    chain.push_back(generic);
  return ok;
}

namespace {
/// An elementwise generic whose yield is `op(x, row)` with `x` read through
/// the identity map and `row` through a row map; sets both.
template <typename OpTy>
bool matchRowBinary(Operation *op, unsigned maxOps, Value &x, Value &row) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  if (!isElementwiseGeneric(generic, maxOps) || generic.getNumDpsInputs() != 2)
    return false;
  Operation *binary = getYielded(generic).getDefiningOp();
  // With an exp around it when `maxOps` leaves room for one.
  if (auto exp = dyn_cast_or_null<math::ExpOp>(binary))
    binary = exp.getOperand().getDefiningOp();
  auto typed = dyn_cast_or_null<OpTy>(binary);
  if (!typed)
    return false;
  OpOperand *a = getInputOperand(generic, typed->getOperand(0));
  OpOperand *b = getInputOperand(generic, typed->getOperand(1));
  unsigned r = generic.getNumLoops();
  if (!a || !b || !generic.getMatchingIndexingMap(a).isIdentity() ||
      !isRowMap(generic.getMatchingIndexingMap(b), r))
    return false;
  x = a->get();
  row = b->get();
  return true;
}

} // namespace

/// The scores X of weights P = softmax(X) over the last dim: a
/// `linalg.softmax`, or its decomposition exp(X - max X) / sum(exp(X - max
/// X)) with the subtraction and the exponential in one generic or two.
Value matchLinalgSoftmax(Value weights, SmallVectorImpl<Operation *> &chain) {
  auto weightsTy = cast<RankedTensorType>(weights.getType());
  if (auto softmax = weights.getDefiningOp<linalg::SoftmaxOp>()) {
    if (softmax->getNumResults() != 1 ||
        softmax.getDimension() !=
            static_cast<uint64_t>(weightsTy.getRank() - 1))
      return {};
    chain.push_back(softmax);
    return softmax.getInput();
  }
  // P = E / sum(E)
  Operation *div = weights.getDefiningOp();
  Value exp, sum;
  if (!matchRowBinary<arith::DivFOp>(div, 2, exp, sum) ||
      cast<linalg::GenericOp>(div).getBody()->getOperations().size() != 2)
    return {};
  chain.push_back(div);
  if (!isRowReduction(sum, exp, RowReduction::Sum, chain))
    return {};
  // E = exp(X - max X), in one generic or as exp(Y) with Y = X - max X.
  Value x, max;
  auto expOp = exp.getDefiningOp<linalg::GenericOp>();
  if (!isElementwiseGeneric(expOp, 3) ||
      !isa_and_nonnull<math::ExpOp>(getYielded(expOp).getDefiningOp()))
    return {};
  chain.push_back(expOp);
  if (expOp.getNumDpsInputs() == 2) {
    if (!matchRowBinary<arith::SubFOp>(expOp, 3, x, max))
      return {};
  } else {
    OpOperand *y = getInputOperand(
        expOp, getYielded(expOp).getDefiningOp()->getOperand(0));
    if (expOp.getNumDpsInputs() != 1 || !y ||
        !expOp.getMatchingIndexingMap(y).isIdentity() ||
        expOp.getBody()->getOperations().size() != 2)
      return {};
    Operation *sub = y->get().getDefiningOp();
    if (!matchRowBinary<arith::SubFOp>(sub, 2, x, max))
      return {};
    chain.push_back(sub);
  }
  if (x.getType() != weightsTy ||
      !isRowReduction(max, x, RowReduction::Max, chain))
    return {};
  return x;
}

} // namespace mlir::inhibitor::attention
