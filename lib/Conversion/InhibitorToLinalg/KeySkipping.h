//===- KeySkipping.h - Exact skipping of extinguished keys ------*- C++ -*-===//
//
// Internal to lib/Conversion/InhibitorToLinalg: what the fused kernel
// (FusedAttentionToLinalg.cpp) calls when `skip-keys` is on. A pair (i, j)
// is extinguished when it adds exactly 0 to every H[i, :]; a key tile whose
// pairs are all extinguished skips its inhibition, and the score of an
// integer tile stops summing D as soon as every pair is (docs/KeySkipping.md).
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_LIB_CONVERSION_INHIBITORTOLINALG_KEYSKIPPING_H
#define INHIBITOR_LIB_CONVERSION_INHIBITORTOLINALG_KEYSKIPPING_H

#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/InferIntRangeInterface.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>

namespace mlir::inhibitor {

/// How a key tile finds its pairs extinguished.
enum class KeySkipTest {
  /// Integers without a bias: the partial sum S of |q - k| against a
  /// per-key threshold T_j on the sum itself (one compare per pair).
  SumAtLeast,
  /// Integers with a bias: floor(S / gamma) - alpha - B[i,j], the score
  /// before max(., 0), against a per-key bound U_j.
  ScoreAtLeast,
  /// Floats: the whole score Z against the per-key bound (no early exit
  /// over D: a NaN in the rest of D would be hidden).
  FloatScoreAtLeast,
};

/// The key skipping of one attention op: chosen by planKeySkipping.
struct KeySkipPlan {
  KeySkipTest test = {};
  /// D elements summed between two checks (0: one check after all of D).
  int64_t chunk = 0;
  /// Per key, [b..., M] of the accumulator type (V's batch dims): T_j,
  /// U_j or the float bound (see KeySkipTest).
  Value thresholds = {};
  /// A dynamic D: skipping is exact for D <= maxD only; the caller checks
  /// at run time and runs the plain kernel for larger D.
  std::optional<int64_t> maxD = std::nullopt;
  /// The pre-filter (SumAtLeast, static sizes that the tiles divide): per
  /// query tile and per key tile the bounding boxes of the rows,
  /// [b..., tiles, D], and per key tile the largest threshold [b..., tiles].
  Value queryLo = {}, queryHi = {}, keyLo = {}, keyHi = {},
        tileMaxThreshold = {};
};

/// Whether skipping is exact for `op` (ints: the integer bounds prove that
/// no intermediate of the score and of one key's term can wrap, for operands
/// spanning `ranges`, looked up through reshapes, or else their types). If so,
/// builds the per-key thresholds at `b`'s insertion point; if not, emits a
/// remark saying why and returns nullopt (the caller lowers the plain kernel).
/// `chunk` is the option (0: all of D); `chunkMultiple` (> 0) rounds it up (the
/// SAD score's vector width).
std::optional<KeySkipPlan>
planKeySkipping(OpBuilder &b, AttentionOp op, int64_t chunk,
                int64_t chunkMultiple,
                const DenseMap<Value, ConstantIntRanges> *ranges,
                int64_t queryTile, int64_t keyTile);

/// TileBoxes.cpp: per tile of `tile` rows of x [b..., R, D] (R a multiple
/// of tile), the least or largest value of each column in `acc`.
Value buildTileBoxes(OpBuilder &b, Location loc, Value x, int64_t tile,
                     Type acc, bool largest);
/// The largest of each `tile` consecutive thresholds [b..., M].
Value buildTileMaxThreshold(OpBuilder &b, Location loc, Value thresholds,
                            int64_t tile);
/// sum_d max(0, kLo - qHi, qLo - kHi) of boxes of one shape, a scalar: a
/// lower bound of the sum of |q - k| of every pair in the boxes.
Value blockScoreLowerBound(OpBuilder &b, Location loc, Value qLo, Value qHi,
                           Value kLo, Value kHi);

/// One key tile of the fused kernel: operand slices with unit batch dims.
struct KeyTileOperands {
  /// Q [b..., tn, D]; K^T [b..., D, tm], or with `sad` both offset by 128
  /// and K as [b..., tm, D].
  Value query = {}, key = {};
  bool sad = false;
  /// V [b..., tm, E], the thresholds [b..., tm], optional bias (acc) and
  /// widened mask (i8) tiles broadcastable to [b..., tn, tm].
  Value value = {}, thresholds = {}, bias = {}, mask = {};
  /// The H accumulator [b..., tn, E] and an empty [b..., tn, tm] tile.
  Value h = {}, scoreDest = {};
  /// Global index of the tile's first query (plus the op's `causal_offset`)
  /// and key.
  Value rowOffset = {}, colOffset = {};
  /// With the pre-filter: the block's boxes [b..., 1, D] and its largest
  /// threshold [b..., 1].
  Value queryLo = {}, queryHi = {}, keyLo = {}, keyHi = {}, maxThreshold = {};
  /// K^T [b..., D, tm] (true) or K as stored, [b..., tm, D] (false: the
  /// decode form; always with `sad`).
  bool keyTransposed = true;
  /// `h` holds -H and the inhibition is split (InhibitOptions::
  /// negatedAccumulator): a skipped tile adds 0 either way.
  bool negatedAccumulator = false;
};

/// H + the inhibition of the tile, where the score sums D by chunks while
/// some pair is alive and the inhibition runs only if one still is.
Value lowerKeyTileWithSkipping(OpBuilder &b, Location loc, AttentionOp op,
                               const KeySkipPlan &plan,
                               const KeyTileOperands &tile);

} // namespace mlir::inhibitor

#endif // INHIBITOR_LIB_CONVERSION_INHIBITORTOLINALG_KEYSKIPPING_H
