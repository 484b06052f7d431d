//===- Quantize.cpp - Float inhibitor ops to integer ones -----------------===//
//
// --inhibitor-quantize: each float inhibitor op becomes the integer op of the
// same kind between elementwise quantize and dequantize linalg.generic ops.
// The ops are positively homogeneous (scaling Q, K, V, alpha by s > 0 scales
// Z and H by s; scaling Q, K and gamma by c leaves Z unchanged), so one scale
// s per op (the unit of V, Z, H and alpha) and one integer gamma lose only
// rounding. docs/Quantization.md derives the error bound computed here.
//
//===----------------------------------------------------------------------===//

#include "TransformUtils.h"
#include "inhibitor/IR/InhibitorOps.h"
#include "inhibitor/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#include "llvm/ADT/StringSwitch.h"

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORQUANTIZE
#include "inhibitor/Transforms/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;

static constexpr llvm::StringLiteral kScaleAttr = "inhibitor.quant_scale";
static constexpr llvm::StringLiteral kQKScaleAttr = "inhibitor.quant_qk_scale";
static constexpr llvm::StringLiteral kErrorBoundAttr =
    "inhibitor.quant_error_bound";

namespace {
enum class Rounding { NearestEven, NearestAway, Floor, TowardZero };

/// The settings of one run of the pass.
struct QuantizeSettings {
  unsigned bits = 8;    // width of the integer inputs
  unsigned accBits = 0; // 0: the narrowest width the bounds prove exact
  Rounding rounding = Rounding::NearestEven;
  double scale = 0;   // fallback for ops without kScaleAttr (0: none)
  double qkScale = 0; // fallback for ops without kQKScaleAttr (0: = scale)

  int64_t qmax() const { return (int64_t(1) << (bits - 1)) - 1; }
};

/// The integer form of one op's constants.
struct OpQuantization {
  double scale = 1;      // s: one unit of V, Z, H and alpha
  double qkScale = 1;    // t = gamma * s / g: one unit of Q and K
  int64_t gamma = 1;     // g
  int64_t alpha = 0;     // alpha / s, rounded
  double alphaError = 0; // |alpha - s * alpha_int| / s
  Type computeType;      // float type the scaling happens in
  double roundingBound;  // max |q - x / t| per element (no saturation)
};
} // namespace

/// `x` as printf's %.10g (diagnostics say 0.2, not 2.000000e-01).
static std::string formatNumber(double x) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.10g", x);
  return buf;
}

static double roundOnHost(double x, Rounding mode) {
  switch (mode) {
  case Rounding::NearestEven:
    return std::nearbyint(x); // the default environment rounds to even
  case Rounding::NearestAway:
    return std::round(x);
  case Rounding::Floor:
    return std::floor(x);
  case Rounding::TowardZero:
    return std::trunc(x);
  }
  llvm_unreachable("unknown rounding mode");
}

/// f32 for f16/bf16/f32 accumulators, f64 for f64: the type quantize and
/// dequantize compute in (a narrow type could not hold 2^15 - 1 steps
/// exactly). Every input is at most as wide as the accumulator.
static Type computeTypeFor(Type element) {
  auto f = cast<FloatType>(element);
  return f.getWidth() >= 64 ? Type(f) : Type(Float32Type::get(f.getContext()));
}

/// One scale (kScaleAttr / kQKScaleAttr on the op, else the pass option).
static FailureOr<double> readScale(Operation *op, StringRef attrName,
                                   double fallback) {
  if (Attribute attr = op->getAttr(attrName)) {
    auto f = dyn_cast<FloatAttr>(attr);
    double v = f ? f.getValueAsDouble() : 0;
    if (!f || !(v > 0) || !std::isfinite(v))
      return op->emitOpError()
             << "'" << attrName << "' must be a positive finite float, got "
             << attr;
    return v;
  }
  return fallback;
}

/// Scales, integer gamma and alpha of `op` (whose float gamma and alpha are
/// given), or a diagnostic. `accElement` is the op's float accumulator.
static FailureOr<OpQuantization>
deriveQuantization(Operation *op, bool hasScore, double gammaF, double alphaF,
                   Type accElement, const QuantizeSettings &settings) {
  FailureOr<double> s = readScale(op, kScaleAttr, settings.scale);
  if (failed(s))
    return failure();
  if (*s == 0)
    return op->emitOpError()
           << "has no quantization scale: set the '" << kScaleAttr
           << "' attribute (a calibration) or the pass option 'scale'";
  FailureOr<double> t =
      hasScore ? readScale(op, kQKScaleAttr, settings.qkScale) : *s;
  if (failed(t))
    return failure();
  OpQuantization q;
  q.scale = *s;
  double wantT = *t == 0 ? *s : *t;
  // The largest integer g with t = gamma * s / g >= the wanted Q/K step, so
  // that the calibrated range of Q and K never saturates (the 1e-9 keeps an
  // exact ratio such as 4.0 from rounding down to 3).
  double ratio = gammaF * q.scale / wantT;
  double g = std::floor(ratio * (1 + 1e-9));
  if (g < 1) {
    op->emitWarning() << "gamma * scale / qk-scale = " << formatNumber(ratio)
                      << " < 1: Q and K are quantized in steps of gamma * "
                         "scale = "
                      << formatNumber(gammaF * q.scale)
                      << ", finer than qk-scale, and saturate beyond "
                      << formatNumber(gammaF * q.scale * settings.qmax())
                      << "; a scale of at least qk-scale / gamma avoids it";
    g = 1;
  }
  if (g > double(int64_t(1) << 62))
    return op->emitOpError()
           << "gamma * scale / qk-scale = " << formatNumber(ratio)
           << " does not fit an integer gamma";
  q.gamma = int64_t(g);
  q.qkScale = gammaF * q.scale / g;
  double a = roundOnHost(alphaF / q.scale, settings.rounding);
  if (a > double(int64_t(1) << 62))
    return op->emitOpError()
           << "alpha / scale = " << formatNumber(alphaF / q.scale)
           << " does not fit an integer alpha";
  q.alpha = int64_t(a);
  q.alphaError = std::fabs(alphaF / q.scale - a);
  q.computeType = computeTypeFor(accElement);
  // Rounding to an integer, plus the float rounding of x / t in the compute
  // type (at most one unit in the last place of |x / t| <= qmax, twice: the
  // division and the constant t itself).
  double unitRoundoff = std::ldexp(
      1.0, -int(cast<FloatType>(q.computeType).getFPMantissaWidth()));
  bool nearest = settings.rounding == Rounding::NearestEven ||
                 settings.rounding == Rounding::NearestAway;
  q.roundingBound = (nearest ? 0.5 : 1.0) + 2 * settings.qmax() * unitRoundoff;
  return q;
}

/// The accumulator width: `settings.accBits`, or the narrowest of 16, 32 and
/// 64 bits that holds `need` (the largest magnitude of any intermediate; 0
/// when a size is dynamic, which picks 32). An explicit width that static
/// sizes prove too narrow is an error.
static FailureOr<unsigned> chooseAccumulatorBits(Operation *op,
                                                 const QuantizeSettings &s,
                                                 std::optional<double> need) {
  auto holds = [&](unsigned w) {
    return *need <= std::ldexp(1.0, int(w) - 1) - 1;
  };
  if (s.accBits) {
    if (need && !holds(s.accBits))
      return op->emitOpError()
             << "acc-bits=" << s.accBits
             << " can overflow: quantized intermediates reach "
             << formatNumber(*need)
             << "; use acc-bits >= " << (holds(32) ? 32 : 64)
             << " (or acc-bits=0 to choose)";
    return s.accBits;
  }
  if (!need)
    return 32u;
  for (unsigned w : {16u, 32u, 64u})
    if (w >= s.bits && holds(w))
      return w;
  return op->emitOpError() << "quantized intermediates reach "
                           << formatNumber(*need)
                           << ", beyond a 64-bit accumulator";
}

/// clamp(round(x / step), -qmax, qmax) as `bits`-bit integers, computed in
/// `computeType` (x is widened to it first).
static Value quantize(OpBuilder &b, Location loc, Value src, double step,
                      Type computeType, const QuantizeSettings &s) {
  Type intTy = b.getIntegerType(s.bits);
  auto qmax = double(s.qmax());
  return mapElements(
      b, loc, src, intTy, [&](OpBuilder &bb, Location l, Value x) -> Value {
        if (x.getType() != computeType)
          x = arith::ExtFOp::create(bb, l, computeType, x);
        auto constant = [&](double v) -> Value {
          return arith::ConstantOp::create(bb, l,
                                           bb.getFloatAttr(computeType, v));
        };
        Value y = arith::DivFOp::create(bb, l, x, constant(step));
        switch (s.rounding) {
        case Rounding::NearestEven:
          y = math::RoundEvenOp::create(bb, l, y);
          break;
        case Rounding::NearestAway:
          y = math::RoundOp::create(bb, l, y);
          break;
        case Rounding::Floor:
          y = math::FloorOp::create(bb, l, y);
          break;
        case Rounding::TowardZero: // fptosi truncates
          break;
        }
        // Symmetric range: -2^(bits-1) is never produced, so |q - k| and
        // |v| stay within 2 qmax and qmax.
        y = arith::MaxNumFOp::create(bb, l, y, constant(-qmax));
        y = arith::MinNumFOp::create(bb, l, y, constant(qmax));
        return arith::FPToSIOp::create(bb, l, intTy, y);
      });
}

namespace {
/// Quantized forms of an op's inputs, each (value, step) built once: Q and
/// K are often one tensor in self-attention, and V may be it too (with its
/// own step).
struct QuantizedInputs {
  OpBuilder &b;
  Location loc;
  Type computeType;
  const QuantizeSettings &settings;
  SmallVector<std::tuple<Value, double, Value>> built = {};

  Value get(Value v, double step) {
    for (auto &[src, st, q] : built)
      if (src == v && st == step)
        return q;
    Value q = quantize(b, loc, v, step, computeType, settings);
    built.emplace_back(v, step, q);
    return q;
  }
};
} // namespace

/// step * float(x) in `element` (computed in `computeType`).
static Value dequantize(OpBuilder &b, Location loc, Value src, double step,
                        Type element, Type computeType) {
  return mapElements(b, loc, src, element,
                     [&](OpBuilder &bb, Location l, Value x) -> Value {
                       Value y = arith::SIToFPOp::create(bb, l, computeType, x);
                       Value c = arith::ConstantOp::create(
                           bb, l, bb.getFloatAttr(computeType, step));
                       y = arith::MulFOp::create(bb, l, y, c);
                       if (element != computeType)
                         y = arith::TruncFOp::create(bb, l, element, y);
                       return y;
                     });
}

static double floatConstant(TypedAttr attr) {
  return cast<FloatAttr>(attr).getValueAsDouble();
}

/// `op` cloned with `operands` (operand number, new value) and `init`
/// replaced, its result of element `accTy`, gamma/alpha integers and the
/// quantization recorded as attributes.
static Operation *cloneAsInteger(RewriterBase &rw, Operation *op,
                                 ArrayRef<std::pair<unsigned, Value>> operands,
                                 Value init, const OpQuantization &q,
                                 Type accTy, bool hasGammaAlpha,
                                 std::optional<double> errorBound) {
  Operation *clone = rw.clone(*op);
  rw.modifyOpInPlace(clone, [&] {
    for (auto [number, value] : operands)
      clone->setOperand(number, value);
    cast<DestinationStyleOpInterface>(clone).getDpsInitsMutable()[0].assign(
        init);
    clone->getResult(0).setType(init.getType());
    if (hasGammaAlpha) {
      clone->setAttr("gamma", IntegerAttr::get(accTy, q.gamma));
      if (q.alpha)
        clone->setAttr("alpha", IntegerAttr::get(accTy, q.alpha));
      else
        clone->removeAttr("alpha");
    }
    Builder b(op->getContext());
    clone->setAttr(kScaleAttr, b.getF64FloatAttr(q.scale));
    if (hasGammaAlpha)
      clone->setAttr(kQKScaleAttr, b.getF64FloatAttr(q.qkScale));
    if (errorBound)
      clone->setAttr(kErrorBoundAttr, b.getF64FloatAttr(*errorBound));
    else
      clone->removeAttr(kErrorBoundAttr);
  });
  return clone;
}

/// The operand number of the single operand in `range`.
static unsigned operandNumber(MutableOperandRange range) {
  return range[0].getOperandNumber();
}

static Value emptyOfType(OpBuilder &b, Location loc, Value like, Type element) {
  return tensor::EmptyOp::create(b, loc, tensor::getMixedSizes(b, loc, like),
                                 element);
}

static std::optional<int64_t> staticDim(Value v, int64_t fromEnd) {
  auto ty = cast<RankedTensorType>(v.getType());
  int64_t d = ty.getDimSize(ty.getRank() - fromEnd);
  if (ShapedType::isDynamic(d))
    return std::nullopt;
  return d;
}

/// Rewrites one float op; success() also for ops that are left alone
/// (integer ones). Fails after emitting a diagnostic.
static LogicalResult quantizeOp(RewriterBase &rw, Operation *op,
                                const QuantizeSettings &s) {
  auto result = cast<TypedValue<RankedTensorType>>(op->getResult(0));
  Type resultElement = result.getType().getElementType();
  if (!isa<FloatType>(resultElement))
    return success();
  Location loc = op->getLoc();
  rw.setInsertionPoint(op);
  double qmax = double(s.qmax());
  // The integer destination takes its dynamic sizes from the float one
  // (the result does not dominate the new ops).
  Value init = cast<DestinationStyleOpInterface>(op).getDpsInits()[0];

  if (auto attention = dyn_cast<AttentionOp>(op)) {
    // Today's operands: query, key, value, optional mask, init,
    // causal_offset (an index, kept), and key_tiles, which the integer op
    // drops (it would hold the float K). Anything else (an operand added
    // later, such as a bias) has no integer form here.
    if (op->getNumOperands() != 4u + (attention.getMask() ? 1 : 0) +
                                    (attention.getKeyTiles() ? 1 : 0) +
                                    (attention.getCausalOffset() ? 1 : 0))
      return op->emitOpError()
             << "has operands --inhibitor-quantize does not handle";
    Value q = attention.getQuery(), k = attention.getKey(),
          v = attention.getValue();
    FailureOr<OpQuantization> qz = deriveQuantization(
        op, /*hasScore=*/true, floatConstant(attention.getGammaOrDefault()),
        floatConstant(attention.getAlphaOrDefault()), resultElement, s);
    if (failed(qz))
      return failure();
    std::optional<int64_t> d = staticDim(q, 1), m = staticDim(k, 2);
    std::optional<double> need, bound;
    if (d && m) {
      double sum = 2 * qmax * double(*d);
      need = std::max({sum, qmax + std::floor(sum / qz->gamma),
                       double(*m) * qmax, double(qz->alpha)});
      double r = qz->roundingBound;
      bound = double(*m) * (r + qz->alphaError +
                            (2 * r * double(*d) + qz->gamma - 1) / qz->gamma);
    }
    FailureOr<unsigned> accBits = chooseAccumulatorBits(op, s, need);
    if (failed(accBits))
      return failure();
    Type accTy = rw.getIntegerType(*accBits);
    QuantizedInputs in{rw, loc, qz->computeType, s};
    // One statement each: the IR's op order must not depend on the
    // compiler's order of evaluating call arguments.
    Value dest = emptyOfType(rw, loc, init, accTy);
    SmallVector<std::pair<unsigned, Value>> operands = {
        {operandNumber(attention.getQueryMutable()), in.get(q, qz->qkScale)},
        {operandNumber(attention.getKeyMutable()), in.get(k, qz->qkScale)},
        {operandNumber(attention.getValueMutable()), in.get(v, qz->scale)}};
    Operation *integer = cloneAsInteger(rw, op, operands, dest, *qz, accTy,
                                        /*hasGammaAlpha=*/true, bound);
    rw.modifyOpInPlace(integer, [&] {
      cast<AttentionOp>(integer).getKeyTilesMutable().clear();
    });
    rw.replaceOp(op, dequantize(rw, loc, integer->getResult(0), qz->scale,
                                resultElement, qz->computeType));
    return success();
  }

  if (auto score = dyn_cast<ManhattanScoreOp>(op)) {
    if (op->getNumOperands() != 3u)
      return op->emitOpError()
             << "has operands --inhibitor-quantize does not handle";
    Value q = score.getQuery(), k = score.getKey();
    FailureOr<OpQuantization> qz = deriveQuantization(
        op, /*hasScore=*/true, floatConstant(score.getGammaOrDefault()),
        floatConstant(score.getAlphaOrDefault()), resultElement, s);
    if (failed(qz))
      return failure();
    std::optional<int64_t> d = staticDim(q, 1);
    std::optional<double> need, bound;
    if (d) {
      double sum = 2 * qmax * double(*d);
      need = std::max(sum, double(qz->alpha));
      double r = qz->roundingBound;
      bound = qz->alphaError + (2 * r * double(*d) + qz->gamma - 1) / qz->gamma;
    }
    FailureOr<unsigned> accBits = chooseAccumulatorBits(op, s, need);
    if (failed(accBits))
      return failure();
    Type accTy = rw.getIntegerType(*accBits);
    QuantizedInputs in{rw, loc, qz->computeType, s};
    // One statement each: the IR's op order must not depend on the
    // compiler's order of evaluating call arguments.
    Value dest = emptyOfType(rw, loc, init, accTy);
    SmallVector<std::pair<unsigned, Value>> operands = {
        {operandNumber(score.getQueryMutable()), in.get(q, qz->qkScale)},
        {operandNumber(score.getKeyMutable()), in.get(k, qz->qkScale)}};
    Operation *integer = cloneAsInteger(rw, op, operands, dest, *qz, accTy,
                                        /*hasGammaAlpha=*/true, bound);
    rw.replaceOp(op, dequantize(rw, loc, integer->getResult(0), qz->scale,
                                resultElement, qz->computeType));
    return success();
  }

  auto inhibit = cast<InhibitOp>(op);
  Value v = inhibit.getValue(), z = inhibit.getScore();
  // No gamma or alpha: only the scale matters.
  FailureOr<OpQuantization> qz =
      deriveQuantization(op, /*hasScore=*/false, 1.0, 0.0, resultElement, s);
  if (failed(qz))
    return failure();
  std::optional<int64_t> m = staticDim(v, 2);
  std::optional<double> need, bound;
  if (m) {
    need = std::max(2 * qmax, double(*m) * qmax);
    bound = double(*m) * 2 * qz->roundingBound;
  }
  FailureOr<unsigned> accBits = chooseAccumulatorBits(op, s, need);
  if (failed(accBits))
    return failure();
  Type accTy = rw.getIntegerType(*accBits);
  QuantizedInputs in{rw, loc, qz->computeType, s};
  // One statement each: the IR's op order must not depend on the
  // compiler's order of evaluating call arguments.
  Value dest = emptyOfType(rw, loc, init, accTy);
  SmallVector<std::pair<unsigned, Value>> operands = {
      {operandNumber(inhibit.getValueMutable()), in.get(v, qz->scale)},
      {operandNumber(inhibit.getScoreMutable()), in.get(z, qz->scale)}};
  Operation *integer = cloneAsInteger(rw, op, operands, dest, *qz, accTy,
                                      /*hasGammaAlpha=*/false, bound);
  rw.replaceOp(op, dequantize(rw, loc, integer->getResult(0), qz->scale,
                              resultElement, qz->computeType));
  return success();
}

namespace {
struct InhibitorQuantizePass
    : inhibitor::impl::InhibitorQuantizeBase<InhibitorQuantizePass> {
  using Base::Base;

  void runOnOperation() override {
    QuantizeSettings settings;
    settings.bits = bits;
    settings.accBits = accBits;
    settings.scale = scale;
    settings.qkScale = qkScale;
    std::optional<Rounding> mode =
        llvm::StringSwitch<std::optional<Rounding>>(rounding)
            .Case("nearest", Rounding::NearestEven)
            .Case("nearest-away", Rounding::NearestAway)
            .Case("floor", Rounding::Floor)
            .Case("toward-zero", Rounding::TowardZero)
            .Default(std::nullopt);
    Operation *root = getOperation();
    if (!mode) {
      root->emitError() << "--inhibitor-quantize: rounding must be 'nearest', "
                           "'nearest-away', 'floor' or 'toward-zero', got '"
                        << std::string(rounding) << "'";
      return signalPassFailure();
    }
    settings.rounding = *mode;
    if (bits != 8 && bits != 16) {
      root->emitError() << "--inhibitor-quantize: bits must be 8 or 16, got "
                        << unsigned(bits);
      return signalPassFailure();
    }
    if (accBits != 0 && accBits != 16 && accBits != 32 && accBits != 64) {
      root->emitError()
          << "--inhibitor-quantize: acc-bits must be 0 (choose), 16, 32 or "
             "64, got "
          << unsigned(accBits);
      return signalPassFailure();
    }
    if (accBits != 0 && accBits < bits) {
      root->emitError() << "--inhibitor-quantize: acc-bits ("
                        << unsigned(accBits) << ") must be at least bits ("
                        << unsigned(bits) << ")";
      return signalPassFailure();
    }
    if (!(scale >= 0) || !std::isfinite(scale) || !(qkScale >= 0) ||
        !std::isfinite(qkScale)) {
      root->emitError() << "--inhibitor-quantize: scale and qk-scale must be "
                           "positive finite numbers (or 0: unset)";
      return signalPassFailure();
    }

    SmallVector<Operation *> ops;
    root->walk([&](Operation *op) {
      if (isa<AttentionOp, ManhattanScoreOp, InhibitOp>(op))
        ops.push_back(op);
    });
    IRRewriter rw(&getContext());
    bool failedAny = false;
    for (Operation *op : ops) {
      bool wasFloat = isa<FloatType>(
          cast<RankedTensorType>(op->getResult(0).getType()).getElementType());
      if (failed(quantizeOp(rw, op, settings)))
        failedAny = true;
      else if (wasFloat)
        ++numQuantized;
    }
    if (failedAny)
      signalPassFailure();
  }
};
} // namespace
