//===- TilingInterfaceImpl.h - Tiles of the inhibitor ops -------*- C++ -*-===//
//
// Shared by the TilingInterface (TilingInterfaceImpl.cpp) and the
// PartialReductionOpInterface (PartialReductionImpl.cpp) of the ops.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_LIB_IR_TILINGINTERFACEIMPL_H
#define INHIBITOR_LIB_IR_TILINGINTERFACEIMPL_H

#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Interfaces/TilingInterface.h"

namespace mlir::inhibitor::detail {

/// The tile of `op` at (`offsets`, `sizes`) of its domain [b..., N, E, M]:
/// into the destination slice (adding the partial result of earlier key
/// tiles), or, with `partialDest`, into that tensor (overwritten: a partial
/// result of the tile's keys alone).
FailureOr<TilingResult> tileInhibit(InhibitOp op, OpBuilder &b,
                                    ArrayRef<OpFoldResult> offsets,
                                    ArrayRef<OpFoldResult> sizes,
                                    Value partialDest);
/// The same for attention.
FailureOr<TilingResult> tileAttention(AttentionOp op, OpBuilder &b,
                                      ArrayRef<OpFoldResult> offsets,
                                      ArrayRef<OpFoldResult> sizes,
                                      Value partialDest);

} // namespace mlir::inhibitor::detail

#endif // INHIBITOR_LIB_IR_TILINGINTERFACEIMPL_H
