//===- FHECostOps.cpp - Per-op rules of --inhibitor-fhe-cost --------------===//
//
// The FHE cost of each op kind: inhibitor ops in closed form, linalg
// structured ops from their bodies, linalg.softmax, TOSA (docs/FHE.md).
//
//===----------------------------------------------------------------------===//

#include "FHECostModel.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace mlir::inhibitor;
using namespace mlir::inhibitor::fhe;

namespace {
/// The attended (i, j) pairs of attention with `causal` and/or a mask.
struct PairCount {
  uint64_t pairs = 0; // over all batches
  uint64_t rows = 0;  // rows with at least one attended pair
  uint64_t maxPerRow = 0;
};
} // namespace

ValueInfo FunctionCoster::getInfo(Value v) {
  auto it = infos.find(v);
  if (it != infos.end())
    return it->second;
  ValueInfo info;
  Attribute attr;
  if (matchPattern(v, m_Constant(&attr))) {
    info.isStatic = true;
    if (std::optional<Interval> r = constantRange(attr))
      info.range = *r;
    info.splat = scalarConstant(attr);
  }
  return info;
}

void FunctionCoster::setResults(Operation *op, ValueInfo info) {
  for (Value r : op->getResults()) {
    ValueInfo i = info;
    i.range = wrapToType(i.range, r.getType());
    infos[r] = i;
  }
}

/// Whether `init` is the identity of `combiner` everywhere (a fill or splat
/// of 0 for sums, of the lowest/highest value for max/min).
static bool isIdentityInit(Value init, ScalarKind combiner) {
  Attribute attr;
  std::optional<double> c;
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    if (matchPattern(fill.getInputs()[0], m_Constant(&attr)))
      c = scalarConstant(attr);
  } else if (matchPattern(init, m_Constant(&attr))) {
    c = scalarConstant(attr);
  }
  if (!c)
    return false;
  Type elem = getElementTypeOrSelf(init.getType());
  double lowest = -INFINITY, highest = INFINITY;
  if (auto it = dyn_cast<IntegerType>(elem)) {
    lowest = -std::exp2(it.getWidth() - 1.0);
    highest = std::exp2(it.getWidth() - 1.0) - 1;
  }
  switch (combiner) {
  case ScalarKind::Add:
    return *c == 0;
  case ScalarKind::Max:
    return *c <= lowest || *c <= -1e30;
  case ScalarKind::Min:
    return *c >= highest || *c >= 1e30;
  case ScalarKind::Mul:
    return *c == 1;
  default:
    return false;
  }
}

LogicalResult FunctionCoster::costLinalg(linalg::LinalgOp op, Cost &cost) {
  if (!op.hasPureTensorSemantics())
    return op->emitError("inhibitor-fhe-cost: linalg on buffers is not "
                         "costed; run the analysis on tensors");
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  if (llvm::any_of(bounds, ShapedType::isDynamic))
    return op->emitError("inhibitor-fhe-cost: dynamic loop bound; a TFHE "
                         "circuit has static shapes");
  if (bounds.size() > 63)
    return op->emitError("inhibitor-fhe-cost: too many loops");
  OpCoster coster(opts, cost, bounds);
  Block *body = op.getBlock();
  DenseMap<Value, Scalar> scalars;
  for (OpOperand &operand : op->getOpOperands()) {
    BlockArgument arg = op.getMatchingBlockArgument(&operand);
    if (!arg)
      continue;
    AffineMap map = op.getMatchingIndexingMap(&operand);
    Scalar s;
    s.info = getInfo(operand.get());
    for (unsigned d = 0; d < map.getNumDims(); ++d)
      if (map.isFunctionOfDim(d))
        s.dims |= uint64_t(1) << d;
    s.constant = s.info.splat;
    scalars[arg] = s;
  }

  // Reductions: the output block argument feeds exactly one combiner, whose
  // result is yielded.
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  DenseMap<Operation *, unsigned> combiners; // combiner -> output index
  for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable())) {
    BlockArgument acc = op.getMatchingBlockArgument(&init);
    // Without reduction loops an output read in the body is an operand like
    // any other (an in-place element-wise update).
    if (acc.use_empty() || op.getNumReductionLoops() == 0)
      continue;
    Operation *comb = yield.getOperand(i).getDefiningOp();
    std::string unused;
    ScalarKind kind =
        comb ? classifyScalarOp(comb, unused) : ScalarKind::Unknown;
    bool ok = comb && acc.hasOneUse() && *acc.user_begin() == comb &&
              comb->getNumOperands() == 2 &&
              (kind == ScalarKind::Add || kind == ScalarKind::Max ||
               kind == ScalarKind::Min || kind == ScalarKind::Mul);
    if (!ok)
      return op->emitError("inhibitor-fhe-cost: unsupported use of the "
                           "output value in the body (expected one add, "
                           "max, min or mul combiner that is yielded)");
    combiners[comb] = i;
  }

  auto scalarOf = [&](Value v) -> Scalar {
    auto it = scalars.find(v);
    if (it != scalars.end())
      return it->second;
    Scalar s;
    s.info = getInfo(v);
    s.constant = s.info.splat;
    return s;
  };

  for (Operation &inner : body->without_terminator()) {
    if (combiners.count(&inner))
      continue;
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      uint64_t d = index.getDim();
      scalars[index] = clearScalar({0, static_cast<double>(bounds[d] - 1)},
                                   /*isStatic=*/true, uint64_t(1) << d);
      continue;
    }
    Attribute attr;
    if (inner.getNumResults() == 1 &&
        matchPattern(inner.getResult(0), m_Constant(&attr))) {
      Scalar s = clearScalar(constantRange(attr).value_or(Interval{}),
                             /*isStatic=*/true, 0, scalarConstant(attr));
      scalars[inner.getResult(0)] = s;
      continue;
    }
    std::string mathName;
    ScalarKind kind = classifyScalarOp(&inner, mathName);
    SmallVector<Scalar> xs;
    SmallVector<bool> single;
    for (Value v : inner.getOperands()) {
      xs.push_back(scalarOf(v));
      single.push_back(v.hasOneUse());
    }
    FailureOr<Scalar> r = failure();
    if (kind != ScalarKind::Unknown && inner.getNumResults() == 1)
      r = coster.apply(kind, mathName, xs, single,
                       inner.getResult(0).getType());
    if (failed(r)) {
      if (llvm::none_of(xs, [](const Scalar &x) { return x.info.encrypted; }) &&
          inner.getNumResults() == 1) {
        scalars[inner.getResult(0)] = clearScalar({}, false, 0);
        continue;
      }
      return inner.emitError("inhibitor-fhe-cost: cannot cost '")
             << inner.getName() << "' on encrypted data";
    }
    scalars[inner.getResult(0)] = *r;
  }

  uint64_t iterations = coster.multiplicity(coster.allDims());
  for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable())) {
    Value yielded = yield.getOperand(i);
    Operation *comb = yielded.getDefiningOp();
    ValueInfo result;
    if (comb && combiners.count(comb)) {
      BlockArgument acc = op.getMatchingBlockArgument(&init);
      Value termValue = comb->getOperand(0) == acc ? comb->getOperand(1)
                                                   : comb->getOperand(0);
      std::string unused;
      ScalarKind kind = classifyScalarOp(comb, unused);
      ShapedType outType = cast<ShapedType>(init.get().getType());
      uint64_t outputs = static_cast<uint64_t>(outType.getNumElements());
      uint64_t reduced = outputs ? iterations / outputs : 0;
      result =
          coster.reduce(kind, scalarOf(termValue), getInfo(init.get()),
                        isIdentityInit(init.get(), kind), outputs, reduced);
    } else {
      Scalar y = scalarOf(yielded);
      result = y.info;
      result.splat = y.constant; // a fill
    }
    result.range = wrapToType(result.range, op->getResult(i).getType());
    infos[op->getResult(i)] = result;
  }
  return success();
}

/// linalg.softmax as its upstream decomposition computes it: a max
/// reduction, x - max, exp, a sum, one reciprocal per row and a ct-ct
/// product per element.
LogicalResult FunctionCoster::costSoftmax(linalg::SoftmaxOp op, Cost &cost) {
  auto type = cast<ShapedType>(op.getInput().getType());
  SmallVector<int64_t> bounds(type.getShape());
  OpCoster coster(opts, cost, bounds);
  uint64_t axis = op.getDimension();
  uint64_t all = coster.allDims(), rowDims = all & ~(uint64_t(1) << axis);
  Scalar x;
  x.info = getInfo(op.getInput());
  x.dims = all;
  uint64_t rows = coster.multiplicity(rowDims);
  uint64_t r = static_cast<uint64_t>(bounds[axis]);
  ValueInfo maxInfo =
      coster.reduce(ScalarKind::Max, x, ValueInfo{}, true, rows, r);
  Scalar m{maxInfo, rowDims, std::nullopt, -1};
  Scalar diff = *coster.apply(ScalarKind::Sub, "", {x, m}, {}, type);
  Scalar e = *coster.apply(ScalarKind::Math, "exp", {diff}, {true}, type);
  ValueInfo sumInfo =
      coster.reduce(ScalarKind::Add, e, ValueInfo{}, true, rows, r);
  Scalar sum{sumInfo, rowDims, std::nullopt, -1};
  Scalar p = *coster.apply(ScalarKind::Div, "", {e, sum}, {false, false}, type);
  setResults(op, p.info);
  return success();
}

/// Pairs attended under `causal` (j <= i + causalOffset) and/or a constant
/// mask.
static FailureOr<PairCount> countPairs(Operation *op, uint64_t batch, int64_t n,
                                       int64_t m, bool causal,
                                       int64_t causalOffset, Value mask,
                                       ArrayRef<int64_t> batchShape) {
  PairCount pc;
  DenseElementsAttr maskAttr;
  if (mask && !matchPattern(mask, m_Constant(&maskAttr)))
    maskAttr = {}; // a runtime mask: every pair is computed
  if (!maskAttr) {
    uint64_t perBatch = 0, maxRow = 0, rows = 0;
    for (int64_t i = 0; i < n; ++i) {
      uint64_t row = causal ? static_cast<uint64_t>(std::clamp<int64_t>(
                                  i + 1 + causalOffset, 0, m))
                            : static_cast<uint64_t>(m);
      perBatch += row;
      maxRow = std::max(maxRow, row);
      rows += row != 0;
    }
    pc.pairs = batch * perBatch;
    pc.rows = batch * rows;
    pc.maxPerRow = maxRow;
    return pc;
  }
  // A constant mask: count its true pairs, broadcast right-aligned.
  auto maskType = cast<ShapedType>(maskAttr.getType());
  ArrayRef<int64_t> maskShape = maskType.getShape();
  SmallVector<int64_t> full(batchShape);
  full.push_back(n);
  full.push_back(m);
  uint64_t total = batch * static_cast<uint64_t>(n * m);
  if (total > (uint64_t(1) << 26))
    return op->emitError("inhibitor-fhe-cost: constant mask too large to "
                         "count (over 2^26 pairs)");
  SmallVector<bool> values(maskAttr.getValues<bool>());
  size_t rank = full.size(), mrank = maskShape.size();
  DenseMap<uint64_t, uint64_t> perRow; // (batch row index) -> count
  SmallVector<int64_t> idx(rank, 0);
  for (uint64_t flat = 0; flat < total; ++flat) {
    uint64_t rest = flat;
    for (size_t d = rank; d-- > 0;) {
      idx[d] = static_cast<int64_t>(rest % full[d]);
      rest /= full[d];
    }
    int64_t i = idx[rank - 2], j = idx[rank - 1];
    if (causal && j > i + causalOffset)
      continue;
    uint64_t mflat = 0;
    for (size_t d = 0; d < mrank; ++d) {
      int64_t size = maskShape[d];
      int64_t at = size == 1 ? 0 : idx[rank - mrank + d];
      mflat = mflat * size + at;
    }
    if (!values[maskAttr.isSplat() ? 0 : mflat])
      continue;
    ++pc.pairs;
    ++perRow[flat / m];
  }
  pc.rows = perRow.size();
  for (auto &kv : perRow)
    pc.maxPerRow = std::max(pc.maxPerRow, kv.second);
  return pc;
}

static double attrToDouble(TypedAttr a) {
  if (auto i = dyn_cast<IntegerAttr>(a))
    return static_cast<double>(i.getValue().getSExtValue());
  return cast<FloatAttr>(a).getValueAsDouble();
}

/// The score for `pairs` (i, j) pairs: D subtractions and D lookups of
/// |q - k|, D - 1 additions, then max(s / gamma - alpha, 0) as one lookup
/// unless it is the identity or a power-of-two rescale of s >= 0.
static ValueInfo costScorePairs(OpCoster &coster, const ValueInfo &q,
                                const ValueInfo &k, uint64_t pairs, int64_t d,
                                double gamma, double alpha, bool isFloat) {
  Cost &cost = coster.cost;
  uint64_t ud = static_cast<uint64_t>(d);
  Interval diff = subRange(q.range, k.range);
  ValueInfo z;
  z.encrypted = q.encrypted || k.encrypted;
  z.pbsDepth = std::max(q.pbsDepth, k.pbsDepth);
  z.pathSeconds = std::max(q.pathSeconds, k.pathSeconds);
  z.mulDepth = std::max(q.mulDepth, k.mulDepth);
  Interval absDiff = absRange(diff);
  Interval sum = {absDiff.lo * d, absDiff.hi * d};
  if (!z.encrypted) {
    z.range = sum;
    return z;
  }
  cost.additions += pairs * ud + pairs * (ud ? ud - 1 : 0);
  coster.addPBS("abs", diff, pairs * ud);
  z.pbsDepth += 1;
  z.pathSeconds += coster.lookupSeconds(diff);
  Interval scaled = {sum.lo / gamma - alpha, sum.hi / gamma - alpha};
  if (!isFloat)
    scaled = {std::floor(sum.lo / gamma) - alpha,
              std::floor(sum.hi / gamma) - alpha};
  z.range = {std::max(0.0, scaled.lo), std::max(0.0, scaled.hi)};
  bool needsRelu = scaled.lo < 0;
  bool needsDiv = !isFloat && !isPowerOfTwo(gamma);
  if (needsRelu || needsDiv) {
    std::string kind = needsDiv && needsRelu ? "div+relu"
                       : needsDiv            ? "div"
                                             : "relu";
    coster.addPBS(kind, sum, pairs);
    z.pbsDepth += 1;
    z.pathSeconds += coster.lookupSeconds(sum);
  } else if (isFloat && gamma != 1.0) {
    cost.ctClearMul += pairs; // a float scale
  }
  return z;
}

/// Inhibition of `pairs` pairs by Z into E columns (eq. 4 / eq. 5).
static ValueInfo costInhibitPairs(OpCoster &coster, const ValueInfo &v,
                                  uint64_t vElements, const ValueInfo &z,
                                  const PairCount &pc, int64_t e, bool isSigned,
                                  bool runtimeMask) {
  Cost &cost = coster.cost;
  uint64_t ue = static_cast<uint64_t>(e);
  ValueInfo h;
  h.encrypted = v.encrypted || z.encrypted;
  h.mulDepth = std::max(v.mulDepth, z.mulDepth);
  Interval vr = v.range, zr = z.range;
  double a = static_cast<double>(pc.maxPerRow);
  if (!h.encrypted)
    return h;
  uint64_t terms = pc.pairs * ue;
  // Unsigned (eq. 4): max(V - Z, 0). Signed (eq. 5): max(V+ - Z, 0) and
  // min(V- + Z, 0); when V has one sign only one of them is non-zero.
  bool positive = !isSigned || vr.hi > 0;
  bool negative = isSigned && vr.lo < 0;
  bool both = positive && negative;
  uint64_t sums = 0;
  h.pbsDepth = std::max(v.pbsDepth, z.pbsDepth) + 1;
  double vPath = v.pathSeconds, termSeconds = 0;
  if (both) {
    // V+ = max(V, 0) once per element of V; V- = V - V+.
    coster.addPBS("relu", vr, vElements);
    cost.additions += vElements;
    h.pbsDepth = std::max(v.pbsDepth + 1, z.pbsDepth) + 1;
    vPath += coster.lookupSeconds(vr);
  }
  Interval out = {0, 0};
  if (positive) {
    Interval vp = both ? Interval{0, vr.hi} : vr;
    coster.addPBS("relu", subRange(vp, zr), terms);
    termSeconds = coster.lookupSeconds(subRange(vp, zr));
    cost.additions += terms;
    out.hi = a * std::max(0.0, vp.hi - zr.lo);
    ++sums;
  }
  if (negative) {
    Interval vn = both ? Interval{vr.lo, 0} : vr;
    coster.addPBS("min0", addRange(vn, zr), terms);
    termSeconds = std::max(termSeconds, coster.lookupSeconds(addRange(vn, zr)));
    cost.additions += terms;
    out.lo = a * std::min(0.0, vn.lo + zr.lo);
    ++sums;
  }
  // Sum over j of `sums` terms per pair into each (i, e).
  uint64_t perRowTerms = sums * pc.pairs * ue, rowsOut = pc.rows * ue;
  if (perRowTerms > rowsOut)
    cost.additions += perRowTerms - rowsOut;
  if (runtimeMask)
    cost.ctClearMul += terms;
  h.pathSeconds = std::max(vPath, z.pathSeconds) + termSeconds;
  h.range = out;
  return h;
}

static uint64_t product(ArrayRef<int64_t> dims) {
  uint64_t n = 1;
  for (int64_t d : dims)
    n *= static_cast<uint64_t>(d);
  return n;
}

LogicalResult FunctionCoster::costScore(ManhattanScoreOp op, Cost &cost) {
  auto qType = cast<ShapedType>(op.getQuery().getType());
  auto zType = cast<ShapedType>(op.getResult().getType());
  int64_t rank = zType.getRank();
  uint64_t pairs = product(zType.getShape());
  SmallVector<int64_t> bounds;
  OpCoster coster(opts, cost, bounds);
  ValueInfo z = costScorePairs(
      coster, getInfo(op.getQuery()), getInfo(op.getKey()), pairs,
      qType.getShape()[rank - 1], attrToDouble(op.getGammaOrDefault()),
      attrToDouble(op.getAlphaOrDefault()),
      isa<FloatType>(zType.getElementType()));
  setResults(op, z);
  return success();
}

LogicalResult FunctionCoster::costInhibit(InhibitOp op, Cost &cost) {
  auto vType = cast<ShapedType>(op.getValue().getType());
  auto zType = cast<ShapedType>(op.getScore().getType());
  auto hType = cast<ShapedType>(op.getResult().getType());
  int64_t rank = hType.getRank();
  PairCount pc;
  pc.pairs = product(zType.getShape());
  int64_t n = zType.getShape()[rank - 2], m = zType.getShape()[rank - 1];
  pc.rows = m ? pc.pairs / static_cast<uint64_t>(m) : 0;
  pc.maxPerRow = static_cast<uint64_t>(m);
  (void)n;
  SmallVector<int64_t> bounds;
  OpCoster coster(opts, cost, bounds);
  ValueInfo h = costInhibitPairs(
      coster, getInfo(op.getValue()), product(vType.getShape()),
      getInfo(op.getScore()), pc, hType.getShape()[rank - 1], op.getIsSigned(),
      /*runtimeMask=*/false);
  setResults(op, h);
  return success();
}

LogicalResult FunctionCoster::costAttention(AttentionOp op, Cost &cost) {
  auto qType = cast<ShapedType>(op.getQuery().getType());
  auto kType = cast<ShapedType>(op.getKey().getType());
  auto vType = cast<ShapedType>(op.getValue().getType());
  auto hType = cast<ShapedType>(op.getResult().getType());
  int64_t rank = hType.getRank();
  ArrayRef<int64_t> batchShape = hType.getShape().drop_back(2);
  int64_t n = qType.getShape()[rank - 2], m = kType.getShape()[rank - 2];
  int64_t d = qType.getShape()[rank - 1], e = vType.getShape()[rank - 1];
  // A causal diagonal known only at run time: every pair is computed (as
  // for a run-time mask).
  std::optional<int64_t> causalOffset = op.getConstantCausalOffset();
  FailureOr<PairCount> pc = countPairs(
      op, product(batchShape), n, m, op.getCausal() && causalOffset.has_value(),
      causalOffset.value_or(0), op.getMask(), batchShape);
  if (failed(pc))
    return failure();
  bool runtimeMask =
      (op.getMask() && !matchPattern(op.getMask(), m_Constant())) ||
      (op.getCausal() && !causalOffset);
  SmallVector<int64_t> bounds;
  OpCoster coster(opts, cost, bounds);
  ValueInfo z =
      costScorePairs(coster, getInfo(op.getQuery()), getInfo(op.getKey()),
                     pc->pairs, d, attrToDouble(op.getGammaOrDefault()),
                     attrToDouble(op.getAlphaOrDefault()),
                     isa<FloatType>(hType.getElementType()));
  ValueInfo h = costInhibitPairs(coster, getInfo(op.getValue()),
                                 product(vType.getShape()), z, *pc, e,
                                 op.getIsSigned(), runtimeMask);
  setResults(op, h);
  return success();
}

/// An element-wise op on tensors with broadcasting (TOSA): each operand
/// depends on the result dims it does not broadcast.
LogicalResult FunctionCoster::costElementwise(Operation *op, ScalarKind kind,
                                              StringRef mathName,
                                              ValueRange operands, Cost &cost) {
  auto resultType = cast<ShapedType>(op->getResult(0).getType());
  SmallVector<int64_t> bounds(resultType.getShape());
  OpCoster coster(opts, cost, bounds);
  SmallVector<Scalar> xs;
  for (Value v : operands) {
    Scalar s;
    s.info = getInfo(v);
    s.constant = s.info.splat;
    if (auto t = dyn_cast<ShapedType>(v.getType())) {
      int64_t offset = static_cast<int64_t>(bounds.size()) - t.getRank();
      for (int64_t dd = 0; dd < t.getRank(); ++dd)
        if (t.getShape()[dd] != 1 || bounds[dd + offset] == 1)
          s.dims |= uint64_t(1) << (dd + offset);
    }
    xs.push_back(s);
  }
  FailureOr<Scalar> r = coster.apply(kind, mathName, xs, {}, resultType);
  if (failed(r))
    return op->emitError("inhibitor-fhe-cost: cannot cost '")
           << op->getName() << "' on encrypted data";
  setResults(op, r->info);
  return success();
}

LogicalResult FunctionCoster::costTosa(Operation *op, Cost &cost) {
  using namespace tosa;
  if (isa<ReshapeOp, TransposeOp, TileOp, SliceOp, ConcatOp, IdentityOp,
          ReverseOp, PadOp>(op)) {
    ValueInfo info;
    for (Value v : op->getOperands()) {
      ValueInfo o = getInfo(v);
      if (!isa<ShapedType>(v.getType()) || o.isStatic)
        continue;
      info.encrypted |= o.encrypted;
      info.range = hull(info.range, o.range);
      info.pbsDepth = std::max(info.pbsDepth, o.pbsDepth);
      info.pathSeconds = std::max(info.pathSeconds, o.pathSeconds);
      info.mulDepth = std::max(info.mulDepth, o.mulDepth);
    }
    setResults(op, info);
    return success();
  }
  if (auto mm = dyn_cast<MatMulOp>(op)) {
    auto a = cast<ShapedType>(mm.getA().getType());
    auto b = cast<ShapedType>(mm.getB().getType());
    // Loops (batch, n, m, k): A[b, n, k] x B[b, k, m].
    SmallVector<int64_t> bounds = {a.getShape()[0], a.getShape()[1],
                                   b.getShape()[2], a.getShape()[2]};
    OpCoster coster(opts, cost, bounds);
    Scalar sa{getInfo(mm.getA()), 0b1011, std::nullopt, -1};
    Scalar sb{getInfo(mm.getB()), 0b1101, std::nullopt, -1};
    Scalar prod = *coster.apply(ScalarKind::Mul, "", {sa, sb}, {}, a);
    uint64_t outputs = coster.multiplicity(0b0111);
    setResults(op, coster.reduce(ScalarKind::Add, prod, ValueInfo{}, true,
                                 outputs, static_cast<uint64_t>(bounds[3])));
    return success();
  }
  if (isa<ReduceMaxOp, ReduceMinOp, ReduceSumOp, ReduceProductOp>(op)) {
    auto t = cast<ShapedType>(op->getOperand(0).getType());
    SmallVector<int64_t> bounds(t.getShape());
    OpCoster coster(opts, cost, bounds);
    auto axisAttr = op->getAttrOfType<IntegerAttr>("axis");
    if (!axisAttr || axisAttr.getInt() < 0 ||
        axisAttr.getInt() >= static_cast<int64_t>(bounds.size()))
      return op->emitError("inhibitor-fhe-cost: reduction without a valid "
                           "axis");
    int64_t axis = axisAttr.getInt();
    Scalar x;
    x.info = getInfo(op->getOperand(0));
    x.dims = coster.allDims();
    ScalarKind kind = isa<ReduceMaxOp>(op)   ? ScalarKind::Max
                      : isa<ReduceMinOp>(op) ? ScalarKind::Min
                      : isa<ReduceSumOp>(op) ? ScalarKind::Add
                                             : ScalarKind::Mul;
    uint64_t reduced = static_cast<uint64_t>(bounds[axis]);
    uint64_t outputs = coster.multiplicity(x.dims & ~(uint64_t(1) << axis));
    setResults(op, coster.reduce(kind, x, ValueInfo{}, true, outputs, reduced));
    return success();
  }
  ScalarKind kind = ScalarKind::Unknown;
  std::string mathName;
  ValueRange operands = op->getOperands();
  if (isa<AddOp>(op))
    kind = ScalarKind::Add;
  else if (isa<SubOp>(op))
    kind = ScalarKind::Sub;
  else if (isa<MulOp>(op)) {
    kind = ScalarKind::Mul;
    operands = op->getOperands().take_front(2); // the shift is not data
  } else if (isa<IntDivOp>(op))
    kind = ScalarKind::Div;
  else if (isa<MaximumOp>(op))
    kind = ScalarKind::Max;
  else if (isa<MinimumOp>(op))
    kind = ScalarKind::Min;
  else if (isa<AbsOp>(op))
    kind = ScalarKind::Abs;
  else if (isa<NegateOp>(op)) {
    kind = ScalarKind::Neg;
    operands = op->getOperands().take_front(1);
  } else if (isa<ReciprocalOp>(op))
    kind = ScalarKind::Reciprocal;
  else if (isa<GreaterOp, GreaterEqualOp, EqualOp>(op))
    kind = ScalarKind::Cmp;
  else if (isa<SelectOp>(op))
    kind = ScalarKind::Select;
  else if (isa<CastOp>(op))
    kind = ScalarKind::Cast;
  else if (isa<ExpOp, LogOp, TanhOp, SigmoidOp, RsqrtOp, ErfOp, SinOp, CosOp,
               ClampOp, TableOp>(op)) {
    kind = ScalarKind::Math;
    mathName = op->getName().stripDialect().str();
    operands = op->getOperands().take_front(1);
  }
  if (kind == ScalarKind::Unknown)
    return op->emitError("inhibitor-fhe-cost: cannot cost '")
           << op->getName() << "' on encrypted data";
  return costElementwise(op, kind, mathName, operands, cost);
}

LogicalResult FunctionCoster::costOp(Operation *op, Cost &cost) {
  if (isa<ManhattanScoreOp>(op))
    return costScore(cast<ManhattanScoreOp>(op), cost);
  if (isa<InhibitOp>(op))
    return costInhibit(cast<InhibitOp>(op), cost);
  if (isa<AttentionOp>(op))
    return costAttention(cast<AttentionOp>(op), cost);
  if (auto sm = dyn_cast<linalg::SoftmaxOp>(op))
    return costSoftmax(sm, cost);
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
    return costLinalg(linalgOp, cost);
  if (op->getDialect() && op->getDialect()->getNamespace() == "tosa")
    return costTosa(op, cost);
  // Shape ops move ciphertexts without computing.
  if (isa<tensor::EmptyOp, tensor::ExpandShapeOp, tensor::CollapseShapeOp,
          tensor::ExtractSliceOp, tensor::InsertSliceOp, tensor::CastOp,
          tensor::ReshapeOp, tensor::ConcatOp, tensor::ExtractOp,
          tensor::FromElementsOp, tensor::SplatOp, tensor::PadOp,
          tensor::DimOp>(op)) {
    ValueInfo info;
    bool first = true;
    for (Value v : op->getOperands()) {
      if (!isa<ShapedType>(v.getType()) &&
          !isa<FloatType, IntegerType>(v.getType()))
        continue;
      ValueInfo o = getInfo(v);
      info.encrypted |= o.encrypted;
      info.range = first ? o.range : hull(info.range, o.range);
      first = false;
      info.pbsDepth = std::max(info.pbsDepth, o.pbsDepth);
      info.pathSeconds = std::max(info.pathSeconds, o.pathSeconds);
      info.mulDepth = std::max(info.mulDepth, o.mulDepth);
    }
    setResults(op, info);
    return success();
  }
  if (op->getNumRegions() > 0)
    return op->emitError("inhibitor-fhe-cost: control flow is not costed; "
                         "a TFHE circuit is straight-line code");
  return op->emitError("inhibitor-fhe-cost: cannot cost '")
         << op->getName() << "'";
}
