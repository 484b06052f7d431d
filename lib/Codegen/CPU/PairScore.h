//===- PairScore.h - The full-range i16 score in pairs of D -----*- C++ -*-===//
//
// Used by TileAndVectorize.cpp; the generic it vectorizes is the score of
// the fused kernel's plain tiles (lib/Conversion/InhibitorToLinalg).
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_LIB_CODEGEN_CPU_PAIRSCORE_H
#define INHIBITOR_LIB_CODEGEN_CPU_PAIRSCORE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::inhibitor {

/// The Manhattan score of i16 data into i32 sums, keys in lanes:
///
///   S[i, j] += sum_d |Q[i, d] - KT[d, j]|
///
/// a linalg.generic over (b..., i, d, j) (parallel, reduction, parallel;
/// batch loops of size 1) of static shapes, Q [1..., N, D] and KT [1...,
/// D, M] (K transposed) of i16 widened in the body, or Q of i32 that is a
/// slice of the sign extension of an i16 tensor (the plain tiles' query
/// widened once, which this reads at 16 bits again), S [1..., N, M] of i32.
/// |q - k| = max(q, k) - min(q, k) exactly, so the vector loop nest takes
/// D two at a time: two rows of KT interleaved into one vector of (k[j,
/// d], k[j, d + 1]) pairs, each query's pair broadcast as one 32-bit word,
/// max and min in 16-bit lanes, and each of the two summed pairwise into
/// i32 lanes (`extsi` of the even plus of the odd lanes; on x86
/// `--inhibitor-x86-pmaddwd` makes each one pmaddwd, with 1 or -1, which
/// LLVM fuses with the add into vpdpwssd on VNNI). Rows and key vectors in
/// register blocks (up to 16 accumulators with 512-bit vectors, 8 below).
/// Returns the new S, or failure where `op` is not of that form, D is odd,
/// or the i32 lanes of a native vector (vectorBits / 32, at least 4) do
/// not divide M.
FailureOr<Value> vectorizePairScore16(RewriterBase &rewriter,
                                      linalg::GenericOp op, int64_t vectorBits);

} // namespace mlir::inhibitor

#endif // INHIBITOR_LIB_CODEGEN_CPU_PAIRSCORE_H
