//===- ClampSum.h - The 16-bit clamp sum into 32-bit sums -------*- C++ -*-===//
//
// Used by TileAndVectorize.cpp; the generic it vectorizes is made by the
// fused kernel's plain tiles (lib/Conversion/InhibitorToLinalg,
// lowerClampSum16).
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_LIB_CODEGEN_CPU_CLAMPSUM_H
#define INHIBITOR_LIB_CODEGEN_CPU_CLAMPSUM_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::inhibitor {

/// The clamp sum of the split signed inhibition with 16-bit clamps:
///
///   H[i, e] += sum_j sext(max(min(V[j, e], hi[i, j]), lo[i, j]))
///
/// a linalg.generic over (b..., i, j, e) (parallel, reduction, parallel;
/// batch loops of size 1) of static shapes, V [1..., M, E], hi and lo
/// [1..., N, M] of i16, H [1..., N, E] of i32, with that body. Emits the
/// vector loop nest: rows in register blocks (up to 16 accumulators with
/// 512-bit vectors, 8 with narrower ones), the keys innermost, V in
/// 16-bit lanes (twice the i32 lanes), the clamps in 16 bits and each
/// vector's even and odd lanes sign-extended into two i32 accumulators
/// (`--inhibitor-x86-pmaddwd` makes each a pmaddwd with a 0/1 mask, which
/// LLVM fuses with the add into vpdpwssd where the target has VNNI), the
/// two interleaved into H's order once per row block. Returns the new H,
/// or failure where `op` is not of that form or no power of two of at
/// least 8 lanes, up to a native vector (vectorBits / 16), divides E.
FailureOr<Value> vectorizeClampSum16(RewriterBase &rewriter,
                                     linalg::GenericOp op, int64_t vectorBits);

/// True if `op` runs over (b..., x, y, z) with only y a reduction, every
/// batch loop of static size 1, and operand k indexed by (b..., dims[k])
/// (dims over x = 0, y = 1, z = 2), one entry per operand, inits last.
bool hasBatchedForm(linalg::GenericOp op,
                    ArrayRef<std::pair<int64_t, int64_t>> dims);

/// `v` without its leading unit dims (a static shape whose dims before the
/// last `keep` are 1), through one tensor.collapse_shape.
Value dropLeadingUnitDims(OpBuilder &b, Location loc, Value v, int64_t keep);

/// The inverse: `v` expanded to `ty`, whose extra leading dims are 1.
Value restoreLeadingUnitDims(OpBuilder &b, Location loc, Value v,
                             RankedTensorType ty);

} // namespace mlir::inhibitor

#endif // INHIBITOR_LIB_CODEGEN_CPU_CLAMPSUM_H
