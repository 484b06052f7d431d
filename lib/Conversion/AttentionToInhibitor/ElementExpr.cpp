//===- ElementExpr.cpp - One element of a tensor as an expression ---------===//
//
// Builds the ElementExpr of a tensor element by inlining elementwise
// generics, reading through reshapes, fills and splats, folding constants
// and turning reduction generics into Reduce nodes.
//
//===----------------------------------------------------------------------===//

#include "ElementExpr.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <cfloat>
#include <cmath>

using namespace mlir;

namespace mlir::inhibitor::attention {

bool isMaskingValue(double v) {
  if (std::isinf(v))
    return v < 0;
  // f16, bf16, f32 and f64 lowest values.
  return v == -65504.0 || v == -3.3895313892515355e38 ||
         v == static_cast<double>(-FLT_MAX) || v == -DBL_MAX;
}

bool isContraction(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.hasPureTensorSemantics() &&
         linalgOp->getNumResults() == 1 &&
         linalg::isaContractionOpInterface(linalgOp);
}

AffineMap ElementExprBuilder::widen(AffineMap map) const {
  SmallVector<AffineExpr> exprs(map.getResults());
  return AffineMap::get(kMaxDims, 0, exprs, ctx);
}

const ElementExpr *ElementExprBuilder::make(ElementExpr e) {
  nodes.push_back(std::move(e));
  return &nodes.back();
}

const ElementExpr *ElementExprBuilder::makeConstant(double v, Type t) {
  ElementExpr e{ExprKind::Constant};
  e.constant = v;
  e.elementType = t;
  return make(e);
}

const ElementExpr *ElementExprBuilder::leaf(Value tensor, AffineMap map) {
  ElementExpr e{ExprKind::Read};
  e.value = tensor;
  e.map = map;
  e.elementType = getElementTypeOrSelf(tensor.getType());
  return make(e);
}

/// The value of a constant scalar or splat (float, integer or bool).
static std::optional<double> getConstantValue(Value v) {
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (!dense.isSplat())
      return std::nullopt;
    attr = dense.getSplatValue<Attribute>();
  }
  if (auto f = dyn_cast<FloatAttr>(attr))
    return f.getValueAsDouble();
  if (auto i = dyn_cast<IntegerAttr>(attr)) {
    if (i.getType().isInteger(1))
      return i.getValue().isZero() ? 0.0 : 1.0;
    return static_cast<double>(i.getValue().getSExtValue());
  }
  return std::nullopt;
}

/// The index map of a reshape: reading `result` at `map` reads `source` at
/// the returned map, or null when sizes needed for strides are dynamic.
static AffineMap composeReshape(ArrayRef<ReassociationIndices> groups,
                                RankedTensorType collapsedTy,
                                RankedTensorType expandedTy, AffineMap map,
                                bool readCollapsed) {
  MLIRContext *ctx = map.getContext();
  SmallVector<AffineExpr> exprs;
  if (readCollapsed) {
    // Reading the collapsed tensor at e reads the expanded one at the
    // digits of e in the group's mixed radix.
    exprs.resize(expandedTy.getRank());
    for (auto [g, group] : llvm::enumerate(groups)) {
      AffineExpr e = map.getResult(g);
      int64_t stride = 1;
      for (int64_t k = group.size() - 1; k >= 0; --k) {
        int64_t size = expandedTy.getDimSize(group[k]);
        AffineExpr digit = stride == 1 ? e : e.floorDiv(stride);
        if (k > 0) {
          if (ShapedType::isDynamic(size))
            return {};
          digit = digit % size;
        }
        exprs[group[k]] = size == 1 ? getAffineConstantExpr(0, ctx) : digit;
        if (k > 0)
          stride *= size;
      }
    }
  } else {
    // Reading the expanded tensor at (e_0, ..., e_k) of a group reads the
    // collapsed one at their linearization.
    for (const ReassociationIndices &group : groups) {
      AffineExpr sum = getAffineConstantExpr(0, ctx);
      int64_t stride = 1;
      for (int64_t k = group.size() - 1; k >= 0; --k) {
        sum = sum + map.getResult(group[k]) * stride;
        int64_t size = expandedTy.getDimSize(group[k]);
        if (k > 0 && ShapedType::isDynamic(size))
          return {};
        stride *= size;
      }
      exprs.push_back(sum);
    }
  }
  (void)collapsedTy;
  return simplifyAffineMap(
      AffineMap::get(map.getNumDims(), map.getNumSymbols(), exprs, ctx));
}

/// `e` as sum(coefficients[d] * d) + constant; fails on anything else.
static bool getLinearForm(AffineExpr e, SmallVectorImpl<int64_t> &coefficients,
                          int64_t &constant, int64_t scale = 1) {
  if (auto d = dyn_cast<AffineDimExpr>(e)) {
    coefficients[d.getPosition()] += scale;
    return true;
  }
  if (auto c = dyn_cast<AffineConstantExpr>(e)) {
    constant += scale * c.getValue();
    return true;
  }
  auto bin = dyn_cast<AffineBinaryOpExpr>(e);
  if (!bin)
    return false;
  if (bin.getKind() == AffineExprKind::Add)
    return getLinearForm(bin.getLHS(), coefficients, constant, scale) &&
           getLinearForm(bin.getRHS(), coefficients, constant, scale);
  if (bin.getKind() == AffineExprKind::Mul)
    if (auto c = dyn_cast<AffineConstantExpr>(bin.getRHS()))
      return getLinearForm(bin.getLHS(), coefficients, constant,
                           scale * c.getValue());
  return false;
}

/// The range [lo, hi] of `e` from the dims' static sizes, if known.
std::optional<std::pair<int64_t, int64_t>>
ElementExprBuilder::getRange(AffineExpr e) const {
  if (auto d = dyn_cast<AffineDimExpr>(e)) {
    int64_t size = dimSizes[d.getPosition()];
    if (ShapedType::isDynamic(size))
      return std::nullopt;
    return std::make_pair<int64_t, int64_t>(0, size - 1);
  }
  if (auto c = dyn_cast<AffineConstantExpr>(e))
    return std::make_pair(c.getValue(), c.getValue());
  auto bin = dyn_cast<AffineBinaryOpExpr>(e);
  if (!bin)
    return std::nullopt;
  auto l = getRange(bin.getLHS());
  auto c = dyn_cast<AffineConstantExpr>(bin.getRHS());
  switch (bin.getKind()) {
  case AffineExprKind::Add: {
    auto r = getRange(bin.getRHS());
    if (!l || !r)
      return std::nullopt;
    return std::make_pair(l->first + r->first, l->second + r->second);
  }
  case AffineExprKind::Mul:
    if (!l || !c || c.getValue() < 0)
      return std::nullopt;
    return std::make_pair(l->first * c.getValue(), l->second * c.getValue());
  case AffineExprKind::FloorDiv:
    if (!l || !c || c.getValue() <= 0 || l->first < 0)
      return std::nullopt;
    return std::make_pair(l->first / c.getValue(), l->second / c.getValue());
  case AffineExprKind::Mod:
    if (!c || c.getValue() <= 0)
      return std::nullopt;
    return std::make_pair<int64_t, int64_t>(0, c.getValue() - 1);
  default:
    return std::nullopt;
  }
}

/// `(q * c + r) floordiv c` is q and `mod c` is r when r is known to lie in
/// [0, c) from the dims' sizes: what reading a collapse of an expand (or
/// the reverse) leaves behind.
AffineExpr ElementExprBuilder::simplifyDivMod(AffineExpr e) const {
  auto bin = dyn_cast<AffineBinaryOpExpr>(e);
  if (!bin)
    return e;
  AffineExpr lhs = simplifyDivMod(bin.getLHS());
  AffineExpr rhs = simplifyDivMod(bin.getRHS());
  AffineExprKind kind = bin.getKind();
  auto c = dyn_cast<AffineConstantExpr>(rhs);
  SmallVector<int64_t> coefficients(kMaxDims, 0);
  int64_t constant = 0;
  if ((kind == AffineExprKind::FloorDiv || kind == AffineExprKind::Mod) && c &&
      c.getValue() > 0 && getLinearForm(lhs, coefficients, constant)) {
    int64_t divisor = c.getValue();
    AffineExpr quotient = getAffineConstantExpr(0, ctx);
    AffineExpr remainder = getAffineConstantExpr(constant, ctx);
    int64_t lo = constant, hi = constant;
    bool known = true;
    for (unsigned d = 0; d < kMaxDims && known; ++d) {
      int64_t coef = coefficients[d];
      if (coef == 0)
        continue;
      if (coef % divisor == 0) {
        quotient = quotient + dim(d) * (coef / divisor);
        continue;
      }
      if (ShapedType::isDynamic(dimSizes[d])) {
        known = false;
        break;
      }
      remainder = remainder + dim(d) * coef;
      int64_t extent = coef * (dimSizes[d] - 1);
      (extent < 0 ? lo : hi) += extent;
    }
    if (known && lo >= 0 && hi < divisor)
      return kind == AffineExprKind::FloorDiv ? quotient : remainder;
  }
  // x mod c is x, and x floordiv c is 0, when x is known to lie in [0, c).
  if ((kind == AffineExprKind::FloorDiv || kind == AffineExprKind::Mod) && c &&
      c.getValue() > 0) {
    std::optional<std::pair<int64_t, int64_t>> range = getRange(lhs);
    if (range && range->first >= 0 && range->second < c.getValue())
      return kind == AffineExprKind::Mod ? lhs : getAffineConstantExpr(0, ctx);
  }
  return getAffineBinaryOpExpr(kind, lhs, rhs);
}

/// x when `result` of `ifOp` is upstream tosa-to-linalg's run-time
/// broadcast of a dynamic dim: `scf.if (dim == 1) { broadcast copy of x }
/// else { x }`. Either way each element read is an element of x (the copy
/// only repeats x's single row), so the matcher reads x.
static Value getRuntimeBroadcastSource(scf::IfOp ifOp, OpResult result) {
  if (ifOp.getElseRegion().empty())
    return {};
  unsigned i = result.getResultNumber();
  Value thenValue = ifOp.thenYield().getOperand(i);
  Value elseValue = ifOp.elseYield().getOperand(i);
  auto copy = thenValue.getDefiningOp<linalg::GenericOp>();
  if (!copy || copy.getNumDpsInputs() != 1 || copy.getNumResults() != 1 ||
      copy.getDpsInputs()[0] != elseValue ||
      copy.getBody()->getTerminator()->getOperand(0) !=
          copy.getBody()->getArgument(0))
    return {};
  return elseValue;
}

const ElementExpr *ElementExprBuilder::read(Value tensor, AffineMap map) {
  map = simplifyAffineMap(widen(map));
  SmallVector<AffineExpr> simplified;
  for (AffineExpr e : map.getResults())
    simplified.push_back(simplifyAffineExpr(simplifyDivMod(e), kMaxDims, 0));
  map = AffineMap::get(kMaxDims, 0, simplified, ctx);
  auto key = std::make_pair(tensor, map);
  if (auto it = reads.find(key); it != reads.end())
    return it->second;
  const ElementExpr *result = nullptr;
  Operation *def = tensor.getDefiningOp();
  if (std::optional<double> c = getConstantValue(tensor)) {
    result = makeConstant(*c, getElementTypeOrSelf(tensor.getType()));
  } else if (auto fill = dyn_cast_or_null<linalg::FillOp>(def)) {
    if (fill.hasPureTensorSemantics()) {
      visited.insert(def);
      result = scalar(fill.getInputs()[0]);
    }
  } else if (auto splat = dyn_cast_or_null<tensor::SplatOp>(def)) {
    visited.insert(def);
    result = scalar(splat.getInput());
  } else if (auto collapse = dyn_cast_or_null<tensor::CollapseShapeOp>(def)) {
    if (AffineMap src = composeReshape(collapse.getReassociationIndices(),
                                       collapse.getResultType(),
                                       collapse.getSrcType(), map, true)) {
      visited.insert(def);
      result = read(collapse.getSrc(), src);
    }
  } else if (auto expand = dyn_cast_or_null<tensor::ExpandShapeOp>(def)) {
    if (AffineMap src = composeReshape(expand.getReassociationIndices(),
                                       expand.getSrcType(),
                                       expand.getResultType(), map, false)) {
      visited.insert(def);
      result = read(expand.getSrc(), src);
    }
  } else if (auto generic = dyn_cast_or_null<linalg::GenericOp>(def)) {
    if (!isContraction(generic))
      result = readGeneric(generic, cast<OpResult>(tensor), map);
  } else if (auto ifOp = dyn_cast_or_null<scf::IfOp>(def)) {
    if (Value x = getRuntimeBroadcastSource(ifOp, cast<OpResult>(tensor))) {
      // The whole if (both branches) goes with its result.
      def->walk([&](Operation *nested) { visited.insert(nested); });
      result = read(x, map);
    }
  }
  if (!result) {
    result = leaf(tensor, map);
  } else if (!result->origin && result->kind != ExprKind::Read) {
    // Remember which tensor this whole expression is an element of.
    ElementExpr copy = *result;
    copy.origin = tensor;
    copy.originMap = map;
    result = make(copy);
  }
  reads[key] = result;
  return result;
}

const ElementExpr *ElementExprBuilder::readGeneric(linalg::GenericOp generic,
                                                   OpResult result,
                                                   AffineMap map) {
  if (!generic.hasPureTensorSemantics())
    return nullptr;
  unsigned resultIndex = result.getResultNumber();
  OpOperand *init = generic.getDpsInitOperand(resultIndex);
  AffineMap outMap = generic.getMatchingIndexingMap(init);
  unsigned numLoops = generic.getNumLoops();
  // Each loop as an expr of the space: parallel loops from the output map
  // (constant results are unit dims: keepdim), reduction loops fresh dims.
  SmallVector<AffineExpr> loops(numLoops);
  for (auto [k, e] : llvm::enumerate(outMap.getResults())) {
    if (auto d = dyn_cast<AffineDimExpr>(e)) {
      if (loops[d.getPosition()])
        return nullptr;
      loops[d.getPosition()] = map.getResult(k);
    } else if (!isa<AffineConstantExpr>(e)) {
      return nullptr;
    }
  }
  SmallVector<unsigned> reduced;
  for (unsigned d = 0; d < numLoops; ++d) {
    if (loops[d])
      continue;
    if (generic.getIteratorTypesArray()[d] != utils::IteratorType::reduction ||
        nextDim >= kMaxDims)
      return nullptr;
    reduced.push_back(nextDim);
    dimSizes[nextDim] = generic.getStaticLoopRanges()[d];
    loops[d] = dim(nextDim++);
  }
  Block *body = generic.getBody();
  Value yielded = body->getTerminator()->getOperand(resultIndex);
  llvm::DenseMap<Value, const ElementExpr *> memo;
  if (reduced.empty()) {
    // Elementwise: the output's own value must not be read.
    if (!generic.getMatchingBlockArgument(init).use_empty())
      return nullptr;
    const ElementExpr *e = inBody(generic, yielded, loops, memo);
    if (e)
      visited.insert(generic);
    return e;
  }
  // A reduction: yield combine(x, acc) with acc this result's own output.
  Operation *combine = yielded.getDefiningOp();
  BlockArgument acc = generic.getMatchingBlockArgument(init);
  if (!combine || combine->getBlock() != body ||
      combine->getNumOperands() != 2 ||
      !isa<arith::AddFOp, arith::MaximumFOp, arith::MaxNumFOp>(combine))
    return nullptr;
  Value x;
  if (combine->getOperand(0) == acc)
    x = combine->getOperand(1);
  else if (combine->getOperand(1) == acc)
    x = combine->getOperand(0);
  else
    return nullptr;
  // The accumulator feeds only the combination (an argmax result reads it
  // too; it is a separate result the matcher checks is unused).
  for (Operation *user : acc.getUsers())
    if (user != combine && !isa<arith::CmpFOp>(user))
      return nullptr;
  const ElementExpr *bodyExpr = inBody(generic, x, loops, memo);
  if (!bodyExpr)
    return nullptr;
  // The init as read at the result's indices (before any reduction).
  const ElementExpr *initExpr = read(init->get(), map);
  ElementExpr e{ExprKind::Reduce};
  e.operands = {initExpr, bodyExpr};
  e.reducedDims.assign(reduced.begin(), reduced.end());
  e.isMaxReduce = !isa<arith::AddFOp>(combine);
  e.maxIgnoresNaN = isa<arith::MaxNumFOp>(combine);
  e.elementType = result.getType();
  e.elementType = getElementTypeOrSelf(e.elementType);
  e.definingOp = generic;
  visited.insert(generic);
  return make(e);
}

const ElementExpr *
ElementExprBuilder::inBody(linalg::GenericOp generic, Value v,
                           ArrayRef<AffineExpr> loops,
                           llvm::DenseMap<Value, const ElementExpr *> &memo) {
  if (auto it = memo.find(v); it != memo.end())
    return it->second;
  const ElementExpr *result = nullptr;
  Block *body = generic.getBody();
  if (auto arg = dyn_cast<BlockArgument>(v); arg && arg.getOwner() == body) {
    if (arg.getArgNumber() >= generic.getNumDpsInputs())
      return nullptr; // an output read outside a reduction
    OpOperand *in = generic.getDpsInputOperand(arg.getArgNumber());
    if (!isa<ShapedType>(in->get().getType())) {
      result = scalar(in->get());
    } else {
      AffineMap loopsMap = AffineMap::get(kMaxDims, 0, loops, ctx);
      result =
          read(in->get(), generic.getMatchingIndexingMap(in).compose(loopsMap));
    }
  } else if (v.getParentBlock() != body) {
    result = scalar(v);
  } else if (auto index = v.getDefiningOp<linalg::IndexOp>()) {
    ElementExpr e{ExprKind::Index};
    e.index = loops[index.getDim()];
    e.elementType = v.getType();
    result = make(e);
  } else {
    Operation *op = v.getDefiningOp();
    auto operand = [&](unsigned i) {
      return inBody(generic, op->getOperand(i), loops, memo);
    };
    if (isa<arith::ExtFOp, arith::TruncFOp, arith::IndexCastOp,
            arith::IndexCastUIOp>(op)) {
      result = operand(0);
    } else if (std::optional<double> c = getConstantValue(v)) {
      result = makeConstant(*c, v.getType());
    } else {
      ExprOp kind =
          llvm::TypeSwitch<Operation *, ExprOp>(op)
              .Case<arith::AddFOp, arith::AddIOp>(
                  [](auto) { return ExprOp::Add; })
              .Case<arith::SubFOp, arith::SubIOp>(
                  [](auto) { return ExprOp::Sub; })
              .Case<arith::MulFOp, arith::MulIOp>(
                  [](auto) { return ExprOp::Mul; })
              .Case<arith::DivFOp>([](auto) { return ExprOp::Div; })
              .Case<arith::MaximumFOp, arith::MaxNumFOp>(
                  [](auto) { return ExprOp::Max; })
              .Case<arith::NegFOp>([](auto) { return ExprOp::Neg; })
              .Case<math::ExpOp>([](auto) { return ExprOp::Exp; })
              .Case<math::LogOp>([](auto) { return ExprOp::Log; })
              .Case<math::SqrtOp>([](auto) { return ExprOp::Sqrt; })
              .Case<arith::SelectOp>([](auto) { return ExprOp::Select; })
              .Case<arith::CmpFOp>([](auto) { return ExprOp::CmpF; })
              .Case<arith::CmpIOp>([](auto) { return ExprOp::CmpI; })
              .Case<arith::UIToFPOp, arith::SIToFPOp>(
                  [](auto) { return ExprOp::IntToFP; })
              .Case<arith::XOrIOp>([](auto) { return ExprOp::XOrI; })
              .Default([](Operation *) { return ExprOp::Unhandled; });
      if (kind == ExprOp::Unhandled || op->getNumResults() != 1)
        return nullptr;
      SmallVector<const ElementExpr *> operands;
      for (unsigned i = 0; i < op->getNumOperands(); ++i) {
        const ElementExpr *e = operand(i);
        if (!e)
          return nullptr;
        operands.push_back(e);
      }
      int64_t predicate = 0;
      if (auto cmp = dyn_cast<arith::CmpFOp>(op))
        predicate = static_cast<int64_t>(cmp.getPredicate());
      if (auto cmp = dyn_cast<arith::CmpIOp>(op))
        predicate = static_cast<int64_t>(cmp.getPredicate());
      result = fold(kind, operands, v.getType(), predicate, generic);
    }
  }
  memo[v] = result;
  return result;
}

const ElementExpr *
ElementExprBuilder::fold(ExprOp op, ArrayRef<const ElementExpr *> operands,
                         Type t, int64_t predicate, Operation *def) {
  bool allConstant = llvm::all_of(
      operands, [](const ElementExpr *e) { return e->isConstant(); });
  if (allConstant && isa<FloatType>(t)) {
    auto c = [&](unsigned i) { return operands[i]->constant; };
    std::optional<double> v;
    switch (op) {
    case ExprOp::Add:
      v = c(0) + c(1);
      break;
    case ExprOp::Sub:
      v = c(0) - c(1);
      break;
    case ExprOp::Mul:
      v = c(0) * c(1);
      break;
    case ExprOp::Div:
      v = c(0) / c(1);
      break;
    case ExprOp::Neg:
      v = -c(0);
      break;
    case ExprOp::Exp:
      v = std::exp(c(0));
      break;
    case ExprOp::Log:
      v = std::log(c(0));
      break;
    case ExprOp::Sqrt:
      v = std::sqrt(c(0));
      break;
    default:
      break;
    }
    if (v)
      return makeConstant(*v, t);
  }
  // x / c is x * (1 / c): one spelling of a constant scale.
  if (op == ExprOp::Div && operands[1]->isConstant() &&
      operands[1]->constant != 0.0 && !operands[0]->isConstant()) {
    const ElementExpr *recip = makeConstant(1.0 / operands[1]->constant, t);
    return fold(ExprOp::Mul, {operands[0], recip}, t, 0, def);
  }
  // x + 0 and x * 1 are x (no-op adds front ends leave behind).
  if ((op == ExprOp::Add || op == ExprOp::Mul) && operands.size() == 2) {
    double unit = op == ExprOp::Add ? 0.0 : 1.0;
    for (unsigned i = 0; i < 2; ++i)
      if (operands[i]->isConstant() && operands[i]->constant == unit)
        return operands[1 - i];
  }
  if (op == ExprOp::Sub && operands[1]->isConstant() &&
      operands[1]->constant == 0.0)
    return operands[0];
  ElementExpr e{ExprKind::Op};
  e.op = op;
  e.operands.assign(operands.begin(), operands.end());
  e.predicate = predicate;
  e.elementType = t;
  e.definingOp = def;
  return make(e);
}

const ElementExpr *ElementExprBuilder::scalar(Value v) {
  if (std::optional<double> c = getConstantValue(v))
    return makeConstant(*c, v.getType());
  Operation *def = v.getDefiningOp();
  if (isa_and_nonnull<arith::ExtFOp, arith::TruncFOp>(def))
    return scalar(def->getOperand(0));
  // A 0-d tensor read as a scalar (torch-mlir's scalars).
  if (auto extract = dyn_cast_or_null<tensor::ExtractOp>(def)) {
    if (extract.getIndices().empty()) {
      visited.insert(def);
      return read(extract.getTensor(), AffineMap::get(kMaxDims, 0, ctx));
    }
  }
  if (isa_and_nonnull<arith::MulFOp, arith::DivFOp, arith::AddFOp,
                      arith::SubFOp>(def)) {
    const ElementExpr *a = scalar(def->getOperand(0));
    const ElementExpr *b = scalar(def->getOperand(1));
    ExprOp kind = isa<arith::MulFOp>(def)   ? ExprOp::Mul
                  : isa<arith::DivFOp>(def) ? ExprOp::Div
                  : isa<arith::AddFOp>(def) ? ExprOp::Add
                                            : ExprOp::Sub;
    return fold(kind, {a, b}, v.getType(), 0, def);
  }
  if (isa_and_nonnull<math::SqrtOp>(def))
    return fold(ExprOp::Sqrt, {scalar(def->getOperand(0))}, v.getType(), 0,
                def);
  ElementExpr e{ExprKind::Scalar};
  e.value = v;
  e.elementType = v.getType();
  return make(e);
}

//===----------------------------------------------------------------------===//
// Queries
//===----------------------------------------------------------------------===//

static bool isSame(const ElementExpr *a, const ElementExpr *b,
                   SmallVectorImpl<AffineExpr> &rename, unsigned &budget) {
  // Shared subexpressions are compared once per path: a budget keeps a
  // pathological DAG from taking exponential time (then: not the same).
  if (budget == 0)
    return false;
  --budget;
  if (a == b) {
    bool identity = true;
    for (auto [d, e] : llvm::enumerate(rename))
      identity &= e == getAffineDimExpr(d, e.getContext());
    if (identity)
      return true;
  }
  if (a->kind != b->kind || a->op != b->op || a->predicate != b->predicate ||
      a->operands.size() != b->operands.size())
    return false;
  switch (a->kind) {
  case ExprKind::Constant:
    return a->constant == b->constant ||
           (std::isnan(a->constant) && std::isnan(b->constant));
  case ExprKind::Scalar:
    return a->value == b->value;
  case ExprKind::Read: {
    if (a->value != b->value)
      return false;
    // Size-1 dims read the same element whatever the map says.
    auto ty = dyn_cast<RankedTensorType>(a->value.getType());
    AffineMap renamed =
        a->map.replaceDimsAndSymbols(rename, {}, rename.size(), 0);
    for (unsigned i = 0; i < renamed.getNumResults(); ++i)
      if ((!ty || ty.getDimSize(i) != 1) &&
          renamed.getResult(i) != b->map.getResult(i))
        return false;
    return true;
  }
  case ExprKind::Index:
    return a->index.replaceDimsAndSymbols(rename, {}) == b->index;
  case ExprKind::Reduce: {
    if (a->isMaxReduce != b->isMaxReduce ||
        a->reducedDims.size() != b->reducedDims.size())
      return false;
    for (auto [x, y] : llvm::zip(a->reducedDims, b->reducedDims))
      rename[x] = getAffineDimExpr(y, rename[x].getContext());
    break;
  }
  case ExprKind::Op:
    break;
  }
  for (auto [x, y] : llvm::zip(a->operands, b->operands))
    if (!isSame(x, y, rename, budget))
      return false;
  return true;
}

bool isSameExprRenamed(const ElementExpr *a, const ElementExpr *b,
                       unsigned from, unsigned to) {
  MLIRContext *ctx = nullptr;
  for (const ElementExpr *e : {a, b})
    if (e->map)
      ctx = e->map.getContext();
    else if (e->index)
      ctx = e->index.getContext();
  // Find a context through the tree when the roots have none.
  SmallVector<const ElementExpr *> stack{a};
  while (!ctx && !stack.empty()) {
    const ElementExpr *e = stack.pop_back_val();
    if (e->map)
      ctx = e->map.getContext();
    else if (e->index)
      ctx = e->index.getContext();
    stack.append(e->operands.begin(), e->operands.end());
  }
  if (!ctx)
    return a->kind == b->kind && a->isConstant() && a->constant == b->constant;
  SmallVector<AffineExpr> rename;
  for (unsigned d = 0; d < ElementExprBuilder::kMaxDims; ++d)
    rename.push_back(getAffineDimExpr(d == from ? to : d, ctx));
  unsigned budget = 1u << 16;
  return isSame(a, b, rename, budget);
}

/// Visits every node of the DAG under `e` once (expressions share nodes:
/// a layer norm reads its input three times), stopping when `fn` says so.
static bool anyNode(const ElementExpr *e,
                    llvm::function_ref<bool(const ElementExpr *)> fn) {
  llvm::SmallPtrSet<const ElementExpr *, 32> seen;
  SmallVector<const ElementExpr *> stack{e};
  while (!stack.empty()) {
    const ElementExpr *node = stack.pop_back_val();
    if (!seen.insert(node).second)
      continue;
    if (fn(node))
      return true;
    stack.append(node->operands.begin(), node->operands.end());
  }
  return false;
}

bool readsDim(const ElementExpr *e, unsigned d) {
  return anyNode(e, [&](const ElementExpr *n) {
    return (n->kind == ExprKind::Read && n->map.isFunctionOfDim(d)) ||
           (n->kind == ExprKind::Index && n->index.isFunctionOfDim(d));
  });
}

bool readsTensor(const ElementExpr *e, Value tensor) {
  return anyNode(e, [&](const ElementExpr *n) {
    return n->kind == ExprKind::Read && n->value == tensor;
  });
}

void collectContractionReads(const ElementExpr *e,
                             SmallVectorImpl<const ElementExpr *> &reads) {
  anyNode(e, [&](const ElementExpr *n) {
    if (n->kind == ExprKind::Read && isContraction(n->value.getDefiningOp()))
      reads.push_back(n);
    return false;
  });
}

std::string describe(const ElementExpr *e) { return describe(e, 3); }

std::string describe(const ElementExpr *e, unsigned depth) {
  std::string s;
  llvm::raw_string_ostream os(s);
  if (depth == 0)
    return "...";
  switch (e->kind) {
  case ExprKind::Constant:
    os << e->constant;
    break;
  case ExprKind::Read:
    if (Operation *def = e->value.getDefiningOp())
      os << def->getName().getStringRef();
    else
      os << "argument";
    os << "[";
    llvm::interleaveComma(e->map.getResults(), os);
    os << "]";
    break;
  case ExprKind::Scalar:
    os << "scalar";
    break;
  case ExprKind::Index:
    os << "index(" << e->index << ")";
    break;
  case ExprKind::Reduce:
    os << (e->isMaxReduce ? "max" : "sum") << "(...)";
    break;
  case ExprKind::Op: {
    static const char *names[] = {"add",  "sub",  "mul",     "div",  "max",
                                  "neg",  "exp",  "log",     "sqrt", "select",
                                  "cmpf", "cmpi", "tofloat", "xori", "?"};
    os << names[static_cast<int>(e->op)] << "(";
    llvm::interleaveComma(e->operands, os,
                          [&](const ElementExpr *o) { os << describe(o); });
    os << ")";
    break;
  }
  }
  return s;
}

} // namespace mlir::inhibitor::attention
