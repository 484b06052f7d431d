//===- InhibitorOps.h - Inhibitor ops ---------------------------*- C++ -*-===//

#ifndef INHIBITOR_IR_INHIBITOROPS_H
#define INHIBITOR_IR_INHIBITOROPS_H

#include "inhibitor/IR/InhibitorDialect.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/InferIntRangeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"

namespace mlir::inhibitor {

//===----------------------------------------------------------------------===//
// Shape rules shared by the verifiers, the lowerings and the attention
// rewrite (one definition of mask/bias broadcasting and of grouped heads).
//===----------------------------------------------------------------------===//

/// NumPy broadcasting of an operand of `shape` onto `target`: right-aligned,
/// rank(shape) <= rank(target), and each dim is a static 1 (broadcast), equal
/// to the target's, or dynamic on either side (then equal at run time). The
/// rule of the `mask` and `bias` operands against the score shape.
bool isBroadcastableTo(ArrayRef<int64_t> shape, ArrayRef<int64_t> target);

/// The first dim of `shape` that does not broadcast to `target` (its index
/// in `shape`), -1 when the ranks do not fit, std::nullopt when it
/// broadcasts.
std::optional<int64_t> findBroadcastMismatch(ArrayRef<int64_t> shape,
                                             ArrayRef<int64_t> target);

/// The indexing expressions that read an operand of `shape`, broadcast to a
/// target whose dims are indexed by `targetExprs` (one per target dim):
/// right-aligned, a static size-1 dim reads index 0.
SmallVector<AffineExpr> getBroadcastExprs(ArrayRef<int64_t> shape,
                                          ArrayRef<AffineExpr> targetExprs);

/// Grouped heads: for the batch sizes of the query side (Q, the score, the
/// result) and of the key/value side (K, V), the group factor of each batch
/// dim: 1 where the sizes are the same (or either is dynamic: equal at run
/// time), `q / kv` where both are static and differ (query head h reads
/// key/value head h / g), the query size where the key/value size is a
/// static 1 (broadcast; ShapedType::kDynamic if the query size is dynamic).
/// Fails where a static key/value size does not divide the static query
/// size.
FailureOr<SmallVector<int64_t>> getHeadGroups(ArrayRef<int64_t> queryBatch,
                                              ArrayRef<int64_t> kvBatch);

/// Combines the static sizes of several shapes of one rank, dim by dim:
/// the static size where any shape knows it, dynamic otherwise.
SmallVector<int64_t> combineStaticShapes(ArrayRef<ArrayRef<int64_t>> shapes);

/// x xor 0x80 on an i8 tensor (a linalg.generic): the two's complement value
/// x + 128 as an unsigned byte. Differences, hence |q - k|, are unchanged by
/// the common offset: the operands of the byte score, and what an
/// attention's `biased_keys` holds.
Value offsetBytes(OpBuilder &b, Location loc, Value x);

} // namespace mlir::inhibitor

#define GET_OP_CLASSES
#include "inhibitor/IR/InhibitorOps.h.inc"

#endif // INHIBITOR_IR_INHIBITOROPS_H
