//===- AttentionMatch.h - Matching dot-product attention --------*- C++ -*-===//
//
// What the attention rewrite matches, on normalized IR (Normalize.cpp): a
// contraction P V whose P is a softmax over the key dim of masked, scaled
// scores Q K^T, all read as ElementExprs. Private to
// lib/Conversion/AttentionToInhibitor.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_LIB_CONVERSION_ATTENTIONTOINHIBITOR_ATTENTIONMATCH_H
#define INHIBITOR_LIB_CONVERSION_ATTENTIONTOINHIBITOR_ATTENTIONMATCH_H

#include "ElementExpr.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace mlir::inhibitor::attention {

/// An i1 mask found between the scores and the softmax.
struct MaskRead {
  /// A leaf read of an i1 tensor (or of a constant) in the loop space.
  const ElementExpr *read = nullptr;
  /// True when the pair attends where the tensor is false (PyTorch's
  /// `masked_fill(m, -inf)`, `select(m, -inf, s)`).
  bool negated = false;
  /// A constant mask folded to i1 (true = attend); replaces `read`.
  DenseElementsAttr constant;
};

/// One matched `softmax(mask(Q K^T * s) + B) V`, in the loop space of the
/// P V contraction (`root`).
struct AttentionMatch {
  /// The P V contraction whose result the new op replaces.
  linalg::LinalgOp root;
  /// Space dims: batch dims (in the order of the root's result), the query
  /// dim, the value (E) dim, the key dim and the score reduction (D) dim.
  SmallVector<unsigned> batchDims;
  unsigned queryDim = 0, valueDim = 0, keyDim = 0, depthDim = 0;
  /// Leaf reads of Q [b..., N, D], K [b..., M, D], V [b..., M, E] (in any
  /// layout; K and V may read a batch dim `floordiv g` or broadcast it).
  const ElementExpr *query = nullptr, *key = nullptr, *value = nullptr;
  /// The product of every constant scale: on the scores, folded into Q or
  /// into K. 1 when there is none.
  double scale = 1.0;
  std::optional<MaskRead> mask;
  bool causal = false;
  /// With `causal`: pairs j <= i + causalOffset (0: PyTorch's is_causal;
  /// M - N: aligned bottom-right, a KV cache's mask).
  int64_t causalOffset = 0;
  /// An additive term that is not provably 0/lowest: the tensor and the map
  /// the scores read it through.
  Value bias;
  AffineMap biasMap;
  /// The static size of every dim of the space (kDynamic where unknown).
  SmallVector<int64_t> dimSizes;
  /// Every op between Q, K, V and the root (the ones the rewrite makes dead).
  SmallVector<Operation *> chain;

  /// The dims of the scores [b..., N, M] as exprs of the space.
  SmallVector<AffineExpr> getScoreDims(MLIRContext *ctx) const;
};

/// Matches attention rooted at the contraction `root` in normalized IR.
/// Fails with a rejection (reason set) when `root` is a candidate that is not
/// attention, or with an empty reason when it is no candidate.
FailureOr<AttentionMatch> matchAttention(linalg::LinalgOp root,
                                         ElementExprBuilder &builder,
                                         std::string &reason);

/// Brings a function to the one form the matcher reads: TOSA to linalg
/// (upstream conversions), linalg.softmax decomposed, named linalg ops
/// generalized, dead results dropped, constants folded, reshapes propagated
/// through generics. Fails when the conversion of TOSA fails (the function
/// is then left as it was by the conversion's rollback).
LogicalResult normalizeForAttentionMatching(Operation *function);

} // namespace mlir::inhibitor::attention

#endif // INHIBITOR_LIB_CONVERSION_ATTENTIONTOINHIBITOR_ATTENTIONMATCH_H
