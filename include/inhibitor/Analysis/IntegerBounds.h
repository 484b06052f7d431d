//===- IntegerBounds.h - Exact bounds of inhibitor intermediates -*- C++
//-*-===//
//
// The one place where the value bounds of the inhibitor ops are written down
// (docs/IntegerWidths.md states them as formulas). Everything here is exact
// integer arithmetic, free of any accumulator width: a bound says which
// values an intermediate takes when nothing wraps, so that a caller can ask
// whether a given accumulator holds it and which is the narrowest one that
// does. The ops' InferIntRangeInterface, --inhibitor-check-overflow,
// --inhibitor-narrow-accumulators and the C API's default accumulator all
// call these functions.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_ANALYSIS_INTEGERBOUNDS_H
#define INHIBITOR_ANALYSIS_INTEGERBOUNDS_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <array>
#include <optional>
#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir::inhibitor::bounds {

/// A closed interval [lo, hi] of exact integers. Held in 256-bit two's
/// complement, which no bound of the ops can leave: inputs have at most 64
/// bits and dims at most 63, so a sum over two dims stays below 2^192.
class Interval {
public:
  static constexpr unsigned kBits = 256;

  Interval(int64_t lo, int64_t hi);
  /// Sign-extends (or truncates, for the rare wider value) to kBits.
  Interval(const APInt &lo, const APInt &hi);
  /// [-2^(width-1), 2^(width-1) - 1]: every value of a signless iN read as
  /// signed (SPEC section 2).
  static Interval ofSignedWidth(unsigned width);
  static Interval point(int64_t v) { return Interval(v, v); }

  const APInt &lo() const { return lower; }
  const APInt &hi() const { return upper; }

  /// True when iN holds every value (read as signed).
  bool fitsSignedWidth(unsigned width) const;
  /// The fewest bits N for which iN holds every value.
  unsigned signedWidth() const;
  /// The bound as values of width `width` (the caller checks it fits).
  APInt loAs(unsigned width) const { return lower.trunc(width); }
  APInt hiAs(unsigned width) const { return upper.trunc(width); }

  Interval join(const Interval &o) const;
  Interval operator+(const Interval &o) const;
  Interval operator-(const Interval &o) const;
  Interval operator-() const;
  /// {|x|}.
  Interval abs() const;
  /// {max(x, c)} and {min(x, c)}.
  Interval maxWith(int64_t c) const;
  Interval minWith(int64_t c) const;
  /// {floor(x / d)} for d > 0.
  Interval floorDiv(const APInt &d) const;
  /// {sum of `count` values from this interval} (count >= 0).
  Interval sumOf(const APInt &count) const;
  /// {sum of c values from this interval | minCount <= c <= maxCount}.
  Interval sumOfBetween(const APInt &minCount, const APInt &maxCount) const;

  bool operator==(const Interval &o) const {
    return lower == o.lower && upper == o.upper;
  }
  void print(llvm::raw_ostream &os) const;
  std::string str() const;

private:
  APInt lower, upper;
};

llvm::raw_ostream &operator<<(llvm::raw_ostream &os, const Interval &i);

/// The integer accumulator widths, narrowest first.
inline constexpr std::array<unsigned, 4> kAccumulatorWidths = {8, 16, 32, 64};

/// A bound, or none: a sum over a dynamic dim without a `max-dim` has none.
using Bound = std::optional<Interval>;

/// One intermediate value of the op's arithmetic (as every lowering of it
/// computes it) and the exact range of its values.
struct Intermediate {
  std::string name;
  Bound range;
  /// Which dynamic dim left it unbounded (for the message), if any.
  std::string unboundedBecause = {};
};

/// The intermediates of one op, in evaluation order, and its result.
struct OpBounds {
  SmallVector<Intermediate> intermediates;
  Bound result;

  /// True when every intermediate and the result are bounded and fit iN.
  bool fitsSignedWidth(unsigned width) const;
  /// The narrowest accumulator width among `candidates` (ascending) that
  /// holds every intermediate; none when no candidate does or some
  /// intermediate is unbounded.
  std::optional<unsigned> narrowestWidth(ArrayRef<unsigned> candidates) const;
  std::optional<unsigned> narrowestWidth() const {
    return narrowestWidth(ArrayRef<unsigned>(kAccumulatorWidths));
  }
  /// Appends `other`'s intermediates with `prefix` before their names.
  void append(const OpBounds &other, StringRef prefix);
};

/// The narrowest of `candidates` (ascending) holding `range`, if any.
std::optional<unsigned> narrowestWidthFor(const Interval &range,
                                          ArrayRef<unsigned> candidates);
inline std::optional<unsigned> narrowestWidthFor(const Interval &range) {
  return narrowestWidthFor(range, ArrayRef<unsigned>(kAccumulatorWidths));
}

/// A dim's size: its static size, a `max-dim` bound, or none (dynamic).
using DimBound = std::optional<int64_t>;

/// Inputs of the Manhattan score (SPEC section 1):
///   Z[i,j] = max(floor(sum_k |Q[i,k] - K[j,k]| / gamma) - alpha - B[i,j], 0)
struct ScoreInputs {
  Interval query, key;
  /// The additive bias B, if the op has one.
  std::optional<Interval> bias = std::nullopt;
  /// D, the length of the reduction.
  DimBound reduction = {};
  /// gamma > 0 and alpha >= 0 (the op's verifier guarantees both).
  APInt gamma = APInt(64, 1), alpha = APInt(64, 0);
};
OpBounds boundScore(const ScoreInputs &in);

/// How many keys a row of the inhibition sums, at least and at most.
struct KeyCount {
  int64_t atLeast = 0;
  DimBound atMost = {};
};
/// Keys attended by a row: M without masking; with `causal`, row i attends
/// min(i + 1, M) keys (so at most min(N, M), at least min(1, M)); with a
/// mask whose values are unknown, at least 0. A dynamic dim gives no upper
/// bound unless `maxDim` bounds it (then the caller passes it as the dim).
KeyCount attendedKeys(DimBound queries, DimBound keys, bool causal,
                      bool maskUnknown);

/// Inputs of the inhibition (SPEC eq. 4 and 5):
///   unsigned: H[i,e] = sum_j max(V[j,e] - Z[i,j], 0)
///   signed:   H[i,e] = sum_j max(V+[j,e] - Z[i,j], 0) + min(V-[j,e] + Z[i,j],
///   0)
struct InhibitInputs {
  Interval value;
  /// The score's range. A score without a bound (a dynamic D) is passed as
  /// the range it takes in its accumulator, [0, 2^(w-1) - 1]: max(., 0)
  /// keeps even a wrapped score there.
  Interval score;
  KeyCount keys = {};
  bool isSigned = false;
};
OpBounds boundInhibit(const InhibitInputs &in);

/// The attention composite H = inhibit(V, score(Q, K)): the score's
/// intermediates (named "score: ..."), then the inhibition's ("inhibit:
/// ..."). A score without a bound enters the inhibition with the values it
/// takes in an accumulator of `width` bits.
OpBounds boundAttention(const ScoreInputs &score, const Interval &value,
                        const KeyCount &keys, bool isSigned, unsigned width);

} // namespace mlir::inhibitor::bounds

#endif // INHIBITOR_ANALYSIS_INTEGERBOUNDS_H
