//===- FHECostModel.cpp - Cost rules of --inhibitor-fhe-cost --------------===//
//
// Intervals of quantized values, the bootstrap time models and the rules
// that cost one scalar op or one reduction (docs/FHE.md).
//
//===----------------------------------------------------------------------===//

#include "FHECostModel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::inhibitor;

namespace mlir::inhibitor::fhe {

//===----------------------------------------------------------------------===//
// Bit widths and intervals
//===----------------------------------------------------------------------===//

/// Bits of an unsigned integer magnitude v >= 0.
static unsigned magnitudeBits(double v) {
  if (v < 1)
    return 0;
  return static_cast<unsigned>(std::floor(std::log2(std::floor(v)))) + 1;
}

/// The width Concrete gives an encrypted integer in [lo, hi]: unsigned when
/// lo >= 0, else one sign bit more (an i8 range needs 8, [-255, 255] 9).
unsigned bitsForRange(Interval r) {
  double lo = std::floor(r.lo), hi = std::ceil(r.hi);
  if (lo >= 0)
    return std::max(1u, magnitudeBits(hi));
  return 1 + std::max(magnitudeBits(-lo - 1), magnitudeBits(hi));
}

Interval hull(Interval a, Interval b) {
  return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)};
}
Interval addRange(Interval a, Interval b) { return {a.lo + b.lo, a.hi + b.hi}; }
Interval subRange(Interval a, Interval b) { return {a.lo - b.hi, a.hi - b.lo}; }
Interval mulRange(Interval a, Interval b) {
  double c[] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
  return {*std::min_element(c, c + 4), *std::max_element(c, c + 4)};
}
Interval scaleRange(Interval a, double s) { return mulRange(a, {s, s}); }
Interval absRange(Interval a) {
  if (a.lo >= 0)
    return a;
  if (a.hi <= 0)
    return {-a.hi, -a.lo};
  return {0, std::max(-a.lo, a.hi)};
}

/// Values that stand for "minus/plus infinity" in masks and reduction
/// inits: they never reach a ciphertext (a TFHE compiler folds them), so
/// they are left out of ranges.
bool isSentinel(double v) { return !std::isfinite(v) || std::abs(v) >= 1e30; }

/// Ranges of input data with no range analysis: the element type's range
/// (or `input-bits`), floats quantized to `input-bits` (default 8). This and
/// the interval rules of the ops are the whole range inference; when the
/// range analysis of --inhibitor-check-overflow lands it replaces this.
ValueInfo inferRangeFromTypesAndShapes(Type type, const CostOptions &opts) {
  ValueInfo info;
  Type elem = getElementTypeOrSelf(type);
  if (elem.isIndex() || elem.isInteger(1)) {
    info.range = {0, elem.isInteger(1) ? 1.0 : 0.0};
    return info; // clear: masks and sizes are public
  }
  info.encrypted = true;
  unsigned bits = opts.inputBits;
  if (!bits)
    bits = isa<IntegerType>(elem) ? elem.getIntOrFloatBitWidth() : 8;
  double b = static_cast<double>(bits);
  if (opts.unsignedInputs)
    info.range = {0, std::exp2(b) - 1};
  else
    info.range = {-std::exp2(b - 1), std::exp2(b - 1) - 1};
  return info;
}

/// An integer result that can exceed its type wraps (arith semantics): its
/// values then span the whole type.
Interval wrapToType(Interval r, Type type) {
  auto it = dyn_cast<IntegerType>(getElementTypeOrSelf(type));
  if (!it || it.getWidth() == 1 || it.getWidth() > 62)
    return r;
  double w = it.getWidth();
  double lo = -std::exp2(w - 1), hi = std::exp2(w - 1) - 1;
  if (r.lo < lo || r.hi > hi)
    return {lo, hi};
  return r;
}

/// The interval of a constant (scalar or elements), sentinels left out.
std::optional<Interval> constantRange(Attribute attr) {
  std::optional<Interval> r;
  auto addValue = [&](double v) {
    if (isSentinel(v))
      return;
    r = r ? hull(*r, {v, v}) : Interval{v, v};
  };
  if (auto i = dyn_cast<IntegerAttr>(attr)) {
    addValue(i.getType().isInteger(1)
                 ? static_cast<double>(i.getValue().getZExtValue())
                 : static_cast<double>(i.getValue().getSExtValue()));
  } else if (auto f = dyn_cast<FloatAttr>(attr)) {
    addValue(f.getValueAsDouble());
  } else if (auto d = dyn_cast<DenseElementsAttr>(attr)) {
    if (isa<IntegerType>(d.getElementType())) {
      bool isBool = d.getElementType().isInteger(1);
      for (const APInt &v : d.getValues<APInt>())
        addValue(isBool ? static_cast<double>(v.getZExtValue())
                        : static_cast<double>(v.getSExtValue()));
    } else if (isa<FloatType>(d.getElementType())) {
      for (const APFloat &v : d.getValues<APFloat>())
        addValue(v.convertToDouble());
    } else {
      return std::nullopt;
    }
    if (!r)
      r = Interval{0, 0};
  } else {
    return std::nullopt;
  }
  return r;
}

std::optional<double> scalarConstant(Attribute attr) {
  if (auto i = dyn_cast<IntegerAttr>(attr))
    return i.getType().isInteger(1)
               ? static_cast<double>(i.getValue().getZExtValue())
               : static_cast<double>(i.getValue().getSExtValue());
  if (auto f = dyn_cast<FloatAttr>(attr))
    return f.getValueAsDouble();
  if (auto d = dyn_cast<DenseElementsAttr>(attr); d && d.isSplat()) {
    if (isa<IntegerType>(d.getElementType()))
      return static_cast<double>(d.getSplatValue<APInt>().getSExtValue());
    if (isa<FloatType>(d.getElementType()))
      return d.getSplatValue<APFloat>().convertToDouble();
  }
  return std::nullopt;
}

bool isPowerOfTwo(double v) {
  v = std::abs(v);
  return v >= 1 && v == std::floor(v) &&
         std::exp2(std::round(std::log2(v))) == v;
}

uint64_t ceilLog2(uint64_t n) {
  uint64_t d = 0;
  while ((uint64_t(1) << d) < n)
    ++d;
  return d;
}

//===----------------------------------------------------------------------===//
// Bootstrap time models (sources: docs/FHE.md)
//===----------------------------------------------------------------------===//

/// Concrete: the optimizer's complexity of one table lookup per input width
/// (Concrete docs, "Performance tips": x // 2 on 2..8 bits and a 10-bit
/// lookup) times the seconds per complexity unit of their 8-bit timing
/// (0.318838 s for 1_217_510_420). 9 bits is the geometric mean of 8 and 10;
/// above 10 each bit multiplies by the 8 -> 10 growth per bit.
double concretePBSSeconds(unsigned bits) {
  static const double complexity[] = {
      29944416,  29944416,  29944416,   42154798,   61979934,  99198195,
      230210706, 535706740, 1217510420, 3334851599, 9134406574};
  const double secondsPerUnit = 0.318838 / 1217510420.0;
  double c;
  if (bits <= 10) {
    c = complexity[bits];
  } else {
    double perBit = std::sqrt(9134406574.0 / 1217510420.0);
    c = complexity[10] * std::pow(perBit, bits - 10.0);
  }
  return c * secondsPerUnit;
}

/// TFHE-rs: CPU keyswitch + PBS per message precision (2/4/6/8 bits, AWS
/// hpc7a, p-fail 2^-64). Odd widths are geometric means; below 2 bits the
/// 2-bit time, above 8 the 6 -> 8 growth per bit.
double tfhersPBSSeconds(unsigned bits) {
  static const double even[] = {11.0e-3, 11.0e-3, 14.9e-3, 118e-3, 873e-3};
  if (bits <= 2)
    return even[1];
  if (bits > 8)
    return even[4] * std::pow(std::sqrt(873.0 / 118.0), bits - 8.0);
  if (bits % 2 == 0)
    return even[bits / 2];
  return std::sqrt(even[bits / 2] * even[bits / 2 + 1]);
}

//===----------------------------------------------------------------------===//
// The cost rules
//===----------------------------------------------------------------------===//

Scalar clearScalar(Interval r, bool isStatic, uint64_t dims,
                   std::optional<double> c) {
  Scalar s;
  s.info.range = r;
  s.info.isStatic = isStatic;
  s.dims = dims;
  s.constant = c;
  return s;
}

FailureOr<Scalar> OpCoster::apply(ScalarKind kind, StringRef mathName,
                                  ArrayRef<Scalar> xs, ArrayRef<bool> single,
                                  Type resultType) {
  auto isSingle = [&](size_t i) { return i < single.size() && single[i]; };
  uint64_t dims = 0;
  int64_t pbsDepth = 0, mulDepth = 0;
  double pathSeconds = 0;
  bool anyEnc = false, allStatic = true;
  for (const Scalar &x : xs) {
    dims |= x.dims;
    pbsDepth = std::max(pbsDepth, x.info.pbsDepth);
    pathSeconds = std::max(pathSeconds, x.info.pathSeconds);
    mulDepth = std::max(mulDepth, x.info.mulDepth);
    anyEnc |= x.info.encrypted;
    allStatic &= x.info.isStatic;
  }
  uint64_t count = multiplicity(dims);

  // Nothing encrypted: cleartext arithmetic, free.
  if (!anyEnc && kind != ScalarKind::Select) {
    Interval r = xs.empty() ? Interval{} : xs[0].info.range;
    std::optional<double> c;
    if (xs.size() == 2) {
      Interval a = xs[0].info.range, b = xs[1].info.range;
      switch (kind) {
      case ScalarKind::Add:
        r = addRange(a, b);
        break;
      case ScalarKind::Sub:
        r = subRange(a, b);
        break;
      case ScalarKind::Mul:
        r = mulRange(a, b);
        break;
      case ScalarKind::Cmp:
        r = {0, 1};
        break;
      default:
        r = hull(a, b);
      }
    }
    if (kind == ScalarKind::Cast && !xs.empty())
      c = xs[0].constant;
    return clearScalar(r, allStatic, dims, c);
  }

  Scalar r;
  r.info.encrypted = true;
  r.info.pbsDepth = pbsDepth;
  r.info.pathSeconds = pathSeconds;
  r.info.mulDepth = mulDepth;
  r.dims = dims;

  switch (kind) {
  case ScalarKind::Cast: {
    Scalar s = xs[0];
    s.info.range = wrapToType(s.info.range, resultType);
    if (s.fusedEntry < 0)
      extendChain(s, xs[0], isSingle(0), 0, 0);
    return s;
  }
  case ScalarKind::Neg: {
    Scalar s = xs[0];
    s.info.range = {-s.info.range.hi, -s.info.range.lo};
    if (s.fusedEntry < 0)
      extendChain(s, xs[0], isSingle(0), 0, 0);
    return s;
  }
  case ScalarKind::Add:
  case ScalarKind::Sub: {
    const Scalar &a = xs[0], &b = xs[1];
    r.info.range = kind == ScalarKind::Add
                       ? addRange(a.info.range, b.info.range)
                       : subRange(a.info.range, b.info.range);
    // A constant offset of a lookup's output is folded into its table.
    const Scalar *enc = a.info.encrypted ? &a : &b;
    const Scalar &other = a.info.encrypted ? b : a;
    if (!other.info.encrypted && other.constant && enc->fusedEntry >= 0 &&
        isSingle(enc == &a ? 0 : 1)) {
      r.fusedEntry = enc->fusedEntry;
      return r;
    }
    cost.additions += count;
    if (!other.info.encrypted && other.constant)
      extendChain(r, *enc, isSingle(enc == &a ? 0 : 1), count, 0);
    return r;
  }
  case ScalarKind::Mul: {
    const Scalar &a = xs[0], &b = xs[1];
    r.info.range = mulRange(a.info.range, b.info.range);
    if (a.info.encrypted && b.info.encrypted) {
      r.info.pathSeconds += addCtCtMul(a.info.range, b.info.range, count);
      r.info.pbsDepth += 1;
      r.info.mulDepth += 1;
      return r;
    }
    const Scalar *enc = a.info.encrypted ? &a : &b;
    const Scalar &other = a.info.encrypted ? b : a;
    if (other.constant && enc->fusedEntry >= 0 && isSingle(enc == &a ? 0 : 1)) {
      r.fusedEntry = enc->fusedEntry;
      return r;
    }
    uint64_t muls = other.constant && *other.constant == 1.0 ? 0 : count;
    cost.ctClearMul += muls;
    if (other.constant)
      extendChain(r, *enc, isSingle(enc == &a ? 0 : 1), 0, muls);
    return r;
  }
  case ScalarKind::Div: {
    const Scalar &a = xs[0], &b = xs[1];
    bool isFloat = isa<FloatType>(getElementTypeOrSelf(resultType));
    if (a.info.encrypted && !b.info.encrypted && b.constant &&
        *b.constant != 0) {
      double c = *b.constant;
      r.info.range = scaleRange(a.info.range, 1.0 / c);
      if (!isFloat) {
        r.info.range = {std::floor(r.info.range.lo),
                        std::floor(r.info.range.hi)};
        if (!isPowerOfTwo(c)) // floor division: a lookup
          return lookup("div", a, isSingle(0), r.info.range);
      }
      // A float scale or a power of two: a change of encoding scale, folded
      // into the neighbouring lookups (fused when it follows one).
      if (a.fusedEntry >= 0 && isSingle(0)) {
        r.fusedEntry = a.fusedEntry;
        return r;
      }
      uint64_t muls = isFloat && std::abs(c) != 1.0 ? count : 0;
      cost.ctClearMul += muls;
      extendChain(r, a, isSingle(0), 0, muls);
      return r;
    }
    if (!a.info.encrypted && b.info.encrypted) {
      // c / x: one lookup.
      return lookup("reciprocal", b, isSingle(1), activationRange(true));
    }
    if (a.info.encrypted && b.info.encrypted) {
      // x / y = x * (1 / y): the reciprocal is looked up once per element
      // of y, then a ct-ct product.
      Scalar recip =
          lookup("reciprocal", b, isSingle(1), activationRange(true));
      r.info.range = mulRange(a.info.range, recip.info.range);
      double mulSeconds = addCtCtMul(a.info.range, recip.info.range, count);
      r.info.pathSeconds =
          std::max(a.info.pathSeconds, recip.info.pathSeconds) + mulSeconds;
      r.info.pbsDepth = std::max(a.info.pbsDepth, recip.info.pbsDepth) + 1;
      r.info.mulDepth = std::max(a.info.mulDepth, recip.info.mulDepth) + 1;
      return r;
    }
    // Encrypted / clear runtime value: a bivariate lookup on (x, y).
    r.info.range = absRange(a.info.range);
    r.fusedEntry = addPBS("div", a.info.range, count);
    r.info.pathSeconds += lookupSeconds(a.info.range);
    r.info.pbsDepth += 1;
    return r;
  }
  case ScalarKind::Rem:
    return lookup("rem", xs[0], isSingle(0),
                  {0, std::max(std::abs(xs[0].info.range.lo),
                               std::abs(xs[0].info.range.hi))});
  case ScalarKind::Max:
  case ScalarKind::Min: {
    const Scalar &a = xs[0], &b = xs[1];
    bool isMax = kind == ScalarKind::Max;
    Interval out = isMax ? Interval{std::max(a.info.range.lo, b.info.range.lo),
                                    std::max(a.info.range.hi, b.info.range.hi)}
                         : Interval{std::min(a.info.range.lo, b.info.range.lo),
                                    std::min(a.info.range.hi, b.info.range.hi)};
    if (a.info.encrypted != b.info.encrypted) {
      const Scalar &enc = a.info.encrypted ? a : b;
      const Scalar &other = a.info.encrypted ? b : a;
      if (other.constant) {
        // Skip a clamp that cannot change the value.
        if ((isMax && enc.info.range.lo >= *other.constant) ||
            (!isMax && enc.info.range.hi <= *other.constant)) {
          Scalar s = enc;
          return s;
        }
        StringRef k = *other.constant == 0 ? (isMax ? "relu" : "min0")
                                           : (isMax ? "max" : "min");
        return lookup(k, enc, isSingle(a.info.encrypted ? 0 : 1), out);
      }
    }
    // Two values (one may be a clear runtime value): one lookup on their
    // difference, max(a, b) = b + relu(a - b).
    r.info.range = out;
    addPBS(isMax ? "max" : "min", subRange(a.info.range, b.info.range), count);
    cost.additions += 2 * count;
    r.info.pathSeconds += lookupSeconds(subRange(a.info.range, b.info.range));
    r.info.pbsDepth += 1;
    return r;
  }
  case ScalarKind::Abs:
    return lookup("abs", xs[0], isSingle(0), absRange(xs[0].info.range));
  case ScalarKind::Cmp: {
    const Scalar &a = xs[0], &b = xs[1];
    if (a.info.encrypted != b.info.encrypted &&
        (a.info.encrypted ? b : a).constant)
      return lookup("cmp", a.info.encrypted ? a : b,
                    isSingle(a.info.encrypted ? 0 : 1), {0, 1});
    r.info.range = {0, 1};
    addPBS("cmp", subRange(a.info.range, b.info.range), count);
    cost.additions += count;
    r.info.pathSeconds += lookupSeconds(subRange(a.info.range, b.info.range));
    r.info.pbsDepth += 1;
    return r;
  }
  case ScalarKind::Select: {
    const Scalar &c = xs[0], &t = xs[1], &f = xs[2];
    Interval out = hull(t.info.range, f.info.range);
    // A sentinel side (-inf in a causal mask) is folded away: keep the
    // other side's range.
    if (t.constant && isSentinel(*t.constant))
      out = f.info.range;
    if (f.constant && isSentinel(*f.constant))
      out = t.info.range;
    if (!t.info.encrypted && !f.info.encrypted && !c.info.encrypted)
      return clearScalar(out, allStatic, dims);
    r.info.range = out;
    if (c.info.isStatic)
      return r; // the choice is known when compiling: no operation
    if (!c.info.encrypted) {
      // c * (t - f) + f with a clear c.
      cost.ctClearMul += count;
      cost.additions += 2 * count;
      return r;
    }
    r.info.pathSeconds +=
        addCtCtMul(c.info.range, subRange(t.info.range, f.info.range), count);
    cost.additions += 2 * count;
    r.info.pbsDepth += 1;
    r.info.mulDepth += 1;
    return r;
  }
  case ScalarKind::Reciprocal:
    return lookup("reciprocal", xs[0], isSingle(0), activationRange(true));
  case ScalarKind::Math: {
    bool nonNegative = mathName == "exp" || mathName == "exp2" ||
                       mathName == "sqrt" || mathName == "rsqrt" ||
                       mathName == "sigmoid";
    return lookup(mathName, xs[0], isSingle(0), activationRange(nonNegative));
  }
  case ScalarKind::ShiftRight:
  case ScalarKind::ShiftLeft: {
    // x >> c = floor(x / 2^c), x << c = x * 2^c for a constant c.
    if (!xs[0].info.encrypted || xs[1].info.encrypted || !xs[1].constant)
      break;
    Scalar factor = xs[1];
    factor.constant = std::exp2(*xs[1].constant);
    factor.info.range = {*factor.constant, *factor.constant};
    return apply(kind == ScalarKind::ShiftRight ? ScalarKind::Div
                                                : ScalarKind::Mul,
                 mathName, {xs[0], factor}, single, resultType);
  }
  case ScalarKind::Unknown:
    break;
  }
  return failure();
}

ValueInfo OpCoster::reduce(ScalarKind combiner, const Scalar &term,
                           const ValueInfo &init, bool initIsIdentity,
                           uint64_t outputs, uint64_t reduced) {
  ValueInfo r;
  r.encrypted = term.info.encrypted || init.encrypted;
  r.pbsDepth = std::max(term.info.pbsDepth, init.pbsDepth);
  r.pathSeconds = std::max(term.info.pathSeconds, init.pathSeconds);
  r.mulDepth = std::max(term.info.mulDepth, init.mulDepth);
  uint64_t combines = outputs * reduced - (initIsIdentity ? outputs : 0);
  Interval t = term.info.range;
  switch (combiner) {
  case ScalarKind::Add:
    r.range = {t.lo * static_cast<double>(reduced),
               t.hi * static_cast<double>(reduced)};
    if (!initIsIdentity)
      r.range = addRange(r.range, init.range);
    if (r.encrypted)
      cost.additions += combines;
    break;
  case ScalarKind::Max:
  case ScalarKind::Min:
    r.range = initIsIdentity ? t : hull(t, init.range);
    if (r.encrypted && combines) {
      addPBS(combiner == ScalarKind::Max ? "max" : "min", subRange(t, t),
             combines);
      cost.additions += 2 * combines;
      uint64_t levels = ceilLog2(reduced + (initIsIdentity ? 0 : 1));
      r.pbsDepth += levels;
      r.pathSeconds += levels * lookupSeconds(subRange(t, t));
    }
    break;
  default: { // Mul
    double n = static_cast<double>(reduced);
    double m = std::max(std::abs(t.lo), std::abs(t.hi));
    r.range = {-std::pow(m, n), std::pow(m, n)};
    if (r.encrypted && combines) {
      double mulSeconds = addCtCtMul(t, t, combines);
      r.pathSeconds += ceilLog2(reduced) * mulSeconds;
      r.pbsDepth += ceilLog2(reduced);
      r.mulDepth += ceilLog2(reduced);
    }
  }
  }
  return r;
}

/// The rule for a scalar op inside a linalg body.
ScalarKind classifyScalarOp(Operation *op, std::string &mathName) {
  return llvm::TypeSwitch<Operation *, ScalarKind>(op)
      .Case<arith::AddIOp, arith::AddFOp>([](auto) { return ScalarKind::Add; })
      .Case<arith::SubIOp, arith::SubFOp>([](auto) { return ScalarKind::Sub; })
      .Case<arith::MulIOp, arith::MulFOp>([](auto) { return ScalarKind::Mul; })
      .Case<arith::DivSIOp, arith::DivUIOp, arith::FloorDivSIOp,
            arith::CeilDivSIOp, arith::CeilDivUIOp, arith::DivFOp>(
          [](auto) { return ScalarKind::Div; })
      .Case<arith::RemSIOp, arith::RemUIOp, arith::RemFOp>(
          [](auto) { return ScalarKind::Rem; })
      .Case<arith::MaxSIOp, arith::MaxUIOp, arith::MaximumFOp,
            arith::MaxNumFOp>([](auto) { return ScalarKind::Max; })
      .Case<arith::MinSIOp, arith::MinUIOp, arith::MinimumFOp,
            arith::MinNumFOp>([](auto) { return ScalarKind::Min; })
      .Case<math::AbsIOp, math::AbsFOp>([](auto) { return ScalarKind::Abs; })
      .Case<arith::NegFOp>([](auto) { return ScalarKind::Neg; })
      .Case<arith::ShRSIOp, arith::ShRUIOp>(
          [](auto) { return ScalarKind::ShiftRight; })
      .Case<arith::ShLIOp>([](auto) { return ScalarKind::ShiftLeft; })
      .Case<arith::CmpIOp, arith::CmpFOp>([](auto) { return ScalarKind::Cmp; })
      .Case<arith::SelectOp>([](auto) { return ScalarKind::Select; })
      .Case<arith::ExtSIOp, arith::ExtUIOp, arith::TruncIOp, arith::ExtFOp,
            arith::TruncFOp, arith::SIToFPOp, arith::UIToFPOp, arith::FPToSIOp,
            arith::FPToUIOp, arith::IndexCastOp, arith::BitcastOp>(
          [](auto) { return ScalarKind::Cast; })
      .Default([&](Operation *o) {
        if (o->getDialect() && o->getDialect()->getNamespace() == "math" &&
            o->getNumOperands() == 1 && o->getNumResults() == 1) {
          mathName = o->getName().stripDialect().str();
          return ScalarKind::Math;
        }
        return ScalarKind::Unknown;
      });
}

} // namespace mlir::inhibitor::fhe
