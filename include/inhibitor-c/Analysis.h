//===- Analysis.h - C API of the inhibitor integer bounds ---------*- C -*-===//
//
// The accumulator an entry point picks for the user (SPEC section 2): the
// narrowest one the range analysis proves exact, from the same bound
// formulas as --inhibitor-check-overflow (docs/IntegerWidths.md).
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_C_ANALYSIS_H
#define INHIBITOR_C_ANALYSIS_H

#include "mlir-c/Support.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One integer `inhibitor.attention`: element widths, sizes and options.
typedef struct {
  /// Bits of the signed integer element type of Q and K, and of V.
  unsigned queryKeyBits, valueBits;
  /// Bits of the bias's values (0: no bias).
  unsigned biasBits;
  /// N (queries), M (keys) and D (the head dim), each >= 0.
  int64_t queries, keys, headDim;
  /// gamma > 0 and alpha >= 0.
  int64_t gamma, alpha;
  bool isSigned, causal;
  /// A mask operand whose values are not known (any pair may be masked).
  bool masked;
} InhibitorAttentionShape;

/// The narrowest of 8, 16, 32 and 64 bits, no narrower than any input,
/// whose signed accumulator holds every intermediate of the attention
/// (differences, the sum over D, the score, the inhibition's terms and its
/// partial sums over M) for all inputs of the given widths: then no value
/// wraps and the result is exact. 0 when no such accumulator exists (for
/// example 64-bit inputs, whose differences need 65 bits) or the arguments
/// are invalid.
MLIR_CAPI_EXPORTED unsigned
inhibitorAttentionAccumulatorBits(const InhibitorAttentionShape *shape);

#ifdef __cplusplus
}
#endif

#endif // INHIBITOR_C_ANALYSIS_H
