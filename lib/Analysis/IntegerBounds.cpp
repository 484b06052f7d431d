//===- IntegerBounds.cpp - Exact bounds of inhibitor intermediates --------===//
//
// The bound formulas of docs/IntegerWidths.md. Each function follows the
// arithmetic of SPEC section 1 step by step, as the lowerings evaluate it,
// and records the exact range of every step.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Analysis/IntegerBounds.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>

using namespace mlir;
using namespace mlir::inhibitor::bounds;
using llvm::APInt;

static APInt big(int64_t v) { return APInt(Interval::kBits, v, true); }
static APInt big(const APInt &v) { return v.sextOrTrunc(Interval::kBits); }
static const APInt &smin(const APInt &a, const APInt &b) {
  return a.slt(b) ? a : b;
}
static const APInt &smax(const APInt &a, const APInt &b) {
  return a.sgt(b) ? a : b;
}

//===----------------------------------------------------------------------===//
// Interval
//===----------------------------------------------------------------------===//

Interval::Interval(int64_t lo, int64_t hi) : lower(big(lo)), upper(big(hi)) {}
Interval::Interval(const APInt &lo, const APInt &hi)
    : lower(big(lo)), upper(big(hi)) {}

Interval Interval::ofSignedWidth(unsigned width) {
  return Interval(APInt::getSignedMinValue(width),
                  APInt::getSignedMaxValue(width));
}

bool Interval::fitsSignedWidth(unsigned width) const {
  return lower.isSignedIntN(width) && upper.isSignedIntN(width);
}

unsigned Interval::signedWidth() const {
  return std::max(lower.getSignificantBits(), upper.getSignificantBits());
}

Interval Interval::join(const Interval &o) const {
  return Interval(smin(lower, o.lower), smax(upper, o.upper));
}
Interval Interval::operator+(const Interval &o) const {
  return Interval(lower + o.lower, upper + o.upper);
}
Interval Interval::operator-(const Interval &o) const {
  return Interval(lower - o.upper, upper - o.lower);
}
Interval Interval::operator-() const { return Interval(-upper, -lower); }

Interval Interval::abs() const {
  APInt a = lower.abs(), b = upper.abs();
  if (!lower.isStrictlyPositive() && !upper.isNegative())
    return Interval(big(0), smax(a, b)); // 0 inside
  return Interval(smin(a, b), smax(a, b));
}

Interval Interval::maxWith(int64_t c) const {
  APInt cv = big(c);
  return Interval(smax(lower, cv), smax(upper, cv));
}
Interval Interval::minWith(int64_t c) const {
  APInt cv = big(c);
  return Interval(smin(lower, cv), smin(upper, cv));
}

Interval Interval::floorDiv(const APInt &d) const {
  APInt dv = big(d);
  return Interval(
      llvm::APIntOps::RoundingSDiv(lower, dv, APInt::Rounding::DOWN),
      llvm::APIntOps::RoundingSDiv(upper, dv, APInt::Rounding::DOWN));
}

Interval Interval::sumOf(const APInt &count) const {
  APInt c = big(count);
  return Interval(lower * c, upper * c);
}

Interval Interval::sumOfBetween(const APInt &minCount,
                                const APInt &maxCount) const {
  // Linear in the count: the extremes sit at one of the two ends.
  Interval a = sumOf(minCount), b = sumOf(maxCount);
  return a.join(b);
}

void Interval::print(llvm::raw_ostream &os) const {
  os << "[" << llvm::toString(lower, 10, /*Signed=*/true) << ", "
     << llvm::toString(upper, 10, /*Signed=*/true) << "]";
}

std::string Interval::str() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  print(os);
  return s;
}

llvm::raw_ostream &mlir::inhibitor::bounds::operator<<(llvm::raw_ostream &os,
                                                       const Interval &i) {
  i.print(os);
  return os;
}

//===----------------------------------------------------------------------===//
// OpBounds
//===----------------------------------------------------------------------===//

bool OpBounds::fitsSignedWidth(unsigned width) const {
  if (!result || !result->fitsSignedWidth(width))
    return false;
  return llvm::all_of(intermediates, [&](const Intermediate &i) {
    return i.range && i.range->fitsSignedWidth(width);
  });
}

std::optional<unsigned>
OpBounds::narrowestWidth(ArrayRef<unsigned> candidates) const {
  for (unsigned w : candidates)
    if (fitsSignedWidth(w))
      return w;
  return std::nullopt;
}

void OpBounds::append(const OpBounds &other, StringRef prefix) {
  for (const Intermediate &i : other.intermediates)
    intermediates.push_back(
        {(prefix + i.name).str(), i.range, i.unboundedBecause});
}

std::optional<unsigned>
mlir::inhibitor::bounds::narrowestWidthFor(const Interval &range,
                                           ArrayRef<unsigned> candidates) {
  for (unsigned w : candidates)
    if (range.fitsSignedWidth(w))
      return w;
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// The score
//===----------------------------------------------------------------------===//

OpBounds mlir::inhibitor::bounds::boundScore(const ScoreInputs &in) {
  OpBounds b;
  auto add = [&](StringRef name, Bound range, StringRef why = {}) {
    b.intermediates.push_back({name.str(), range, why.str()});
  };
  add("query", in.query);
  add("key", in.key);
  // Q and K are widened first; the difference and its absolute value are
  // the first steps that can leave the input type.
  Interval diff = in.query - in.key;
  add("q - k", diff);
  Interval absDiff = diff.abs();
  add("|q - k|", absDiff);
  if (!in.reduction) {
    // Every later step depends on the sum over an unbounded D.
    const char *why = "D is dynamic";
    add("sum over D", std::nullopt, why);
    add("/ gamma", std::nullopt, why);
    add("- alpha", std::nullopt, why);
    if (in.bias) {
      add("bias", *in.bias);
      add("- bias", std::nullopt, why);
    }
    b.result = std::nullopt;
    return b;
  }
  // Every partial sum lies in [0, D max|q - k|] (the terms are >= 0), so
  // bounding the whole sum bounds the partial sums of any order.
  Interval sum = absDiff.sumOf(APInt(64, *in.reduction));
  add("sum over D", sum);
  Interval scaled = sum.floorDiv(in.gamma);
  add("/ gamma", scaled);
  Interval shifted = scaled - Interval(in.alpha, in.alpha);
  add("- alpha", shifted);
  if (in.bias) {
    add("bias", *in.bias);
    shifted = shifted - *in.bias;
    add("- bias", shifted);
  }
  b.result = shifted.maxWith(0);
  return b;
}

//===----------------------------------------------------------------------===//
// The inhibition
//===----------------------------------------------------------------------===//

KeyCount mlir::inhibitor::bounds::attendedKeys(DimBound queries, DimBound keys,
                                               bool causal, bool maskUnknown) {
  KeyCount c;
  c.atMost = keys;
  if (causal && queries)
    c.atMost = keys ? std::min(*keys, *queries) : *queries;
  // A dynamic M may be 0; a static one is summed in full unless masked.
  c.atLeast = keys ? *keys : 0;
  if (causal)
    c.atLeast = std::min<int64_t>(c.atLeast, 1);
  if (maskUnknown)
    c.atLeast = 0;
  return c;
}

OpBounds mlir::inhibitor::bounds::boundInhibit(const InhibitInputs &in) {
  OpBounds b;
  auto add = [&](StringRef name, Bound range, StringRef why = {}) {
    b.intermediates.push_back({name.str(), range, why.str()});
  };
  const Interval &v = in.value, &z = in.score;
  add("value", v);
  add("score", z);
  // One key's term t = H's contribution of pair (i, j), for one e.
  std::optional<Interval> term;
  if (!in.isSigned) {
    Interval diff = v - z;
    add("v - z", diff);
    term = diff.maxWith(0);
  } else {
    // max(V+ - Z, 0) + min(V- + Z, 0): for V >= 0 the first part, for
    // V < 0 the second (the other part is 0). The lowering of attention
    // evaluates it as V - clamp(V, -Z, Z), whose steps -Z and the clamp lie
    // within these ranges too.
    add("-z", -z);
    Interval pos = v.maxWith(0), neg = v.minWith(0);
    Interval posDiff = pos - z, negSum = neg + z;
    add("v+ - z", posDiff);
    add("v- + z", negSum);
    if (!v.hi().isNegative()) // some V >= 0
      term = posDiff.maxWith(0);
    if (v.lo().isNegative()) { // some V < 0
      Interval negTerm = negSum.minWith(0);
      term = term ? term->join(negTerm) : negTerm;
    }
  }
  add("term", *term);
  if (!in.keys.atMost) {
    const char *why = "M is dynamic";
    add("partial sums over M", std::nullopt, why);
    b.result = std::nullopt;
    return b;
  }
  APInt most(64, *in.keys.atMost), least(64, in.keys.atLeast);
  // Masked pairs add 0, attended ones a term: a partial sum adds at most
  // `most` terms, any prefix of them, in any order (tiles included).
  Interval partial = term->join(Interval::point(0)).sumOf(most);
  add("partial sums over M", partial);
  b.result = term->sumOfBetween(least, most);
  return b;
}

OpBounds mlir::inhibitor::bounds::boundAttention(const ScoreInputs &score,
                                                 const Interval &value,
                                                 const KeyCount &keys,
                                                 bool isSigned,
                                                 unsigned width) {
  OpBounds z = boundScore(score);
  InhibitInputs in{value, z.result ? *z.result
                                   : Interval(APInt::getZero(width),
                                              APInt::getSignedMaxValue(width))};
  in.keys = keys;
  in.isSigned = isSigned;
  OpBounds h = boundInhibit(in);
  OpBounds all;
  all.append(z, "score: ");
  all.append(h, "inhibit: ");
  all.result = h.result;
  return all;
}
