//===- Passes.h - Conversions out of and into inhibitor ---------*- C++ -*-===//

#ifndef INHIBITOR_CONVERSION_PASSES_H
#define INHIBITOR_CONVERSION_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/InferIntRangeInterface.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace inhibitor {

#define GEN_PASS_DECL
#include "inhibitor/Conversion/Passes.h.inc"

/// Patterns lowering every inhibitor op to linalg on tensors. With
/// `transposeKey` the score reads a materialized K^T (keys in vector lanes on
/// CPUs); without, it reads K through a transposed indexing map. With
/// `sadScore`, scores of i8 data in an integer accumulator of 16 bits or more
/// are a byte sum of absolute differences instead: Q and K offset by 128,
/// the reduction over D innermost (what `--inhibitor-vectorize-sad` and
/// `--inhibitor-x86-psadbw` turn into x86 psadbw).
void populateInhibitorToLinalgPatterns(RewritePatternSet &patterns,
                                       bool transposeKey = true,
                                       bool sadScore = false,
                                       int64_t sadDimMultiple = 0);

/// Options of the fused, tiled lowering of inhibitor.attention.
struct FusedAttentionOptions {
  /// Tiles of `queryTile` queries x `keyTile` keys: Z never exists beyond
  /// one tile.
  int64_t queryTile = 32, keyTile = 128;
  /// The i8 score as byte sums of absolute differences, as for
  /// populateInhibitorToLinalgPatterns; `sadDimMultiple` (> 0) limits it to
  /// a static D that is a multiple of it.
  bool sadScore = false;
  int64_t sadDimMultiple = 0;
  /// Key tiles whose pairs are all extinguished (they add exactly 0 to H)
  /// skip their inhibition, and integer scores stop summing D (checked every
  /// `skipChunk` elements; 0: once, after all of D) once every pair of the
  /// tile is; where the integer bounds cannot prove this exact, the op is
  /// lowered without skipping and a remark says why (docs/KeySkipping.md).
  /// The bounds use `skipRanges` (element ranges of operand values, e.g.
  /// from upstream's IntegerRangeAnalysis; it must outlive the patterns) and
  /// the full range of the types elsewhere.
  bool skipKeys = false;
  int64_t skipChunk = 16;
  const DenseMap<Value, ConstantIntRanges> *skipRanges = nullptr;
  /// i8/i16 data under an i32/i64 accumulator: each key tile in i16, its
  /// sum widened once, where a run-time check on max|Q|, max|K| and max|V|
  /// shows every 16-bit value exact (the plain kernel otherwise;
  /// docs/Lowering.md). Not with `skipKeys`, nor for fewer than 5 static
  /// queries of 16-bit data or 3 of 8-bit data (decode: there the check,
  /// made per key tile, costs more than the narrow tiles save).
  bool narrowTiles = true;
  /// A copy of all of K (K^T, or K offset for the byte score) of this many
  /// bytes or more is not made where a static N has at most 16 query
  /// tiles: each query tile prepares its K tiles in the key loop. The
  /// default is glibc's largest mmap threshold, from which every such copy
  /// is a fresh mmap whose pages fault in on every call. 0: no limit.
  int64_t keyCopyLimit = int64_t(32) << 20;
};

/// Each inhibitor.attention under `root` whose query count N is dynamic and
/// not bounded by `queryTile` becomes an scf.if on N <= queryTile: there an
/// scf.index_switch takes N = 1..4 to the op on the first N rows of Q and H
/// (a static N, whose score reads K as stored), and any other N to the op
/// on the first min(N, queryTile) rows (all of them), which the fused
/// kernel bounds (ValueBoundsOpInterface) to one query tile that prepares
/// its K tiles in the key loop; otherwise the op as it was. With grouped
/// heads (folded into the queries, several rows per K/V head) only
/// N = 1..4 are split off.
/// Decode as front ends emit it (a dynamic N of a few queries) then reads K
/// and V once, without a copy of K (docs/Tiling.md).
void splitDynamicQueryCounts(Operation *root, int64_t queryTile);

/// The fused, tiled lowering of inhibitor.attention (preferred over the
/// unfused one when both are present).
void populateFusedAttentionToLinalgPatterns(
    RewritePatternSet &patterns, const FusedAttentionOptions &options = {});

/// Options of the attention rewrite: the pass options (defaults in
/// Passes.td).
using AttentionToInhibitorOptions = ConvertAttentionToInhibitorOptions;

/// Replaces dot-product attention in `function` by `inhibitor.attention`
/// (an architecture change, not an equivalence): the function is normalized
/// on a copy, which replaces it only when something was converted. Returns
/// the number of attention ops built.
unsigned
convertAttentionToInhibitor(FunctionOpInterface function,
                            const AttentionToInhibitorOptions &options);

#define GEN_PASS_REGISTRATION
#include "inhibitor/Conversion/Passes.h.inc"

} // namespace inhibitor
} // namespace mlir

#endif // INHIBITOR_CONVERSION_PASSES_H
