//===- FHECostModel.h - Cost rules of --inhibitor-fhe-cost ------*- C++ -*-===//
//
// Internal to lib/Analysis: the value model (intervals of quantized
// integers), the cost record, the scalar rules and the bootstrap time models
// of --inhibitor-fhe-cost. docs/FHE.md describes the model and its sources.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_LIB_ANALYSIS_FHECOSTMODEL_H
#define INHIBITOR_LIB_ANALYSIS_FHECOSTMODEL_H

#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <map>
#include <optional>
#include <string>

namespace mlir::inhibitor::fhe {

/// Closed interval of the (quantized, integer) values a ciphertext holds.
struct Interval {
  double lo = 0, hi = 0;
};

/// What the analysis knows about an SSA value (for a tensor: about all of its
/// elements).
struct ValueInfo {
  bool encrypted = false;
  /// Known at compile time (constants, loop indices): selects on it are free.
  bool isStatic = false;
  Interval range;
  int64_t pbsDepth = 0, mulDepth = 0;
  /// Bootstrap seconds on the longest path to this value (the time with
  /// unlimited parallelism).
  double pathSeconds = 0;
  /// The single value of a constant splat or fill (also a sentinel).
  std::optional<double> splat;
};

/// Bootstraps of one kind at one input width.
struct PBSEntry {
  std::string kind;
  unsigned bits;
  uint64_t count;
};

/// The cost of one op (or, summed, of a function).
struct Cost {
  SmallVector<PBSEntry> pbs;
  uint64_t ctctMul = 0, ctClearMul = 0, additions = 0;
  int64_t pbsDepth = 0, mulDepth = 0;
  double pathSeconds = 0;

  uint64_t pbsTotal() const {
    uint64_t n = 0;
    for (const PBSEntry &e : pbs)
      n += e.count;
    return n;
  }
  unsigned maxBits() const {
    unsigned m = 0;
    for (const PBSEntry &e : pbs)
      if (e.count)
        m = std::max(m, e.bits);
    return m;
  }
  std::map<unsigned, uint64_t> byBits() const {
    std::map<unsigned, uint64_t> m;
    for (const PBSEntry &e : pbs)
      if (e.count)
        m[e.bits] += e.count;
    return m;
  }
  std::map<std::string, std::map<unsigned, uint64_t>> byKind() const {
    std::map<std::string, std::map<unsigned, uint64_t>> m;
    for (const PBSEntry &e : pbs)
      if (e.count)
        m[e.kind][e.bits] += e.count;
    return m;
  }
  bool empty() const {
    return pbsTotal() == 0 && ctctMul == 0 && ctClearMul == 0 && additions == 0;
  }
  void add(const Cost &o) {
    pbs.append(o.pbs.begin(), o.pbs.end());
    ctctMul += o.ctctMul;
    ctClearMul += o.ctClearMul;
    additions += o.additions;
  }
};

/// One line of the report.
struct OpReport {
  std::string name, loc;
  Cost cost;
  double seconds = 0;
};

struct FunctionReport {
  std::string name;
  SmallVector<OpReport> ops;
  Cost total;
  double seconds = 0;
};

/// A scalar inside an op's iteration space: what is known about it, the loop
/// dims it depends on (its multiplicity), its constant value, and the lookup
/// that produced it when further univariate functions can fuse into it.
struct Scalar {
  ValueInfo info;
  uint64_t dims = 0;
  std::optional<double> constant;
  int fusedEntry = -1;
  /// Set when this value is a chain of linear ops with constants (offsets,
  /// scales, casts) applied to one ciphertext: the chain's input, and the
  /// additions / ct-clear products it was charged. A lookup on the value
  /// looks up the chain's input instead and refunds them (Concrete fuses
  /// the chain into the table: relu(s / gamma - alpha) is one lookup on s).
  std::optional<Interval> chainInput = std::nullopt;
  uint64_t chainAdds = 0, chainMuls = 0;
};

/// What a scalar op is, for the cost rules.
enum class ScalarKind {
  Add,
  Sub,
  Mul,
  Div,
  Rem,
  Max,
  Min,
  Abs,
  Neg,
  Cmp,
  Select,
  Cast,
  Reciprocal,
  Math,
  /// Shifts by a constant: a division / product by a power of two.
  ShiftRight,
  ShiftLeft,
  Unknown
};

struct CostOptions {
  unsigned inputBits, activationBits, roundToBits;
  bool unsignedInputs;
  /// Seconds of one bootstrap at a width (the `model`).
  double (*pbsSeconds)(unsigned);
};

//===----------------------------------------------------------------------===//
// Intervals, constants and time models (FHECostModel.cpp)
//===----------------------------------------------------------------------===//

unsigned bitsForRange(Interval r);
Interval hull(Interval a, Interval b);
Interval addRange(Interval a, Interval b);
Interval subRange(Interval a, Interval b);
Interval mulRange(Interval a, Interval b);
Interval scaleRange(Interval a, double s);
Interval absRange(Interval a);
bool isSentinel(double v);
ValueInfo inferRangeFromTypesAndShapes(Type type, const CostOptions &opts);
Interval wrapToType(Interval r, Type type);
std::optional<Interval> constantRange(Attribute attr);
std::optional<double> scalarConstant(Attribute attr);
bool isPowerOfTwo(double v);
uint64_t ceilLog2(uint64_t n);
double concretePBSSeconds(unsigned bits);
double tfhersPBSSeconds(unsigned bits);
Scalar clearScalar(Interval r, bool isStatic, uint64_t dims,
                   std::optional<double> c = std::nullopt);
ScalarKind classifyScalarOp(Operation *op, std::string &mathName);

/// Costs one op: holds its Cost, the loop bounds of its iteration space and
/// applies the per-scalar rules of docs/FHE.md.
class OpCoster {
public:
  OpCoster(const CostOptions &opts, Cost &cost, ArrayRef<int64_t> bounds)
      : opts(opts), cost(cost), bounds(bounds) {}

  uint64_t multiplicity(uint64_t dims) const {
    uint64_t n = 1;
    for (auto [d, b] : llvm::enumerate(bounds))
      if (dims & (uint64_t(1) << d))
        n *= static_cast<uint64_t>(b);
    return n;
  }
  uint64_t allDims() const {
    return bounds.size() >= 64 ? ~uint64_t(0)
                               : (uint64_t(1) << bounds.size()) - 1;
  }

  /// Records `count` lookups of `kind` on an input in `input`; returns the
  /// entry index (for fusion).
  /// Seconds of one lookup on `input` (with its rounding, if any).
  double lookupSeconds(Interval input) const {
    unsigned bits = bitsForRange(input);
    if (opts.roundToBits && bits > opts.roundToBits)
      return 2 * opts.pbsSeconds(opts.roundToBits);
    return opts.pbsSeconds(bits);
  }

  int addPBS(StringRef kind, Interval input, uint64_t count) {
    unsigned bits = bitsForRange(input);
    if (opts.roundToBits && bits > opts.roundToBits) {
      cost.pbs.push_back({"round", opts.roundToBits, count});
      bits = opts.roundToBits;
    }
    cost.pbs.push_back({kind.str(), bits, count});
    return static_cast<int>(cost.pbs.size()) - 1;
  }

  /// x * y for two ciphertexts as Concrete does it: ((x+y)^2 - (x-y)^2)/4,
  /// two lookups of the width of x+y / x-y.
  /// Returns the seconds it adds to a path (its two lookups run side by
  /// side).
  double addCtCtMul(Interval a, Interval b, uint64_t count) {
    Interval sum = addRange(a, b), diff = subRange(a, b);
    addPBS("mul", hull(sum, diff), 2 * count);
    cost.ctctMul += count;
    return lookupSeconds(hull(sum, diff));
  }

  Interval activationRange(bool nonNegative) const {
    double b = opts.activationBits;
    if (nonNegative)
      return {0, std::exp2(b) - 1};
    return {-std::exp2(b - 1), std::exp2(b - 1) - 1};
  }

  /// A univariate nonlinear function of x: fused into the lookup that
  /// produced x when x has no other use, else a new lookup.
  Scalar lookup(StringRef kind, const Scalar &x, bool xSingleUse,
                Interval out) {
    Scalar r;
    r.info.encrypted = true;
    r.info.range = out;
    r.info.mulDepth = x.info.mulDepth;
    r.dims = x.dims;
    if (x.fusedEntry >= 0 && xSingleUse) {
      PBSEntry &e = cost.pbs[x.fusedEntry];
      if (!StringRef(e.kind).ends_with(kind))
        e.kind += "+" + kind.str();
      r.fusedEntry = x.fusedEntry;
      r.info.pbsDepth = x.info.pbsDepth;
      r.info.pathSeconds = x.info.pathSeconds;
      return r;
    }
    Interval input = x.info.range;
    if (x.chainInput && xSingleUse) {
      input = *x.chainInput;
      cost.additions -= x.chainAdds;
      cost.ctClearMul -= x.chainMuls;
    }
    r.fusedEntry = addPBS(kind, input, multiplicity(x.dims));
    r.info.pbsDepth = x.info.pbsDepth + 1;
    r.info.pathSeconds = x.info.pathSeconds + lookupSeconds(input);
    return r;
  }

  /// `r` = a linear op with constants on `x`, charged `adds` additions and
  /// `muls` ct-clear products: extends x's chain (when x has no other use)
  /// or starts one at x.
  static void extendChain(Scalar &r, const Scalar &x, bool xSingleUse,
                          uint64_t adds, uint64_t muls) {
    bool continues = x.chainInput && xSingleUse;
    r.chainInput = continues ? *x.chainInput : x.info.range;
    r.chainAdds = (continues ? x.chainAdds : 0) + adds;
    r.chainMuls = (continues ? x.chainMuls : 0) + muls;
  }

  /// Applies a scalar rule. `single[i]` says whether operand i has no other
  /// use (for fusion).
  FailureOr<Scalar> apply(ScalarKind kind, StringRef mathName,
                          ArrayRef<Scalar> xs, ArrayRef<bool> single,
                          Type resultType);

  /// A reduction combining `term` into an output of `outputs` elements over
  /// `reduced` iterations each, by `combiner` (Add, Max, Min or Mul).
  ValueInfo reduce(ScalarKind combiner, const Scalar &term,
                   const ValueInfo &init, bool initIsIdentity, uint64_t outputs,
                   uint64_t reduced);

  const CostOptions &opts;
  Cost &cost;
  ArrayRef<int64_t> bounds;
};

/// The FHE cost of every op of a function, walked in order.
class FunctionCoster {
public:
  FunctionCoster(const CostOptions &opts, double (*pbsSeconds)(unsigned))
      : opts(opts), pbsSeconds(pbsSeconds) {}

  LogicalResult run(func::FuncOp func, FunctionReport &report);

private:
  ValueInfo getInfo(Value v);
  void setResults(Operation *op, ValueInfo info);
  LogicalResult costOp(Operation *op, Cost &cost);
  LogicalResult costLinalg(linalg::LinalgOp op, Cost &cost);
  LogicalResult costSoftmax(linalg::SoftmaxOp op, Cost &cost);
  LogicalResult costScore(ManhattanScoreOp op, Cost &cost);
  LogicalResult costInhibit(InhibitOp op, Cost &cost);
  LogicalResult costAttention(AttentionOp op, Cost &cost);
  LogicalResult costTosa(Operation *op, Cost &cost);
  LogicalResult costElementwise(Operation *op, ScalarKind kind,
                                StringRef mathName, ValueRange operands,
                                Cost &cost);

  const CostOptions &opts;
  double (*pbsSeconds)(unsigned);
  DenseMap<Value, ValueInfo> infos;
};

} // namespace mlir::inhibitor::fhe

#endif // INHIBITOR_LIB_ANALYSIS_FHECOSTMODEL_H
