//===- AttentionMatchLinalg.cpp - Attention in linalg on tensors ----------===//
//
// Matches `softmax(mask(Q K^T * s)) V` in linalg on tensors, in the named
// form (`linalg.softmax`, `linalg.transpose`, `linalg.mul`, ...) and in the
// decomposed form front ends emit: torch-mlir's lowering of
// `scaled_dot_product_attention` / `softmax(q @ k.transpose(-2, -1) /
// sqrt(d)) @ v` (generic transpose, zero-filled `batch_matmul`s, scale,
// max / subtract + exp / sum / divide generics, batch x heads collapsed to 3-D
// around the matmuls) and upstream's `linalg.softmax` decomposition.
//
//===----------------------------------------------------------------------===//

#include "AttentionMatch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace mlir::inhibitor::attention {

OpOperand *getInputOperand(linalg::GenericOp generic, Value v) {
  auto arg = dyn_cast<BlockArgument>(v);
  if (!arg || arg.getOwner() != generic.getBody() ||
      arg.getArgNumber() >= generic.getNumDpsInputs())
    return nullptr;
  return generic.getDpsInputOperand(arg.getArgNumber());
}

Value getYielded(linalg::GenericOp generic) {
  return cast<linalg::YieldOp>(generic.getBody()->getTerminator())
      .getValues()[0];
}

bool isElementwiseGeneric(linalg::GenericOp generic, unsigned maxOps) {
  return generic && generic.hasPureTensorSemantics() &&
         generic.getNumDpsInits() == 1 && generic.getNumResults() == 1 &&
         generic.getNumReductionLoops() == 0 &&
         generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
             .isIdentity() &&
         generic.getMatchingBlockArgument(generic.getDpsInitOperand(0))
             .use_empty() &&
         generic.getBody()->getOperations().size() <= maxOps;
}

//===----------------------------------------------------------------------===//
// Matmuls, transposes and batch reshapes
//===----------------------------------------------------------------------===//

/// True when the maps of a matmul-like op are `maps`.
static bool hasMaps(ArrayAttr attr, ArrayRef<AffineMap> maps) {
  if (attr.size() != maps.size())
    return false;
  for (auto [a, m] : llvm::zip(attr.getAsValueRange<AffineMapAttr>(), maps))
    if (a != m)
      return false;
  return true;
}

/// Maps of A B (`transposeB` = false) or A B^T (true) for rank 2 or with a
/// leading batch dim.
static SmallVector<AffineMap> matmulMaps(MLIRContext *ctx, bool batched,
                                         bool transposeB) {
  unsigned numDims = batched ? 4 : 3;
  SmallVector<AffineExpr> d;
  for (unsigned i = 0; i < numDims; ++i)
    d.push_back(getAffineDimExpr(i, ctx));
  // (b,) m, n, k
  SmallVector<AffineExpr> batch(
      ArrayRef<AffineExpr>(d).take_front(batched ? 1 : 0));
  AffineExpr m = d[numDims - 3], n = d[numDims - 2], k = d[numDims - 1];
  auto with = [&](std::initializer_list<AffineExpr> tail) {
    SmallVector<AffineExpr> exprs(batch);
    exprs.append(tail);
    return AffineMap::get(numDims, 0, exprs, ctx);
  };
  return {with({m, k}), transposeB ? with({n, k}) : with({k, n}), with({m, n})};
}

namespace {
/// A and B of a matmul or batch_matmul on tensors with a zero-filled init;

/// `transposedB` says whether its maps read B transposed.
struct MatmulOperands {
  Value lhs, rhs;
  bool transposedB = false;
};

} // namespace

static std::optional<MatmulOperands> matchZeroInitMatmul(Operation *op) {
  if (!op || !isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) ||
      op->getNumResults() != 1)
    return std::nullopt;
  auto linalgOp = cast<linalg::LinalgOp>(op);
  std::optional<double> init = getFilledFloat(linalgOp.getDpsInits()[0]);
  if (!linalgOp.hasPureTensorSemantics() || !init || *init != 0.0)
    return std::nullopt;
  bool batched = isa<linalg::BatchMatmulOp>(op);
  ArrayAttr maps = op->getAttrOfType<ArrayAttr>("indexing_maps");
  MatmulOperands result{linalgOp.getDpsInputs()[0], linalgOp.getDpsInputs()[1],
                        false};
  if (!maps || hasMaps(maps, matmulMaps(op->getContext(), batched, false)))
    return result;
  if (hasMaps(maps, matmulMaps(op->getContext(), batched, true))) {
    result.transposedB = true;
    return result;
  }
  return std::nullopt;
}

/// Reassociation [[0, ..., r-3], [r-2], [r-1]]: leading batch dims merged.
static bool isLeadingBatchReassociation(ArrayRef<ReassociationIndices> groups,
                                        int64_t rank) {
  if (groups.size() != 3 || rank < 3)
    return false;
  return static_cast<int64_t>(groups[0].size()) == rank - 2 &&
         groups[1] == ReassociationIndices{rank - 2} &&
         groups[2] == ReassociationIndices{rank - 1};
}

/// X of a `tensor.collapse_shape` merging the leading batch dims of X.
static Value getBatchCollapseSource(Value v) {
  auto collapse = v.getDefiningOp<tensor::CollapseShapeOp>();
  if (!collapse ||
      !isLeadingBatchReassociation(collapse.getReassociationIndices(),
                                   collapse.getSrcType().getRank()))
    return {};
  return collapse.getSrc();
}

/// The `tensor.expand_shape` splitting the leading batch dim of its source.
static tensor::ExpandShapeOp getBatchExpand(Operation *op) {
  auto expand = dyn_cast_or_null<tensor::ExpandShapeOp>(op);
  if (!expand || !isLeadingBatchReassociation(expand.getReassociationIndices(),
                                              expand.getResultType().getRank()))
    return {};
  return expand;
}

/// K of a K^T that swaps the last two dims: a `linalg.transpose` or a
/// copying `linalg.generic` with permuted maps.
static Value getTransposedSource(Value keyT) {
  if (auto transpose = keyT.getDefiningOp<linalg::TransposeOp>()) {
    if (!transpose.hasPureTensorSemantics())
      return {};
    ArrayRef<int64_t> perm = transpose.getPermutation();
    int64_t r = perm.size();
    if (r < 2 || perm[r - 2] != r - 1 || perm[r - 1] != r - 2)
      return {};
    for (int64_t i = 0; i < r - 2; ++i)
      if (perm[i] != i)
        return {};
    return transpose.getInput();
  }
  auto generic = keyT.getDefiningOp<linalg::GenericOp>();
  if (!generic || !generic.hasPureTensorSemantics() ||
      generic.getNumDpsInputs() != 1 || generic.getNumDpsInits() != 1 ||
      generic.getNumReductionLoops() != 0 ||
      generic.getBody()->getOperations().size() != 1)
    return {};
  OpOperand *in = getInputOperand(generic, getYielded(generic));
  if (!in)
    return {};
  // out[outMap(d)] = in[inMap(d)]: in = out with the last two dims swapped.
  AffineMap inMap = generic.getMatchingIndexingMap(in);
  AffineMap outMap =
      generic.getMatchingIndexingMap(generic.getDpsInitOperand(0));
  if (!inMap.isPermutation() || !outMap.isPermutation())
    return {};
  AffineMap rel = inMap.compose(inversePermutation(outMap));
  int64_t r = rel.getNumResults();
  SmallVector<unsigned> swap;
  for (int64_t i = 0; i < r; ++i)
    swap.push_back(i < r - 2 ? i : (i == r - 2 ? r - 1 : r - 2));
  if (r < 2 || rel != AffineMap::getPermutationMap(swap, generic.getContext()))
    return {};
  return in->get();
}

//===----------------------------------------------------------------------===//
// Scale
//===----------------------------------------------------------------------===//

/// An elementwise op `scores -> scores * s` (or `scores / c`, s = 1/c) with a
/// constant s: returns s and sets `input` to the scaled operand.
static std::optional<double> matchScale(Operation *op, Value &input) {
  if (!op || op->getNumResults() != 1)
    return std::nullopt;
  auto sameTypes = [&](linalg::LinalgOp linalgOp) {
    if (!linalgOp.hasPureTensorSemantics())
      return false;
    for (OpOperand &operand : linalgOp->getOpOperands())
      if (operand.get().getType() != op->getResult(0).getType())
        return false;
    return llvm::all_of(linalgOp.getIndexingMapsArray(),
                        [](AffineMap m) { return m.isIdentity(); });
  };
  // linalg.mul / linalg.div with a constant (splat or filled) operand.
  if (auto mul = dyn_cast<linalg::MulOp>(op)) {
    if (!sameTypes(mul))
      return std::nullopt;
    for (int i = 0; i < 2; ++i)
      if (std::optional<double> s = getFilledFloat(mul.getInputs()[i])) {
        input = mul.getInputs()[1 - i];
        return s;
      }
    return std::nullopt;
  }
  if (auto div = dyn_cast<linalg::DivOp>(op)) {
    if (!sameTypes(div))
      return std::nullopt;
    std::optional<double> c = getFilledFloat(div.getInputs()[1]);
    if (!c || *c == 0.0)
      return std::nullopt;
    input = div.getInputs()[0];
    return 1.0 / *c;
  }
  // An elementwise linalg.generic whose body multiplies (or divides) its
  // tensor input by a constant: a captured scalar (torch-mlir narrows an f64
  // scalar inside the body) or a splat tensor input.
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!isElementwiseGeneric(generic, 3) || !sameTypes(generic) ||
      generic.getNumDpsInputs() < 1 || generic.getNumDpsInputs() > 2)
    return std::nullopt;
  Operation *arith = getYielded(generic).getDefiningOp();
  if (!arith || !isa<arith::MulFOp, arith::DivFOp>(arith))
    return std::nullopt;
  auto constantOf = [&](Value v) -> std::optional<double> {
    if (OpOperand *in = getInputOperand(generic, v))
      return getSplatFloat(in->get());
    if (isa<BlockArgument>(v))
      return std::nullopt;
    return getSplatFloat(v);
  };
  auto inputOf = [&](Value v) -> Value {
    OpOperand *in = getInputOperand(generic, v);
    return in && !getSplatFloat(in->get()) ? in->get() : Value();
  };
  Value lhs = arith->getOperand(0), rhs = arith->getOperand(1);
  if (isa<arith::MulFOp>(arith)) {
    for (auto [x, c] : {std::make_pair(lhs, rhs), std::make_pair(rhs, lhs)}) {
      Value in = inputOf(x);
      std::optional<double> s = constantOf(c);
      if (in && s) {
        input = in;
        return s;
      }
    }
    return std::nullopt;
  }
  Value in = inputOf(lhs);
  std::optional<double> c = constantOf(rhs);
  if (!in || !c || *c == 0.0)
    return std::nullopt;
  input = in;
  return 1.0 / *c;
}

//===----------------------------------------------------------------------===//
// matchLinalgAttention
//===----------------------------------------------------------------------===//

FailureOr<AttentionMatch> matchLinalgAttention(Operation *root) {
  AttentionMatch match;
  match.chain.push_back(root);
  // torch-mlir runs 4-D matmuls as batch_matmuls on batch x heads collapsed
  // to 3-D and expands the result back: the inhibitor op then takes the 4-D
  // operands and replaces the expanded result, and the reshapes disappear.
  Operation *pvOp = root;
  bool collapsed = false;
  if (tensor::ExpandShapeOp expand = getBatchExpand(root)) {
    pvOp = expand.getSrc().getDefiningOp();
    if (!pvOp || !isa<linalg::BatchMatmulOp>(pvOp))
      return failure();
    match.chain.push_back(pvOp);
    collapsed = true;
  }
  std::optional<MatmulOperands> pv = matchZeroInitMatmul(pvOp);
  if (!pv || pv->transposedB)
    return failure();
  Value weights = pv->lhs;
  match.value = pv->rhs;
  if (collapsed) {
    weights = getBatchCollapseSource(pv->lhs);
    match.value = getBatchCollapseSource(pv->rhs);
    if (!weights || !match.value)
      return failure();
    match.chain.push_back(pv->lhs.getDefiningOp());
  }

  Value scores = matchLinalgSoftmax(weights, match.chain);
  if (!scores)
    return failure();

  scores = peelScaleAndMask(scores, match, matchScale, matchLinalgMask);
  if (!scores)
    return failure();

  Operation *scoresOp = scores.getDefiningOp();
  if (collapsed) {
    tensor::ExpandShapeOp expand = getBatchExpand(scoresOp);
    if (!expand)
      return failure();
    match.chain.push_back(expand);
    scoresOp = expand.getSrc().getDefiningOp();
  }
  std::optional<MatmulOperands> qk = matchZeroInitMatmul(scoresOp);
  if (!qk || isa<linalg::MatmulOp>(pvOp) != isa<linalg::MatmulOp>(scoresOp))
    return failure();
  match.chain.push_back(scoresOp);
  match.query = qk->lhs;
  if (qk->transposedB) {
    match.key = qk->rhs;
    if (collapsed)
      match.key = getBatchCollapseSource(match.key);
  } else if (!collapsed) {
    match.key = getTransposedSource(qk->rhs);
  } else if (Value keyT = getBatchCollapseSource(qk->rhs)) {
    // collapse(transpose(K)) or transpose(collapse(K)).
    match.key = getTransposedSource(keyT);
  } else if (Value key = getTransposedSource(qk->rhs)) {
    match.key = getBatchCollapseSource(key);
  }
  if (collapsed)
    match.query = getBatchCollapseSource(match.query);
  if (!match.query || !match.key || failed(finishMatch(match)))
    return failure();
  return match;
}

} // namespace mlir::inhibitor::attention
