//===- AttentionToInhibitor.cpp - Dot-product attention to inhibitor ------===//
//
// Replaces `softmax(mask(Q K^T * s) + B) V` by `inhibitor.attention`: an
// architecture change, not an equivalence. Each function is normalized on a
// copy (Normalize.cpp), every contraction of the copy is offered to the one
// matcher (AttentionMatch.cpp), and the copy replaces the function only when
// something was converted: functions without attention stay as they were.
//
//===----------------------------------------------------------------------===//

#include "AttentionMatch.h"

#include "inhibitor/Conversion/Passes.h"
#include "inhibitor/IR/InhibitorDialect.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "convert-attention-to-inhibitor"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_CONVERTATTENTIONTOINHIBITOR
#include "inhibitor/Conversion/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor::attention;

//===----------------------------------------------------------------------===//
// Operands in the op's layout
//===----------------------------------------------------------------------===//

/// `tensor` transposed by `perm` (result dim j is source dim perm[j]), or
/// `tensor` itself for the identity.
static Value transposeTo(OpBuilder &b, Location loc, Value tensor,
                         ArrayRef<int64_t> perm) {
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return tensor;
  auto ty = cast<RankedTensorType>(tensor.getType());
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, tensor);
  SmallVector<OpFoldResult> permuted;
  for (int64_t p : perm)
    permuted.push_back(sizes[p]);
  Value init = tensor::EmptyOp::create(b, loc, permuted, ty.getElementType());
  return linalg::TransposeOp::create(b, loc, tensor, init, perm)->getResult(0);
}

/// `tensor` read at `map` with every dim whose index is a linearization of
/// space dims (`d0 * 3 + d1`: a batch x heads collapse the normalization
/// could not propagate) expanded by a tensor.expand_shape into one dim per
/// space dim; `map` is updated to match.
static Value expandLinearizedDims(OpBuilder &b, Location loc, Value tensor,
                                  AffineMap &map, ArrayRef<int64_t> dimSizes) {
  auto ty = cast<RankedTensorType>(tensor.getType());
  SmallVector<ReassociationIndices> groups;
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> exprs;
  bool expanded = false;
  for (auto [i, e] : llvm::enumerate(map.getResults())) {
    ReassociationIndices group;
    // d_a * (s_b * s_c) + d_b * s_c + d_c: dims by decreasing stride.
    SmallVector<std::pair<int64_t, unsigned>> terms;
    AffineExpr rest = e;
    bool linear = !isa<AffineDimExpr, AffineConstantExpr>(e);
    while (linear && rest) {
      auto bin = dyn_cast<AffineBinaryOpExpr>(rest);
      AffineExpr term = rest;
      rest = nullptr;
      if (bin && bin.getKind() == AffineExprKind::Add) {
        term = bin.getRHS();
        rest = bin.getLHS();
      }
      int64_t coef = 1;
      if (auto mul = dyn_cast<AffineBinaryOpExpr>(term);
          mul && mul.getKind() == AffineExprKind::Mul) {
        auto c = dyn_cast<AffineConstantExpr>(mul.getRHS());
        coef = c ? c.getValue() : 0;
        term = mul.getLHS();
      }
      auto d = dyn_cast<AffineDimExpr>(term);
      if (!d || coef <= 0) {
        linear = false;
        break;
      }
      terms.push_back({coef, d.getPosition()});
    }
    if (linear) {
      llvm::sort(terms, [](auto x, auto y) { return x.first > y.first; });
      int64_t stride = 1;
      for (auto [coef, d] : llvm::reverse(terms)) {
        if (coef != stride || ShapedType::isDynamic(dimSizes[d])) {
          linear = false;
          break;
        }
        stride *= dimSizes[d];
      }
      linear &= stride == ty.getDimSize(i);
    }
    if (!linear) {
      groups.push_back({static_cast<int64_t>(shape.size())});
      shape.push_back(ty.getDimSize(i));
      exprs.push_back(e);
      continue;
    }
    expanded = true;
    for (auto [coef, d] : terms) {
      group.push_back(shape.size());
      shape.push_back(dimSizes[d]);
      exprs.push_back(getAffineDimExpr(d, map.getContext()));
    }
    groups.push_back(group);
  }
  if (!expanded)
    return tensor;
  map = AffineMap::get(map.getNumDims(), 0, exprs, map.getContext());
  auto expandedTy = RankedTensorType::get(shape, ty.getElementType());
  return tensor::ExpandShapeOp::create(b, loc, expandedTy, tensor, groups);
}

/// The tensor a leaf read stands for, in the layout `want` (one space expr
/// per dim: [b..., rows, cols]). With `grouped`, a batch dim of the tensor
/// may be read `b floordiv g` (grouped heads) or at 0 from size 1 (shared by
/// all heads).
static FailureOr<Value>
materializeOperand(OpBuilder &b, Location loc, const ElementExpr *leaf,
                   ArrayRef<AffineExpr> want, ArrayRef<int64_t> dimSizes,
                   bool grouped, StringRef what, std::string &reason) {
  AffineMap map = leaf->map;
  Value tensor = expandLinearizedDims(b, loc, leaf->value, map, dimSizes);
  auto ty = cast<RankedTensorType>(tensor.getType());
  int64_t rank = ty.getRank();
  unsigned numBatch = want.size() - 2;
  auto fail = [&](const Twine &why) -> FailureOr<Value> {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << what << " " << why << " (read at ";
    llvm::interleaveComma(leaf->map.getResults(), os);
    os << ")";
    reason = s;
    return failure();
  };
  // K/V without a dim for some batch dims (shared by all of them): unit dims
  // there, which the op broadcasts.
  if (grouped && rank < static_cast<int64_t>(want.size())) {
    SmallVector<int64_t> shape;
    SmallVector<AffineExpr> exprs;
    SmallVector<ReassociationIndices> groups;
    unsigned next = 0;
    for (auto [w, x] : llvm::enumerate(want)) {
      bool read = next < map.getNumResults() &&
                  map.getResult(next).isFunctionOfDim(
                      cast<AffineDimExpr>(x).getPosition());
      if (!read && w < numBatch) {
        shape.push_back(1);
        exprs.push_back(getAffineConstantExpr(0, b.getContext()));
        continue;
      }
      if (next >= map.getNumResults())
        break;
      shape.push_back(ty.getDimSize(next));
      exprs.push_back(map.getResult(next++));
    }
    if (next == map.getNumResults() && shape.size() == want.size()) {
      // Unit dims join the group of the next real dim (or the last one).
      ReassociationIndices pending;
      for (int64_t i = 0; i < static_cast<int64_t>(shape.size()); ++i) {
        pending.push_back(i);
        bool unit = shape[i] == 1 && isa<AffineConstantExpr>(exprs[i]);
        if (!unit || i + 1 == static_cast<int64_t>(shape.size())) {
          groups.push_back(pending);
          pending.clear();
        }
      }
      if (groups.size() == static_cast<size_t>(rank)) {
        tensor = tensor::ExpandShapeOp::create(
            b, loc, RankedTensorType::get(shape, ty.getElementType()), tensor,
            groups);
        ty = cast<RankedTensorType>(tensor.getType());
        rank = ty.getRank();
        map = AffineMap::get(map.getNumDims(), 0, exprs, b.getContext());
      }
    }
  }
  if (rank != static_cast<int64_t>(want.size()))
    return fail("does not have one dim per batch dim, row and column");
  SmallVector<int64_t> pos(rank, -1);
  for (int64_t i = 0; i < rank; ++i) {
    AffineExpr e = map.getResult(i);
    for (auto [w, x] : llvm::enumerate(want)) {
      if (e == x) {
        pos[i] = w;
      } else if (grouped && w < numBatch) {
        // Head h reads K/V head h floordiv g: grouped heads, when the
        // tensor has exactly Hq / g heads (repeat_interleave's convention).
        auto div = dyn_cast<AffineBinaryOpExpr>(e);
        auto g = div ? dyn_cast<AffineConstantExpr>(div.getRHS()) : nullptr;
        if (div && div.getKind() == AffineExprKind::FloorDiv &&
            div.getLHS() == x && g) {
          int64_t hq = dimSizes[cast<AffineDimExpr>(x).getPosition()];
          if (ShapedType::isDynamic(hq) || ty.isDynamicDim(i) ||
              ty.getDimSize(i) * g.getValue() != hq)
            return fail("repeats heads with sizes that are not static "
                        "multiples (grouped heads need Hq = g * Hkv)");
          pos[i] = w;
        }
      }
    }
  }
  // A size-1 dim read at a constant: the same-numbered dim of the layout
  // when that is free (a broadcast batch dim, or a unit one), else the
  // first free batch dim.
  for (int64_t i = 0; i < rank; ++i) {
    if (pos[i] >= 0)
      continue;
    if (ty.getDimSize(i) != 1 || !isa<AffineConstantExpr>(map.getResult(i)))
      return fail("is read through a map the op cannot express");
    auto isFree = [&](int64_t w) { return !llvm::is_contained(pos, w); };
    if (isFree(i))
      pos[i] = i;
    for (int64_t w = 0; pos[i] < 0 && w < static_cast<int64_t>(numBatch); ++w)
      if (isFree(w))
        pos[i] = w;
    if (pos[i] < 0)
      return fail("is read through a map the op cannot express");
  }
  SmallVector<int64_t> perm(rank, -1);
  for (int64_t i = 0; i < rank; ++i) {
    if (perm[pos[i]] >= 0)
      return fail("reads one dim twice");
    perm[pos[i]] = i;
  }
  return transposeTo(b, loc, tensor, perm);
}

/// The tensor `value` read at `map`, when that is a NumPy broadcast of the
/// score dims `scoreDims` (right-aligned; size-1 dims read at 0).
static bool isBroadcastRead(Value value, AffineMap map,
                            ArrayRef<AffineExpr> scoreDims) {
  auto ty = dyn_cast<RankedTensorType>(value.getType());
  if (!ty || ty.getRank() > static_cast<int64_t>(scoreDims.size()))
    return false;
  int64_t offset = scoreDims.size() - ty.getRank();
  for (int64_t i = 0; i < ty.getRank(); ++i) {
    AffineExpr e = map.getResult(i);
    if (e == scoreDims[offset + i])
      continue;
    auto c = dyn_cast<AffineConstantExpr>(e);
    if (!c || c.getValue() != 0 || ty.getDimSize(i) != 1)
      return false;
  }
  return true;
}

/// The diagonal offset d when the constant i1 mask (true = attend), broadcast
/// to [..., n, m], is exactly j <= i + d in every batch (d = 0: PyTorch's
/// is_causal; d = m - n: aligned bottom-right, a KV cache's mask); none
/// otherwise. A mask whose rows are all empty or all full is left a mask.
static std::optional<int64_t> causalDiagonal(DenseElementsAttr mask, int64_t n,
                                             int64_t m) {
  auto ty = cast<RankedTensorType>(mask.getType());
  int64_t r = ty.getRank();
  if (r < 2 || ty.getDimSize(r - 2) != n || ty.getDimSize(r - 1) != m ||
      n == 0 || m == 0)
    return std::nullopt;
  SmallVector<bool> bits(mask.getValues<bool>());
  // d from the first row that attends some but not all keys (row i then
  // attends its first i + d + 1); with one key, from the first full row.
  std::optional<int64_t> d;
  for (int64_t i = 0; i < n && !d; ++i) {
    int64_t attended = llvm::count(ArrayRef<bool>(bits).slice(i * m, m), true);
    if (attended > 0 && attended < m)
      d = attended - 1 - i;
    else if (m == 1 && attended == 1)
      d = -i;
  }
  if (!d)
    return std::nullopt;
  for (auto [at, bit] : llvm::enumerate(bits)) {
    int64_t row = (int64_t(at) / m) % n, col = int64_t(at) % m;
    if (bit != (col <= row + *d))
      return std::nullopt;
  }
  return d;
}

/// NOT of an i1 tensor, elementwise.
static Value negate(OpBuilder &b, Location loc, Value mask) {
  auto ty = cast<RankedTensorType>(mask.getType());
  Value init = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, mask), ty.getElementType());
  AffineMap id = b.getMultiDimIdentityMap(ty.getRank());
  SmallVector<utils::IteratorType> iterators(ty.getRank(),
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{ty}, ValueRange{mask}, ValueRange{init},
             ArrayRef<AffineMap>{id, id}, iterators,
             [](OpBuilder &nb, Location nl, ValueRange args) {
               Value t =
                   arith::ConstantOp::create(nb, nl, nb.getBoolAttr(true));
               Value x = arith::XOrIOp::create(nb, nl, args[0], t);
               linalg::YieldOp::create(nb, nl, x);
             })
      ->getResult(0);
}

//===----------------------------------------------------------------------===//
// The rewrite
//===----------------------------------------------------------------------===//

namespace {

/// Records the ops a rewrite creates, so a rejected one can be undone.
struct CreatedOps final : RewriterBase::Listener {
  void notifyOperationInserted(Operation *op, OpBuilder::InsertPoint) override {
    ops.push_back(op);
  }
  SmallVector<Operation *> ops;
};

} // namespace

/// Builds `inhibitor.attention` for `m` before its root and replaces the root;
/// fails with `reason` (undoing what it built) when the op would not verify.
static LogicalResult
rewriteMatch(AttentionMatch &m,
             const inhibitor::AttentionToInhibitorOptions &options,
             std::string &reason) {
  Operation *root = m.root;
  MLIRContext *ctx = root->getContext();
  CreatedOps created;
  IRRewriter rewriter(ctx, &created);
  rewriter.setInsertionPoint(root);
  Location loc = root->getLoc();
  auto undo = [&](const Twine &why) {
    reason = why.str();
    for (Operation *op : llvm::reverse(created.ops))
      rewriter.eraseOp(op);
    return failure();
  };

  SmallVector<AffineExpr> batch;
  for (unsigned d : m.batchDims)
    batch.push_back(getAffineDimExpr(d, ctx));
  auto layout = [&](unsigned row, unsigned col) {
    SmallVector<AffineExpr> dims(batch);
    dims.push_back(getAffineDimExpr(row, ctx));
    dims.push_back(getAffineDimExpr(col, ctx));
    return dims;
  };
  FailureOr<Value> q =
      materializeOperand(rewriter, loc, m.query, layout(m.queryDim, m.depthDim),
                         m.dimSizes, false, "Q", reason);
  if (failed(q))
    return undo(reason);
  FailureOr<Value> k =
      materializeOperand(rewriter, loc, m.key, layout(m.keyDim, m.depthDim),
                         m.dimSizes, true, "K", reason);
  if (failed(k))
    return undo(reason);
  FailureOr<Value> v =
      materializeOperand(rewriter, loc, m.value, layout(m.keyDim, m.valueDim),
                         m.dimSizes, true, "V", reason);
  if (failed(v))
    return undo(reason);

  SmallVector<AffineExpr> scoreDims = m.getScoreDims(ctx);
  auto qTy = cast<RankedTensorType>(q->getType());
  int64_t n = qTy.getDimSize(qTy.getRank() - 2);
  int64_t mKeys =
      cast<RankedTensorType>(k->getType()).getDimSize(qTy.getRank() - 2);
  Value mask;
  bool causal = m.causal;
  int64_t causalOffset = m.causalOffset;
  if (m.mask) {
    const ElementExpr *read = m.mask->read;
    if (!isBroadcastRead(read->value, read->map, scoreDims))
      return undo("the mask is not read as a broadcast of the scores");
    if (DenseElementsAttr constant = m.mask->constant) {
      std::optional<int64_t> diagonal;
      if (!ShapedType::isDynamic(n) && !ShapedType::isDynamic(mKeys))
        diagonal = causalDiagonal(constant, n, mKeys);
      if (diagonal) {
        // And-ed with a causal index comparison: the lower diagonal.
        causalOffset = causal ? std::min(causalOffset, *diagonal) : *diagonal;
        causal = true;
      } else {
        mask = arith::ConstantOp::create(rewriter, loc, constant);
      }
    } else {
      mask = m.mask->negated ? negate(rewriter, loc, read->value) : read->value;
    }
  }
  // Any other additive term is the bias (never dropped).
  Value bias;
  if (m.bias) {
    if (!isBroadcastRead(m.bias, m.biasMap, scoreDims))
      return undo("the additive bias is not read as a broadcast of the "
                  "scores");
    bias = m.bias;
  }

  // The result in the op's layout [b..., N, E], transposed back to the
  // root's layout when that differs.
  auto resultTy = cast<RankedTensorType>(root->getResult(0).getType());
  Type acc = resultTy.getElementType();
  AffineMap outMap = m.root.getMatchingIndexingMap(m.root.getDpsInitOperand(0));
  SmallVector<AffineExpr> canonical = layout(m.queryDim, m.valueDim);
  SmallVector<int64_t> toRoot; // root dim j = canonical dim toRoot[j]
  for (AffineExpr e : outMap.getResults())
    toRoot.push_back(llvm::find(canonical, e) - canonical.begin());
  // Destination [b..., N, E]: b... and N from Q, E from V.
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, *q);
  sizes.back() = tensor::getMixedSizes(rewriter, loc, *v).back();
  Value init = tensor::EmptyOp::create(rewriter, loc, sizes, acc);

  double gamma = options.gamma != 0.0 ? options.gamma : 1.0 / m.scale;
  auto rounded = [&](double x) {
    return rewriter.getFloatAttr(acc, x).getValue();
  };
  if (!isa<FloatType>(acc))
    return undo("the result is not a float");
  if (!rounded(gamma).isFiniteNonZero() || rounded(gamma).isNegative() ||
      !rounded(options.alpha).isFinite())
    return undo("gamma or alpha not representable in the accumulator type");
  Value offsetValue;
  if (causal && causalOffset != 0)
    offsetValue = arith::ConstantIndexOp::create(rewriter, loc, causalOffset);
  auto attention = inhibitor::AttentionOp::create(
      rewriter, loc, *q, *k, *v, mask, bias, init,
      rewriter.getFloatAttr(acc, gamma),
      rewriter.getFloatAttr(acc, options.alpha), options.isSigned, causal);
  if (offsetValue)
    attention.getCausalOffsetMutable().assign(offsetValue);
  // The op's own verifier decides which operands it accepts (types, shapes,
  // grouping): one place for those rules.
  std::string verifierMessage;
  {
    ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &diag) {
      if (verifierMessage.empty())
        verifierMessage = diag.str();
      return success();
    });
    if (failed(mlir::verify(attention)))
      return undo("inhibitor.attention rejects the operands: " +
                  verifierMessage);
  }
  Value result = transposeTo(rewriter, loc, attention.getResult(), toRoot);
  rewriter.replaceOp(root, result);
  return success();
}

namespace {

struct ConvertAttentionToInhibitorPass
    : inhibitor::impl::ConvertAttentionToInhibitorBase<
          ConvertAttentionToInhibitorPass> {
  using Base::Base;

  void runOnOperation() override {
    if (alpha < 0.0 || gamma < 0.0) {
      getOperation()->emitError()
          << "convert-attention-to-inhibitor: alpha and gamma must be "
             "non-negative";
      return signalPassFailure();
    }
    inhibitor::AttentionToInhibitorOptions options;
    options.alpha = alpha;
    options.gamma = gamma;
    options.isSigned = isSigned;
    options.emitRemarks = emitRemarks;
    SmallVector<FunctionOpInterface> functions;
    getOperation()->walk(
        [&](FunctionOpInterface f) { functions.push_back(f); });
    for (FunctionOpInterface f : functions)
      numRewritten += inhibitor::convertAttentionToInhibitor(f, options);
  }
};

} // namespace

unsigned mlir::inhibitor::convertAttentionToInhibitor(
    FunctionOpInterface function, const AttentionToInhibitorOptions &opts) {
  if (function.isExternal())
    return 0;
  bool hasCandidates = false;
  function->walk([&](Operation *op) {
    hasCandidates |=
        isa<linalg::LinalgDialect, tosa::TosaDialect>(op->getDialect());
  });
  if (!hasCandidates)
    return 0;
  auto copy = cast<FunctionOpInterface>(function->clone());
  llvm::scope_exit dropCopy([&] {
    if (copy)
      copy->erase();
  });
  if (failed(normalizeForAttentionMatching(copy))) {
    if (opts.emitRemarks)
      emitRemark(function.getLoc())
          << "attention not converted: TOSA in this function does not "
             "convert to linalg";
    return 0;
  }
  SmallVector<linalg::LinalgOp> contractions;
  copy->walk([&](linalg::LinalgOp op) {
    if (isContraction(op))
      contractions.push_back(op);
  });
  unsigned converted = 0;
  llvm::SmallPtrSet<Operation *, 4> replaced;
  for (linalg::LinalgOp root : contractions) {
    if (replaced.contains(root))
      continue;
    ElementExprBuilder builder(root->getContext(), root.getStaticLoopRanges());
    std::string reason;
    FailureOr<AttentionMatch> match = matchAttention(root, builder, reason);
    if (succeeded(match)) {
      double gammaValue = opts.gamma != 0.0 ? opts.gamma : 1.0 / match->scale;
      Location loc = root->getLoc();
      if (succeeded(rewriteMatch(*match, opts, reason))) {
        replaced.insert(root);
        ++converted;
        if (opts.emitRemarks)
          emitRemark(loc) << "replaced dot-product attention by "
                             "inhibitor.attention (gamma = "
                          << gammaValue << ", alpha = " << opts.alpha << ")";
        continue;
      }
    }
    if (reason.empty())
      continue;
    LLVM_DEBUG(llvm::dbgs()
               << "[attention] rejected " << root->getName() << " at "
               << root->getLoc() << ": " << reason << "\n");
    if (opts.emitRemarks)
      emitRemark(root->getLoc())
          << "not converted to inhibitor.attention: " << reason;
  }
  if (!converted)
    return 0;
  // The softmax, scale, masks and Q K^T are dead now.
  IRRewriter rewriter(function->getContext());
  (void)runRegionDCE(rewriter, copy.getFunctionBody());
  // Folding and dead code removal only (constants left by the copy).
  (void)applyPatternsGreedily(copy.getOperation(), FrozenRewritePatternSet());
  function.getFunctionBody().takeBody(copy.getFunctionBody());
  return converted;
}
