//===- LoweringUtils.h - Pieces of the inhibitor-to-linalg lowering -*- C++
//-*-===//
//
// Internal to lib/Conversion/InhibitorToLinalg: the linalg.generic builders
// that the unfused patterns (ScoreToLinalg.cpp, InhibitToLinalg.cpp) and the
// fused kernel (FusedAttentionToLinalg.cpp) share.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_LIB_CONVERSION_INHIBITORTOLINALG_LOWERINGUTILS_H
#define INHIBITOR_LIB_CONVERSION_INHIBITORTOLINALG_LOWERINGUTILS_H

#include "inhibitor/IR/InhibitorOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::inhibitor {

/// Arithmetic in the accumulator type: integer ops wrap, float ops follow
/// IEEE (max/min propagate NaN).
struct AccumulatorArith {
  OpBuilder &b;
  Location loc;
  Type acc;
  Value zeroValue = {};

  bool isInt() const { return isa<IntegerType>(acc); }
  Value constant(TypedAttr attr) {
    return arith::ConstantOp::create(b, loc, attr).getResult();
  }
  Value zero() {
    if (!zeroValue)
      zeroValue = constant(b.getZeroAttr(acc));
    return zeroValue;
  }
  Value widen(Value v) {
    if (v.getType() == acc)
      return v;
    if (isInt())
      return arith::ExtSIOp::create(b, loc, acc, v).getResult();
    return arith::ExtFOp::create(b, loc, acc, v).getResult();
  }
  Value add(Value x, Value y) {
    if (isInt())
      return arith::AddIOp::create(b, loc, x, y).getResult();
    return arith::AddFOp::create(b, loc, x, y).getResult();
  }
  Value sub(Value x, Value y) {
    if (isInt())
      return arith::SubIOp::create(b, loc, x, y).getResult();
    return arith::SubFOp::create(b, loc, x, y).getResult();
  }
  Value abs(Value x) {
    if (isInt())
      return math::AbsIOp::create(b, loc, x).getResult();
    return math::AbsFOp::create(b, loc, x).getResult();
  }
  Value max(Value x, Value y) {
    if (isInt())
      return arith::MaxSIOp::create(b, loc, x, y).getResult();
    return arith::MaximumFOp::create(b, loc, x, y).getResult();
  }
  Value min(Value x, Value y) {
    if (isInt())
      return arith::MinSIOp::create(b, loc, x, y).getResult();
    return arith::MinimumFOp::create(b, loc, x, y).getResult();
  }
  /// x / gamma: floor division for integers (an arithmetic shift when gamma
  /// is a power of two), IEEE division for floats. gamma == 1 is a no-op.
  Value divideByGamma(Value x, TypedAttr gamma) {
    if (auto intGamma = dyn_cast<IntegerAttr>(gamma)) {
      const APInt &g = intGamma.getValue();
      if (g.isOne())
        return x;
      if (g.isPowerOf2())
        return arith::ShRSIOp::create(
                   b, loc, x, constant(IntegerAttr::get(acc, g.logBase2())))
            .getResult();
      return arith::FloorDivSIOp::create(b, loc, x, constant(gamma))
          .getResult();
    }
    if (cast<FloatAttr>(gamma).getValue().isExactlyValue(1.0))
      return x;
    return arith::DivFOp::create(b, loc, x, constant(gamma)).getResult();
  }
  /// One key's contribution to H[i, e] (SPEC eq. 4 and 5). Each op is
  /// built in its own statement: the order of a call's arguments is up to
  /// the compiler, and the IR must not be (GCC and clang builds print the
  /// same IR).
  Value inhibition(Value v, Value z, bool isSigned, bool scoreNonNegative) {
    Value c0 = zero();
    if (!isSigned) {
      Value d = sub(v, z);
      return max(d, c0);
    }
    // For Z >= 0 (a score computed here: max(., 0)) eq. 5 equals
    // V - clamp(V, -Z, Z), bit for bit also under wrapping (no step can
    // overflow): 4 ops per pair instead of 7.
    if (scoreNonNegative) {
      Value negZ = sub(c0, z);
      Value lo = min(v, z);
      Value clamped = max(lo, negZ);
      return sub(v, clamped);
    }
    Value pos = max(v, c0);
    Value neg = min(v, c0);
    Value negPart = add(neg, z);
    Value negRelu = min(negPart, c0);
    Value posPart = sub(pos, z);
    Value posRelu = max(posPart, c0);
    return add(posRelu, negRelu);
  }
};

SmallVector<utils::IteratorType> iterators(int64_t numLoops,
                                           int64_t reductionDim);

/// Map from the (b..., x, y, z) iteration space to (b..., dims...). A batch
/// dim in `broadcast` (a key/value dim of size 1 read by every query head)
/// reads index 0.
AffineMap batchedMap(MLIRContext *ctx, int64_t numBatch, ArrayRef<int64_t> dims,
                     ArrayRef<bool> broadcast = {});

Value fillZero(OpBuilder &b, Location loc, Value dest);

/// How the unfused patterns lower a score.
struct ScoreLowering {
  bool transposeKey = true;
  bool sadScore = false;
  /// With sadScore: only for a static D that is a multiple of this (0: any).
  int64_t sadDimMultiple = 0;
};

/// K [b..., M, D] -> K^T [b..., D, M]: O(M D) work that lets the score put
/// keys in vector lanes with unit-stride loads.
Value transposeKeyForScore(OpBuilder &b, Location loc, Value key);

/// K [b..., M, D] -> [b..., M / tile, D, tile]: K^T of each tile of `tile`
/// keys, contiguous (one tile is one block of memory, where K^T's rows of a
/// tile lie M elements apart). M must be a multiple of `tile` (checked where
/// static; a dynamic M is the caller's whole tiles).
Value transposeKeyTiled(OpBuilder &b, Location loc, Value key, int64_t tile);

/// Z = max(s / gamma - alpha - B, 0) elementwise on the sums `sum`
/// [b..., N, M]; the bias B (optional) broadcasts to it (a static size-1 dim
/// reads index 0).
Value lowerScoreEpilogue(OpBuilder &b, Location loc, Value sum, TypedAttr gamma,
                         TypedAttr alpha, Value bias);

/// Z = max(sum_k |q - k| / gamma - alpha - B, 0) into `dest` [b..., N, M],
/// from Q [b..., N, D] and K^T [b..., D, M] (or K when !keyIsTransposed);
/// `kvBroadcast` marks the batch dims in which K has one head (size 1).
/// The iteration space is (b..., i, k, j): the reduction over D sits in the
/// middle and the keys are innermost, so a vectorized tile adds whole
/// vectors of keys (no horizontal reductions).
/// `exactDifferences`: the caller knows that no q - k overflows the
/// accumulator (the narrow tiles behind their magnitude check); the sums'
/// generic then carries kExactDifferencesAttr (InhibitorDialect.h).
Value lowerScore(OpBuilder &b, Location loc, Value query, Value keyT,
                 Value dest, TypedAttr gamma, TypedAttr alpha, Value bias,
                 ArrayRef<bool> kvBroadcast, bool keyIsTransposed = true,
                 bool exactDifferences = false);

/// The score with D innermost, from Q [b..., N, D] and K [b..., M, D] as
/// stored (one head per batch dim): iteration space (b..., i, j, k), the
/// reduction over D innermost and contiguous in both (the fused kernel's
/// decode form: no K^T copy, and no strided reads of K).
Value lowerScoreKeyRows(OpBuilder &b, Location loc, Value query, Value key,
                        Value dest, TypedAttr gamma, TypedAttr alpha,
                        Value bias);

/// `x` with its integer elements extended to `to`, sign- or zero- (one
/// elementwise linalg.generic).
Value widenElements(OpBuilder &b, Location loc, Value x, Type to,
                    bool isSigned = true);

/// The sums sum_k |q - k| of lowerScore added to `init` [b..., N, M] (no
/// epilogue): the fused kernel's key skipping sums D a chunk at a time.
Value lowerScoreSum(OpBuilder &b, Location loc, Value query, Value keyT,
                    Value init, ArrayRef<bool> kvBroadcast,
                    bool keyIsTransposed = true, bool exactDifferences = false);

/// The score of Q and K (both [b..., rows, D]) into `dest`, in the form the
/// options and types select.
Value lowerScoreFor(OpBuilder &b, Location loc, Value query, Value key,
                    Value dest, TypedAttr gamma, TypedAttr alpha, Value bias,
                    ArrayRef<bool> kvBroadcast,
                    const ScoreLowering &scoreLowering);

/// Whether the score of `inputType` data in `acc` may run as a byte sum of
/// absolute differences: i8 inputs and an integer accumulator that holds
/// every |q - k| <= 255 (16 bits or more). For such accumulators the
/// accumulator's wrapping sum of |q - k| equals the exact sum truncated to
/// its width, whatever order the partial sums are added in.
bool isSADScore(Type inputType, Type acc);

/// isSADScore, and the length D of the rows (ShapedType::kDynamic if
/// unknown) is a multiple of `dimMultiple` (0: any D, dynamic included).
bool useSADScore(Value query, Type acc, int64_t dimMultiple);

/// The score as a byte sum of absolute differences (isSADScore types), from
/// Q and K already offset by 128 (offsetBytes), both [b..., rows, D]:
/// iteration space (b..., i, j, k) with the reduction over D innermost and
/// contiguous in both operands, body `z + |zext(q) - zext(k)|` in the
/// accumulator. This is the form of x86's psadbw (and of LLVM's SAD
/// combine); `--inhibitor-vectorize-sad` and `--inhibitor-x86-psadbw`
/// vectorize it with the instruction.
Value lowerScoreSAD(OpBuilder &b, Location loc, Value queryU, Value keyU,
                    Value dest, TypedAttr gamma, TypedAttr alpha, Value bias,
                    ArrayRef<bool> kvBroadcast);

/// The byte sums of lowerScoreSAD added to `init` (no epilogue).
Value lowerScoreSADSum(OpBuilder &b, Location loc, Value queryU, Value keyU,
                       Value init, ArrayRef<bool> kvBroadcast);

/// How the inhibition generic treats masking and its destination.
struct InhibitOptions {
  bool isSigned = false;
  /// i8 mask (0 = masked out) broadcastable to the score tile, or null.
  Value mask = {};
  bool causal = false;
  /// Global index of the tile's first query / key (causal in a tile: pairs
  /// colOffset + j <= rowOffset + i, signed), the query's plus the op's
  /// `causal_offset` where it has one.
  Value rowOffset = {}, colOffset = {};
  /// Add to `dest` instead of overwriting it.
  bool accumulate = false;
  /// Z >= 0 is known (computed by the score lowering).
  bool scoreNonNegative = false;
  /// Batch dims in which V (one head) is read by every query head.
  SmallVector<bool> kvBroadcast = {};
  /// `dest` and the result hold -H, and the inhibition is split as
  /// -H - sum_j V + sum_j clamp(V, -Z, Z): 3 ops per pair and value column
  /// instead of 4, exact modulo 2^w. Only with `accumulate`, an integer
  /// accumulator, the signed form, Z >= 0 and no mask or causal (every pair
  /// attended); the caller negates the final sum (`negate`).
  bool negatedAccumulator = false;
};

/// dest[b..., i, e] - sum_j V[b..., j, e], in dest's element type (the
/// value sum of the split signed inhibition, InhibitOptions).
Value subtractValueSum(OpBuilder &b, Location loc, Value value, Value dest,
                       ArrayRef<bool> kvBroadcast);

/// The split signed inhibition's clamp sum for 16-bit V under a 32-bit
/// accumulator, its clamps in 16 bits: dest[b..., i, e] + sum_j
/// sext(clamp(V[b..., j, e], -Z, Z)) (Z = `score` [b..., N, M] >= 0, in
/// dest's type), with Z saturated once into two 16-bit bounds, hi =
/// min(Z, 32767) and lo = -min(Z, 32768): for 16-bit V, clamp(V, lo, hi)
/// equals clamp(V, -Z, Z) for every Z >= 0. One tile of the fused kernel
/// (one head per batch dim, nothing broadcast); the sum is a linalg.generic
/// that `--inhibitor-tile-and-vectorize` emits with 16-bit lanes
/// (lib/Codegen/CPU/ClampSum.h).
Value lowerClampSum16(OpBuilder &b, Location loc, Value value, Value score,
                      Value dest);

/// The fused kernel's narrow mode (NarrowPartialSums.cpp): i8/i16 data, an
/// integer accumulator wider than 16 bits, no bias, and gamma and alpha
/// (0 <= alpha) that fit in `type` (i16). Each key tile's score and
/// inhibition run in `type`; the tile's sum is widened once.
struct NarrowPartialSums {
  IntegerType type = {};
  IntegerAttr gamma = {}, alpha = {};
  /// The condition holds without a run-time check, for key tiles of
  /// `keyTile` keys (or the op's static M if fewer): the op's
  /// `narrow_sums` covers them, or the data's
  /// element types and a static D bound every value (8-bit data with
  /// D <= 127).
  bool proven = false;
};
std::optional<NarrowPartialSums> planNarrowPartialSums(AttentionOp op,
                                                       int64_t keyTile);

/// The run-time condition under which the narrow mode is exact:
/// D * (max|Q| + max|K|) and keyTile * max|V| fit in the narrow type.
Value checkNarrowPartialSums(OpBuilder &b, Location loc, AttentionOp op,
                             const NarrowPartialSums &plan, int64_t keyTile);

/// The run-time condition under which no q - k of the op's integer data
/// wraps in the data's type: max|Q| + max|K| <= its signed maximum (then
/// sum |q - k| = sum q + sum k - 2 sum min(q, k) in any wrapping
/// accumulator, kExactDifferencesAttr).
Value checkExactDifferences(OpBuilder &b, Location loc, AttentionOp op);

/// max |x| over all of `x` (integers of at most 16 bits) as an i64 scalar.
Value maxAbsOf(OpBuilder &b, Location loc, Value x);

/// The same condition for one key tile: D * (`maxQuery` + max|kTile|) and
/// `keyTile` * max|vTile| fit in the plan's narrow type (`maxQuery` from
/// maxAbsOf of Q; `kTile`, `vTile` the tile's K (either layout) and V
/// slices).
Value checkNarrowKeyTile(OpBuilder &b, Location loc,
                         const NarrowPartialSums &plan, Value d, Value maxQuery,
                         Value kTile, Value vTile, int64_t keyTile);

/// wide + sext(narrow), elementwise (same shape).
Value addWidened(OpBuilder &b, Location loc, Value wide, Value narrow);

/// -x, elementwise, in place on a tensor of integers or floats.
Value negate(OpBuilder &b, Location loc, Value x);

/// The mask as i8 (0 or 1). LLVM stores vectors of i1 bit-packed while a
/// memref of i1 holds one byte per element, so vector loads of i1 memory
/// read the wrong bits; the i8 copy (O(mask) work, left scalar by the
/// vectorizing pass) is what the vectorized inhibition reads.
Value widenMask(OpBuilder &b, Location loc, Value mask);

/// H[b..., i, e] = sum_j inhibition(V[j, e], Z[i, j]) over attended pairs.
Value lowerInhibit(OpBuilder &b, Location loc, Value value, Value score,
                   Value dest, const InhibitOptions &opts);

/// Grouped heads after GroupedHeadsToLinalg.cpp: per batch dim of `op`
/// (manhattan_score, inhibit or attention), whether the key/value side is a
/// single head (size 1) read by every query head. Dims that group several
/// key/value heads are split before the lowerings see them.
template <typename OpTy> SmallVector<bool> getKVBroadcast(OpTy op) {
  SmallVector<bool> broadcast;
  for (int64_t g : op.getHeadGroups())
    broadcast.push_back(g != 1);
  return broadcast;
}

/// True when a batch dim of `op` groups several key/value heads (Hkv > 1,
/// `kvSide` the key/value operands): the grouped-heads patterns split it
/// first.
bool hasMultiHeadGroups(ArrayRef<int64_t> headGroups, ArrayRef<Value> kvSide);

/// Grouped heads: a batch dim of Hq query heads and Hkv > 1 key/value heads
/// becomes two dims, (Hkv, g) on the query side and (Hkv, 1) on the
/// key/value side (tensor.expand_shape), and the result collapses back.
void populateGroupedHeadsToLinalgPatterns(RewritePatternSet &patterns);

/// The unfused patterns: the score, and the inhibition and the composite
/// (its score materialized), to linalg on tensors.
void populateScoreToLinalgPatterns(RewritePatternSet &patterns,
                                   const ScoreLowering &scoreLowering);
void populateInhibitToLinalgPatterns(RewritePatternSet &patterns,
                                     const ScoreLowering &scoreLowering);

} // namespace mlir::inhibitor

#endif // INHIBITOR_LIB_CONVERSION_INHIBITORTOLINALG_LOWERINGUTILS_H
