//===- AttentionMatch.h - Matching dot-product attention --------*- C++ -*-===//
//
// What the attention rewrite matches, shared by its front-end matchers (linalg
// named and decomposed forms, TOSA) and the rewrite that replaces a match by
// `inhibitor.attention`. Private to lib/Conversion/AttentionToInhibitor.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_LIB_CONVERSION_ATTENTIONTOINHIBITOR_ATTENTIONMATCH_H
#define INHIBITOR_LIB_CONVERSION_ATTENTIONTOINHIBITOR_ATTENTIONMATCH_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>

namespace mlir::inhibitor::attention {

/// The pieces of one matched `softmax(mask(Q K^T * s)) V`.
struct AttentionMatch {
  /// Q [b..., N, D], K [b..., M, D], V [b..., M, E], all of the root's rank.
  Value query, key, value;
  /// An i1 tensor broadcastable to [b..., N, M] (true = attend), or null.
  Value mask;
  /// A constant mask: an i1 constant the rewrite materializes, or null.
  DenseElementsAttr maskConstant;
  /// Pair (i, j) attended only where j <= i.
  bool causal = false;
  /// The matched scale s (1 when there is none): scores are Q K^T * s.
  double scale = 1.0;
  /// The op whose single result the inhibitor op replaces, first, then every
  /// op between it and Q K^T. Each but the root has all of its uses inside
  /// the chain, so the whole chain is dead once the root is replaced.
  SmallVector<Operation *> chain;

  Operation *getRoot() const { return chain.front(); }
};

/// One piece of masking found between the scores and the softmax.
struct MaskPart {
  Value mask;                   // an i1 tensor (true = attend)
  DenseFPElementsAttr additive; // a constant of only 0 and -inf
  bool causal = false;          // j <= i attended
  explicit operator bool() const { return mask || additive || causal; }
};

//===----------------------------------------------------------------------===//
// Front-end matchers
//===----------------------------------------------------------------------===//

/// Attention in linalg on tensors, rooted at the P V matmul (or at the
/// `tensor.expand_shape` restoring batch x heads after it): named
/// `linalg.softmax` or its decomposition (torch-mlir's, upstream's).
FailureOr<AttentionMatch> matchLinalgAttention(Operation *root);

/// The scores X of weights P = softmax(X) over the last dim in linalg (named
/// or decomposed), appending the softmax's ops to `chain`; null if none.
Value matchLinalgSoftmax(Value weights, SmallVectorImpl<Operation *> &chain);

/// Masking of the scores by one linalg or arith op: sets `input` to the
/// scores it masks; an empty part if `op` is no mask.
MaskPart matchLinalgMask(Operation *op, Value &input);

/// Attention in TOSA, rooted at the P V `tosa.matmul` (or at the
/// `tosa.reshape` restoring batch x heads after it).
FailureOr<AttentionMatch> matchTosaAttention(Operation *root);

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

/// The value of a float constant scalar or splat tensor (`arith.constant`,
/// `tosa.const`, ...), also seen through `arith.truncf`/`arith.extf`.
std::optional<double> getSplatFloat(Value v);

/// The constant a tensor is filled with: a splat or a `linalg.fill` of one.
std::optional<double> getFilledFloat(Value v);

/// -inf or the type's lowest finite value (PyTorch's `finfo(dtype).min`).
bool isMaskingFloat(const APFloat &f);
/// A constant scalar or splat masking float.
bool isMaskingFloat(Value v);

/// A dense float constant of only 0 and -inf (an additive mask), or null.
DenseFPElementsAttr getConstantAdditiveMask(Value v);

/// True when `from` is [b..., R, C] and `to` is [B, R, C] with B the product
/// of b... (a collapse of leading batch dims, as reshapes around heads do).
bool isLeadingBatchCollapse(RankedTensorType from, RankedTensorType to);

/// True when every op of `chain` but the first has all of its uses in
/// `chain`.
bool isClosedChain(ArrayRef<Operation *> chain);

/// The input operand a block argument of `generic`'s body stands for, or
/// null when `v` is not an input block argument of `generic`.
OpOperand *getInputOperand(linalg::GenericOp generic, Value v);

/// The value a one-result generic yields.
Value getYielded(linalg::GenericOp generic);

/// A one-result, all-parallel generic on tensors with an identity output
/// map whose output block argument is unused, and at most `maxOps` ops in
/// its body (terminator included).
bool isElementwiseGeneric(linalg::GenericOp generic, unsigned maxOps);

/// Adds one mask part to `match`; fails when it already has one of its kind.
LogicalResult addMaskPart(AttentionMatch &match, const MaskPart &part);

/// Peels at most one scale and at most one mask, in either order, off the
/// scores (recording them in `match` and its chain); returns the scores
/// under them, or null when a second mask part of the same kind appears.
Value peelScaleAndMask(
    Value scores, AttentionMatch &match,
    llvm::function_ref<std::optional<double>(Operation *, Value &)> matchScale,
    llvm::function_ref<MaskPart(Operation *, Value &)> matchMask);

/// Checks shapes and types against the inhibitor verifier and the chain's
/// closure, and folds constant masks: a constant mask becomes an i1
/// constant, or `causal` when it is exactly the causal pattern.
LogicalResult finishMatch(AttentionMatch &match);

} // namespace mlir::inhibitor::attention

#endif // INHIBITOR_LIB_CONVERSION_ATTENTIONTOINHIBITOR_ATTENTIONMATCH_H
