//===- AttentionMatch.cpp - Dot-product attention in normalized IR --------===//
//
// One matcher for every front end: after normalization the graph is
// contractions and generics, read as ElementExprs. The P V contraction is
// found by its indexing maps (the dims only P and the result have are the
// query dim, the ones only V and the result have the value dim, the reduced
// one the key dim); P must be a softmax over the key dim by its reduction
// structure (whatever it is spelled as); under it, constant scales, masks and
// additive terms are peeled off down to the scores contraction Q K^T.
//
//===----------------------------------------------------------------------===//

#include "AttentionMatch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/Debug.h"

#include <cmath>

#define DEBUG_TYPE "convert-attention-to-inhibitor"

using namespace mlir;

namespace mlir::inhibitor::attention {

SmallVector<AffineExpr> AttentionMatch::getScoreDims(MLIRContext *ctx) const {
  SmallVector<AffineExpr> dims;
  for (unsigned d : batchDims)
    dims.push_back(getAffineDimExpr(d, ctx));
  dims.push_back(getAffineDimExpr(queryDim, ctx));
  dims.push_back(getAffineDimExpr(keyDim, ctx));
  return dims;
}

/// The loop dims of `linalgOp` read by operand `operand`'s map.
static llvm::SmallBitVector getReadDims(linalg::LinalgOp linalgOp,
                                        OpOperand *operand) {
  llvm::SmallBitVector dims(linalgOp.getNumLoops());
  for (AffineExpr e : linalgOp.getMatchingIndexingMap(operand).getResults())
    for (unsigned d = 0; d < linalgOp.getNumLoops(); ++d)
      if (e.isFunctionOfDim(d))
        dims.set(d);
  return dims;
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

/// A reduction over exactly the key dim of `expected` (which reads the key
/// dim): `reduce` is a Reduce node whose body is `expected` with the key dim
/// renamed to the reduced one. Sets `reason` on failure.
static bool isReductionOverKey(const ElementExpr *reduce,
                               const ElementExpr *expected, bool wantMax,
                               const AttentionMatch &m, std::string &reason) {
  const char *what = wantMax ? "max" : "sum";
  if (!reduce || reduce->kind != ExprKind::Reduce ||
      reduce->isMaxReduce != wantMax) {
    reason = std::string("softmax: no ") + what + " reduction";
    return false;
  }
  if (reduce->reducedDims.size() != 1) {
    reason = "softmax reduces over more than one dim";
    return false;
  }
  unsigned r = reduce->reducedDims[0];
  const ElementExpr *body = reduce->operands[1];
  if (isSameExprRenamed(expected, body, m.keyDim, r)) {
    const ElementExpr *init = reduce->operands[0];
    if (!init->isConstant()) {
      reason =
          std::string("softmax: the ") + what + " starts from a non-constant";
      return false;
    }
    double v = init->constant;
    bool ok = wantMax ? (isMaskingValue(v) ||
                         (std::isnan(v) && reduce->maxIgnoresNaN))
                      : v == 0.0;
    if (!ok)
      reason = std::string("softmax: the ") + what +
               " starts from an unexpected value";
    return ok;
  }
  if (isSameExprRenamed(expected, body, m.queryDim, r))
    reason = "softmax reduces over the query dim, not the key dim";
  else
    reason = std::string("softmax: the ") + what +
             " reduces something other than the scores";
  return false;
}

/// The scores X of P = softmax(X) over the key dim, in any of the forms front
/// ends write: exp(X - max X) / sum(...) (or * 1/sum), exp(X) / sum(exp X)
/// without the max (onnx-mlir), or log-sum-exp exp(X - (max + log(sum))).
static const ElementExpr *matchSoftmax(const ElementExpr *p,
                                       const AttentionMatch &m,
                                       std::string &reason) {
  const ElementExpr *e = nullptr, *sum = nullptr;
  if (p->isOp(ExprOp::Div)) {
    e = p->operands[0];
    sum = p->operands[1];
  } else if (p->isOp(ExprOp::Mul)) {
    for (unsigned i = 0; i < 2; ++i) {
      const ElementExpr *recip = p->operands[1 - i];
      if (recip->isOp(ExprOp::Div) && recip->operands[0]->isConstant() &&
          recip->operands[0]->constant == 1.0) {
        e = p->operands[i];
        sum = recip->operands[1];
      }
    }
  }
  // exp(Y) with Y = X - max X, or X; sets x.
  auto matchExp = [&](const ElementExpr *ex, const ElementExpr *&x) {
    if (!ex->isOp(ExprOp::Exp)) {
      reason = "the weights are not a softmax: no exp";
      return false;
    }
    const ElementExpr *y = ex->operands[0];
    if (y->isOp(ExprOp::Sub) && y->operands[1]->kind == ExprKind::Reduce) {
      x = y->operands[0];
      return isReductionOverKey(y->operands[1], x, /*wantMax=*/true, m, reason);
    }
    x = y;
    return true;
  };
  const ElementExpr *x = nullptr;
  if (e) {
    if (!matchExp(e, x) ||
        !isReductionOverKey(sum, e, /*wantMax=*/false, m, reason))
      return nullptr;
    return x;
  }
  // Log-sum-exp: exp(X - (M + log S)) or exp((X - M) - log S), S the sum of
  // exp(X - M).
  if (p->isOp(ExprOp::Exp)) {
    const ElementExpr *y = p->operands[0];
    const ElementExpr *max = nullptr, *log = nullptr;
    if (y->isOp(ExprOp::Sub)) {
      const ElementExpr *rhs = y->operands[1];
      if (rhs->isOp(ExprOp::Add)) {
        for (unsigned i = 0; i < 2; ++i)
          if (rhs->operands[i]->isOp(ExprOp::Log)) {
            log = rhs->operands[i];
            max = rhs->operands[1 - i];
            x = y->operands[0];
          }
      } else if (rhs->isOp(ExprOp::Log) && y->operands[0]->isOp(ExprOp::Sub)) {
        log = rhs;
        max = y->operands[0]->operands[1];
        x = y->operands[0]->operands[0];
      }
    }
    if (log && max) {
      if (!isReductionOverKey(max, x, /*wantMax=*/true, m, reason))
        return nullptr;
      const ElementExpr *s = log->operands[0];
      if (s->kind != ExprKind::Reduce || s->isMaxReduce ||
          s->reducedDims.size() != 1 || !s->operands[1]->isOp(ExprOp::Exp)) {
        reason = "log-softmax: log of something other than a sum of exp";
        return nullptr;
      }
      // The sum's body is exp(X' - M') with X' the scores X read at the
      // reduced dim instead of the key dim, and M' the same max.
      const ElementExpr *inner = s->operands[1]->operands[0];
      unsigned r = s->reducedDims[0];
      if (!inner->isOp(ExprOp::Sub) ||
          !isSameExprRenamed(x, inner->operands[0], m.keyDim, r) ||
          !isSameExprRenamed(max, inner->operands[1], m.keyDim, r)) {
        // (inner need not be a Sub: only then does it have operands.)
        reason = inner->isOp(ExprOp::Sub) &&
                         isSameExprRenamed(x, inner->operands[0], m.queryDim, r)
                     ? "softmax reduces over the query dim, not the key dim"
                     : "log-softmax: the sum is not of exp(X - max X)";
        return nullptr;
      }
      if (!s->operands[0]->isConstant() || s->operands[0]->constant != 0.0) {
        reason = "softmax: the sum starts from an unexpected value";
        return nullptr;
      }
      return x;
    }
    reason = "the weights are exp(...) without a normalizing sum";
    return nullptr;
  }
  reason = "the weights are not a softmax: no exp normalized by a sum";
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Scale, masks, bias
//===----------------------------------------------------------------------===//

/// True when the dense constant `attr` has only 0 and masking values.
static bool isZeroOrMasking(DenseElementsAttr attr) {
  auto fp = dyn_cast<DenseFPElementsAttr>(attr);
  return fp && llvm::all_of(fp.getValues<APFloat>(), [](const APFloat &f) {
           return f.isZero() || isMaskingValue(f.convertToDouble());
         });
}

/// The i1 constant (true = attend) of a 0/lowest additive constant.
static DenseElementsAttr toAttendMask(DenseFPElementsAttr additive) {
  SmallVector<bool> bits;
  for (const APFloat &f : additive.getValues<APFloat>())
    bits.push_back(f.isZero());
  auto ty = RankedTensorType::get(additive.getType().getShape(),
                                  IntegerType::get(additive.getContext(), 1));
  return DenseElementsAttr::get(ty, ArrayRef<bool>(bits));
}

/// Records the i1 condition `cond` (attending where it is `attendWhen`).
static LogicalResult addCondition(const ElementExpr *cond, bool attendWhen,
                                  AttentionMatch &m, std::string &reason) {
  MLIRContext *ctx = m.root->getContext();
  if (cond->isOp(ExprOp::XOrI)) {
    for (unsigned i = 0; i < 2; ++i)
      if (cond->operands[1 - i]->isConstant() &&
          cond->operands[1 - i]->constant == 1.0)
        return addCondition(cond->operands[i], !attendWhen, m, reason);
  }
  // An index comparison: `x pred y` with x, y a loop index plus a constant
  // (`linalg.index` and an `arith.addi`/`subi` of a constant).
  auto indexPlusConstant = [](const ElementExpr *e)
      -> std::optional<std::pair<AffineExpr, int64_t>> {
    if (e->kind == ExprKind::Index)
      return std::make_pair(e->index, int64_t(0));
    bool add = e->isOp(ExprOp::Add), sub = e->isOp(ExprOp::Sub);
    if (!add && !sub)
      return std::nullopt;
    for (unsigned k = 0; k < 2; ++k) {
      const ElementExpr *idx = e->operands[k], *c = e->operands[1 - k];
      if (idx->kind != ExprKind::Index || !c->isConstant() ||
          c->constant != std::floor(c->constant) || (sub && k == 1))
        continue;
      auto value = static_cast<int64_t>(c->constant);
      return std::make_pair(idx->index, sub ? -value : value);
    }
    return std::nullopt;
  };
  if (cond->isOp(ExprOp::CmpI)) {
    auto lhs = indexPlusConstant(cond->operands[0]);
    auto rhs = indexPlusConstant(cond->operands[1]);
    if (lhs && rhs) {
      AffineExpr i = getAffineDimExpr(m.queryDim, ctx);
      AffineExpr j = getAffineDimExpr(m.keyDim, ctx);
      using P = arith::CmpIPredicate;
      auto pred = static_cast<P>(cond->predicate);
      if (lhs->first == j && rhs->first == i) {
        // `j pred i` is `i swapped(pred) j`.
        switch (pred) {
        case P::sle:
          pred = P::sge;
          break;
        case P::ule:
          pred = P::uge;
          break;
        case P::slt:
          pred = P::sgt;
          break;
        case P::ult:
          pred = P::ugt;
          break;
        case P::sge:
          pred = P::sle;
          break;
        case P::uge:
          pred = P::ule;
          break;
        case P::sgt:
          pred = P::slt;
          break;
        case P::ugt:
          pred = P::ult;
          break;
        default:
          break;
        }
        std::swap(lhs, rhs);
      } else if (lhs->first != i || rhs->first != j) {
        reason = "mask compares indices other than the query and key index";
        return failure();
      }
      // Now `i + a pred j + b`. Attending `i + a >= j + b` (true) or
      // `i + a < j + b` (false) is j <= i + (a - b); `>` and `<=` one less.
      int64_t d = lhs->second - rhs->second;
      bool attendsGE = (attendWhen && (pred == P::sge || pred == P::uge)) ||
                       (!attendWhen && (pred == P::slt || pred == P::ult));
      bool attendsGT = (attendWhen && (pred == P::sgt || pred == P::ugt)) ||
                       (!attendWhen && (pred == P::sle || pred == P::ule));
      bool isUnsigned =
          pred == P::uge || pred == P::ult || pred == P::ugt || pred == P::ule;
      // An unsigned compare of i + a or j + b that can be negative is not
      // the causal order: offsets only with signed predicates.
      if ((attendsGE || attendsGT) &&
          !(isUnsigned && (lhs->second != 0 || rhs->second != 0))) {
        if (attendsGT)
          d -= 1;
        if (m.causal) {
          reason = "two causal masks";
          return failure();
        }
        m.causal = true;
        m.causalOffset = d;
        return success();
      }
      reason = "mask compares the query and key index but is not causal "
               "(j <= i + d, d a constant, with a signed compare where d or "
               "the constants are not 0)";
      return failure();
    }
  }
  if (cond->kind == ExprKind::Read &&
      getElementTypeOrSelf(cond->value.getType()).isInteger(1)) {
    if (m.mask) {
      reason = "two i1 masks";
      return failure();
    }
    MaskRead mask;
    mask.read = cond;
    mask.negated = !attendWhen;
    DenseElementsAttr constant;
    if (matchPattern(cond->value, m_Constant(&constant))) {
      if (!attendWhen) {
        SmallVector<bool> bits;
        for (bool bit : constant.getValues<bool>())
          bits.push_back(!bit);
        constant =
            DenseElementsAttr::get(constant.getType(), ArrayRef<bool>(bits));
      }
      mask.constant = constant;
    }
    m.mask = mask;
    return success();
  }
  reason = "mask condition is not an i1 tensor or an index comparison: " +
           describe(cond);
  return failure();
}

/// Classifies an additive term `a` of the scores: 0/lowest (a mask or
/// causal) or a bias. `scaled` says whether a scale was already peeled off
/// above it (then a bias would need scaling).
static LogicalResult addAdditive(const ElementExpr *a, bool scaled,
                                 AttentionMatch &m, std::string &reason) {
  // select(c, 0, lowest) / select(c, lowest, 0).
  if (a->isOp(ExprOp::Select)) {
    const ElementExpr *t = a->operands[1], *f = a->operands[2];
    if (t->isConstant() && f->isConstant()) {
      if (t->constant == 0.0 && isMaskingValue(f->constant))
        return addCondition(a->operands[0], true, m, reason);
      if (f->constant == 0.0 && isMaskingValue(t->constant))
        return addCondition(a->operands[0], false, m, reason);
    }
  }
  // (1 - float(m)) * lowest with m an i1 tensor: attends where m.
  if (a->isOp(ExprOp::Mul)) {
    for (unsigned i = 0; i < 2; ++i) {
      const ElementExpr *c = a->operands[1 - i], *s = a->operands[i];
      if (c->isConstant() && isMaskingValue(c->constant) &&
          s->isOp(ExprOp::Sub) && s->operands[0]->isConstant() &&
          s->operands[0]->constant == 1.0 &&
          s->operands[1]->isOp(ExprOp::IntToFP) &&
          getElementTypeOrSelf(s->operands[1]->operands[0]->elementType)
              .isInteger(1))
        return addCondition(s->operands[1]->operands[0], true, m, reason);
    }
  }
  // A dense constant of 0 and lowest.
  DenseElementsAttr constant;
  if (a->kind == ExprKind::Read &&
      matchPattern(a->value, m_Constant(&constant)) &&
      isZeroOrMasking(constant)) {
    if (m.mask) {
      reason = "two masks";
      return failure();
    }
    MaskRead mask;
    mask.read = a;
    mask.constant = toAttendMask(cast<DenseFPElementsAttr>(constant));
    m.mask = mask;
    return success();
  }
  // Anything else is an additive bias: pass the tensor it is an element of.
  if (m.bias) {
    reason = "two additive terms that are not provably 0/lowest";
    return failure();
  }
  if (scaled) {
    reason = "an additive bias is scaled after it was added";
    return failure();
  }
  Value tensor = a->kind == ExprKind::Read ? a->value : a->origin;
  AffineMap map = a->kind == ExprKind::Read ? a->map : a->originMap;
  if (!tensor) {
    reason = "the additive term is computed inside the scores' generic, "
             "not a tensor: " +
             describe(a);
    return failure();
  }
  m.bias = tensor;
  m.biasMap = map;
  return success();
}

/// Peels scales, masks and additive terms off X down to the read of the
/// scores contraction.
static const ElementExpr *peelScores(const ElementExpr *x, AttentionMatch &m,
                                     std::string &reason) {
  bool scaled = false;
  while (true) {
    if (x->kind == ExprKind::Read && isContraction(x->value.getDefiningOp()))
      return x;
    auto hasScores = [](const ElementExpr *e) {
      SmallVector<const ElementExpr *> reads;
      collectContractionReads(e, reads);
      return !reads.empty();
    };
    if (x->isOp(ExprOp::Mul)) {
      unsigned s = hasScores(x->operands[0]) ? 0 : 1;
      const ElementExpr *c = x->operands[1 - s];
      if (hasScores(c)) {
        reason = "the scores are multiplied by something computed from the "
                 "scores";
        return nullptr;
      }
      if (!c->isConstant()) {
        reason = "scale is not a constant: " + describe(c);
        return nullptr;
      }
      m.scale *= c->constant;
      scaled = true;
      x = x->operands[s];
      continue;
    }
    if (x->isOp(ExprOp::Div) && hasScores(x->operands[0]) &&
        !hasScores(x->operands[1])) {
      reason = "scale is not a constant: " + describe(x->operands[1]);
      return nullptr;
    }
    if (x->isOp(ExprOp::Add)) {
      unsigned s = hasScores(x->operands[0]) ? 0 : 1;
      if (hasScores(x->operands[1 - s])) {
        reason = "the scores are added to something computed from the scores";
        return nullptr;
      }
      if (failed(addAdditive(x->operands[1 - s], scaled, m, reason)))
        return nullptr;
      x = x->operands[s];
      continue;
    }
    if (x->isOp(ExprOp::Select)) {
      const ElementExpr *cond = x->operands[0];
      const ElementExpr *t = x->operands[1], *f = x->operands[2];
      bool attendWhen;
      if (f->isConstant() && isMaskingValue(f->constant) && hasScores(t)) {
        attendWhen = true;
        x = t;
      } else if (t->isConstant() && isMaskingValue(t->constant) &&
                 hasScores(f)) {
        attendWhen = false;
        x = f;
      } else {
        reason = "select between the scores and something other than the "
                 "lowest value";
        return nullptr;
      }
      if (failed(addCondition(cond, attendWhen, m, reason)))
        return nullptr;
      continue;
    }
    reason = "softmax input is not scaled/masked scores Q K^T: " + describe(x);
    return nullptr;
  }
}

//===----------------------------------------------------------------------===//
// Contractions and the whole match
//===----------------------------------------------------------------------===//

/// Strips constant scales off an operand of the scores contraction (TF and
/// MHLO fold the scale into Q; PyTorch's math SDPA scales Q and K by
/// sqrt(s)), multiplying them into `scale`.
static const ElementExpr *stripOperandScale(const ElementExpr *e,
                                            double &scale) {
  while (e->isOp(ExprOp::Mul)) {
    unsigned c = e->operands[0]->isConstant() ? 0 : 1;
    if (!e->operands[c]->isConstant())
      break;
    scale *= e->operands[c]->constant;
    e = e->operands[1 - c];
  }
  return e;
}

/// True when `e` is a constant zero (a contraction's init).
static bool isZero(const ElementExpr *e) {
  return e->isConstant() && e->constant == 0.0;
}

/// The ops of `visited` that compute from `scores` (forward through the
/// visited ops): the ones the rewrite makes dead, which must have no use
/// outside attention.
static SetVector<Operation *>
getOpsOnScoresPath(Operation *scores, const SetVector<Operation *> &visited) {
  SetVector<Operation *> onPath;
  onPath.insert(scores);
  bool changed = true;
  while (changed) {
    changed = false;
    for (Operation *op : visited) {
      if (onPath.contains(op))
        continue;
      if (llvm::any_of(op->getOperands(), [&](Value v) {
            return onPath.contains(v.getDefiningOp());
          })) {
        onPath.insert(op);
        changed = true;
      }
    }
  }
  return onPath;
}

FailureOr<AttentionMatch> matchAttention(linalg::LinalgOp root,
                                         ElementExprBuilder &builder,
                                         std::string &reason) {
  reason.clear();
  if (!isContraction(root) || root.getNumDpsInputs() != 2)
    return failure();
  MLIRContext *ctx = root->getContext();
  AttentionMatch m;
  m.root = root;
  OpOperand *a = root.getDpsInputOperand(0), *b = root.getDpsInputOperand(1);
  OpOperand *out = root.getDpsInitOperand(0);
  const ElementExpr *aExpr =
      builder.read(a->get(), root.getMatchingIndexingMap(a));
  const ElementExpr *bExpr =
      builder.read(b->get(), root.getMatchingIndexingMap(b));
  // P is the operand computed from another contraction (a projection's
  // operands are not).
  auto isComputedFromScores = [](const ElementExpr *e) {
    SmallVector<const ElementExpr *> reads;
    collectContractionReads(e, reads);
    return !reads.empty() && e->kind != ExprKind::Read;
  };
  bool pIsA = isComputedFromScores(aExpr);
  if (!pIsA && !isComputedFromScores(bExpr))
    return failure();
  OpOperand *p = pIsA ? a : b, *v = pIsA ? b : a;
  const ElementExpr *pExpr = pIsA ? aExpr : bExpr;
  const ElementExpr *vExpr = pIsA ? bExpr : aExpr;
  LLVM_DEBUG(llvm::dbgs() << "[attention] candidate " << *root
                          << "\n  P = " << describe(pExpr) << "\n");

  llvm::SmallBitVector pDims = getReadDims(root, p),
                       vDims = getReadDims(root, v),
                       oDims = getReadDims(root, out);
  llvm::SmallBitVector query = pDims, value = vDims, key = pDims, batch = pDims;
  query.reset(vDims);
  query &= oDims;
  value.reset(pDims);
  value &= oDims;
  key &= vDims;
  key.reset(oDims);
  batch &= vDims;
  batch &= oDims;
  if (query.count() != 1 || value.count() != 1 || key.count() != 1) {
    reason = "P V contraction does not have exactly one query, key and "
             "value dim";
    return failure();
  }
  m.queryDim = query.find_first();
  m.valueDim = value.find_first();
  m.keyDim = key.find_first();
  AffineMap outMap = root.getMatchingIndexingMap(out);
  if (!outMap.isProjectedPermutation()) {
    reason = "P V result is not a permutation of its loops";
    return failure();
  }
  for (AffineExpr e : outMap.getResults())
    if (unsigned d = cast<AffineDimExpr>(e).getPosition(); batch.test(d))
      m.batchDims.push_back(d);
  if (!isZero(builder.read(out->get(), outMap))) {
    reason = "P V accumulates into a non-zero init";
    return failure();
  }

  const ElementExpr *x = matchSoftmax(pExpr, m, reason);
  if (!x)
    return failure();
  const ElementExpr *scores = peelScores(x, m, reason);
  if (!scores)
    return failure();

  // The scores contraction, its loops as exprs of the space: the loops of
  // its result from the map reading it, its reduction (D) a fresh dim.
  auto qk = cast<linalg::LinalgOp>(scores->value.getDefiningOp());
  if (qk.getNumDpsInputs() != 2) {
    reason = "the scores contraction does not have two inputs";
    return failure();
  }
  AffineMap qkOut = qk.getMatchingIndexingMap(qk.getDpsInitOperand(0));
  SmallVector<AffineExpr> loops(qk.getNumLoops());
  for (auto [k, e] : llvm::enumerate(qkOut.getResults())) {
    auto d = dyn_cast<AffineDimExpr>(e);
    if (!d) {
      reason = "the scores contraction's result is not a permutation";
      return failure();
    }
    loops[d.getPosition()] = scores->map.getResult(k);
  }
  SmallVector<int64_t> qkSizes = qk.getStaticLoopRanges();
  for (auto [d, l] : llvm::enumerate(loops)) {
    if (l)
      continue;
    std::optional<unsigned> fresh = builder.freshDim(qkSizes[d]);
    if (!fresh || m.depthDim != 0) {
      reason = "the scores contraction reduces over more than one dim";
      return failure();
    }
    m.depthDim = *fresh;
    l = builder.dim(*fresh);
  }
  if (!isZero(builder.read(qk.getDpsInits()[0], scores->map))) {
    reason = "Q K^T accumulates into a non-zero init";
    return failure();
  }
  AffineMap loopsMap =
      AffineMap::get(ElementExprBuilder::kMaxDims, 0, loops, ctx);
  const ElementExpr *operands[2];
  for (unsigned i = 0; i < 2; ++i) {
    OpOperand *operand = qk.getDpsInputOperand(i);
    operands[i] = stripOperandScale(
        builder.read(operand->get(),
                     qk.getMatchingIndexingMap(operand).compose(loopsMap)),
        m.scale);
  }
  for (unsigned i = 0; i < 2; ++i) {
    const ElementExpr *q = operands[i], *k = operands[1 - i];
    if (readsDim(q, m.queryDim) && !readsDim(q, m.keyDim) &&
        readsDim(k, m.keyDim) && !readsDim(k, m.queryDim)) {
      m.query = q;
      m.key = k;
    }
  }
  if (!m.query) {
    reason = "the scores contraction is not over the query and key dims";
    return failure();
  }
  for (auto [what, e] :
       {std::make_pair("Q", m.query), std::make_pair("K", m.key),
        std::make_pair("V", vExpr)}) {
    if (e->kind != ExprKind::Read) {
      reason = std::string(what) +
               " is computed inside the contraction "
               "(not a tensor): " +
               describe(e);
      return failure();
    }
  }
  m.value = vExpr;
  if (readsDim(m.value, m.queryDim)) {
    reason = "V depends on the query dim";
    return failure();
  }
  if (!(m.scale > 0.0) || !std::isfinite(m.scale)) {
    reason = "the scale is not positive and finite";
    return failure();
  }

  // Every op computing from the scores dies with the rewrite: none may have
  // a use outside attention (returned weights, a reused score).
  SetVector<Operation *> visited = builder.getVisited();
  visited.insert(root);
  SetVector<Operation *> onPath = getOpsOnScoresPath(qk, visited);
  for (Operation *op : onPath) {
    if (op == root.getOperation())
      continue;
    for (Operation *user : op->getUsers()) {
      if (visited.contains(user))
        continue;
      reason = "an intermediate of attention (" +
               op->getName().getStringRef().str() + ") has a use outside it (" +
               user->getName().getStringRef().str() + ")";
      return failure();
    }
  }
  m.chain.assign(onPath.begin(), onPath.end());
  m.dimSizes.assign(builder.getDimSizes().begin(), builder.getDimSizes().end());
  LLVM_DEBUG(llvm::dbgs() << "[attention] matched, scale " << m.scale
                          << ", causal " << m.causal << ", mask "
                          << m.mask.has_value() << ", bias " << bool(m.bias)
                          << "\n");
  return m;
}

} // namespace mlir::inhibitor::attention
