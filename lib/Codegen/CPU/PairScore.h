//===- PairScore.h - The i16 scores through min(q, k) -----------*- C++ -*-===//
//
// Used by TileAndVectorize.cpp; the generics it vectorizes are the scores
// of the fused kernel's tiles (lib/Conversion/InhibitorToLinalg): the plain
// tiles' i32 sums and the narrow tiles' 16-bit ones.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_LIB_CODEGEN_CPU_PAIRSCORE_H
#define INHIBITOR_LIB_CODEGEN_CPU_PAIRSCORE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::inhibitor {

/// The Manhattan score of i16 data, keys in lanes:
///
///   S[i, j] += sum_d |Q[i, d] - KT[d, j]|
///
/// a linalg.generic over (b..., i, d, j) (parallel, reduction, parallel;
/// batch loops of size 1) of static shapes, Q [1..., N, D] and KT [1...,
/// D, M] (K transposed) of i16, S [1..., N, M] of i32 or i16, computed as
/// sum q + sum k - 2 sum min(q, k) (|q - k| = q + k - 2 min(q, k)):
///
/// - i32 sums, q and k widened in the body, or Q of i32 that is a slice of
///   the sign extension of an i16 tensor (the plain tiles' query widened
///   once, which this reads at 16 bits again): D two at a time, two rows
///   of KT interleaved into one vector of (k[j, d], k[j, d + 1]) pairs,
///   each query's pair broadcast as one 32-bit word, the min in 16-bit
///   lanes summed pairwise into i32 lanes times -2 (`extsi` of the even
///   plus of the odd lanes, times -2; on x86 `--inhibitor-x86-pmaddwd`
///   makes it one pmaddwd with -2, which LLVM fuses with the add into
///   vpdpwssd on VNNI), the key pairs summed the same way. Exact in i32's
///   wrapping arithmetic. D must be even and 4 or more i32 lanes must
///   divide M.
/// - i16 sums (q and k as they are), only where the op carries
///   kExactDifferencesAttr (no q - k wraps; otherwise |wrapped q - k|
///   differs from |q - k| modulo 2^16): D one at a time, the min and the
///   sums in 16-bit lanes. 8 or more i16 lanes must divide M.
///
/// The query rows are summed once per row block (reduced and broadcast);
/// rows and key vectors in register blocks (up to 16 accumulators with
/// 512-bit vectors, 8 below, and one per key vector for the key sums).
/// Returns the new S, or failure where `op` is not of that form.
FailureOr<Value> vectorizePairScore16(RewriterBase &rewriter,
                                      linalg::GenericOp op, int64_t vectorBits);

} // namespace mlir::inhibitor

#endif // INHIBITOR_LIB_CODEGEN_CPU_PAIRSCORE_H
