//===- AttentionToInhibitor.cpp - Dot-product attention to inhibitor ------===//
//
// Replaces `softmax(Q K^T * s) V` on linalg named ops by `inhibitor.attention`.
// This is an architecture change, not an equivalence: the matcher only
// insists that the graph is exactly attention, so that the rewrite replaces
// attention and nothing else.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Conversion/Passes.h"
#include "inhibitor/IR/InhibitorDialect.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <optional>

namespace mlir::inhibitor {
#define GEN_PASS_DEF_CONVERTATTENTIONTOINHIBITOR
#include "inhibitor/Conversion/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

namespace {

/// The pieces of one matched `softmax(Q K^T * s) V`.
struct AttentionMatch {
  Value query, key, value;
  /// The i1 mask (true = attend), or null.
  Value mask;
  /// The matched scale s (1 when there is none): scores are Q K^T * s.
  double scale = 1.0;
  /// Ops replaced by the rewrite, from the root (P V) back to Q K^T; each
  /// but the root has no use left once the root is replaced.
  SmallVector<Operation *> chain;
};

//===----------------------------------------------------------------------===//
// Small matchers
//===----------------------------------------------------------------------===//

/// The value of a float constant scalar, or of a splat float tensor constant.
static std::optional<double> getSplatFloat(Value v) {
  APFloat scalar(0.0);
  if (matchPattern(v, m_ConstantFloat(&scalar)))
    return scalar.convertToDouble();
  DenseFPElementsAttr dense;
  if (matchPattern(v, m_Constant(&dense)) && dense.isSplat())
    return dense.getSplatValue<APFloat>().convertToDouble();
  return std::nullopt;
}

/// The constant a tensor is filled with: a splat constant or a `linalg.fill`
/// of a scalar constant.
static std::optional<double> getFilledFloat(Value v) {
  if (auto fill = v.getDefiningOp<linalg::FillOp>())
    return getSplatFloat(fill.getInputs()[0]);
  return getSplatFloat(v);
}

/// True when `init` holds zeros, so that a matmul into it is just A B.
static bool isZeroFilled(Value init) {
  std::optional<double> c = getFilledFloat(init);
  return c && *c == 0.0;
}

/// A float that masks a score out: -inf or the type's lowest finite value
/// (PyTorch's `finfo(dtype).min`).
static bool isMaskingFloat(Value v) {
  APFloat scalar(0.0);
  DenseFPElementsAttr dense;
  if (matchPattern(v, m_Constant(&dense)) && dense.isSplat())
    scalar = dense.getSplatValue<APFloat>();
  else if (!matchPattern(v, m_ConstantFloat(&scalar)))
    return false;
  if (scalar.isInfinity())
    return scalar.isNegative();
  return scalar.isNegative() && scalar.isLargest();
}

/// True when the maps of a matmul-like op are `maps`.
static bool hasMaps(ArrayAttr attr, ArrayRef<AffineMap> maps) {
  if (attr.size() != maps.size())
    return false;
  for (auto [a, m] : llvm::zip(attr.getAsValueRange<AffineMapAttr>(), maps))
    if (a != m)
      return false;
  return true;
}

/// Maps of A B (`transposeB` = false) or A B^T (true) for rank 2 or with a
/// leading batch dim.
static SmallVector<AffineMap> matmulMaps(MLIRContext *ctx, bool batched,
                                         bool transposeB) {
  SmallVector<AffineExpr> d;
  unsigned numDims = batched ? 4 : 3;
  for (unsigned i = 0; i < numDims; ++i)
    d.push_back(getAffineDimExpr(i, ctx));
  // (b,) m, n, k
  ArrayRef<AffineExpr> dims(d);
  SmallVector<AffineExpr> batch(dims.take_front(batched ? 1 : 0));
  AffineExpr m = dims[numDims - 3], n = dims[numDims - 2],
             k = dims[numDims - 1];
  auto with = [&](std::initializer_list<AffineExpr> tail) {
    SmallVector<AffineExpr> exprs(batch);
    exprs.append(tail);
    return AffineMap::get(numDims, 0, exprs, ctx);
  };
  return {with({m, k}), transposeB ? with({n, k}) : with({k, n}), with({m, n})};
}

/// A and B of a matmul or batch_matmul on tensors with a zero-filled init;
/// `transposedB` says whether its maps read B transposed.
struct MatmulOperands {
  Value lhs, rhs;
  bool transposedB = false;
};

static std::optional<MatmulOperands> matchZeroInitMatmul(Operation *op) {
  if (!op || !isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) ||
      op->getNumResults() != 1)
    return std::nullopt;
  auto linalgOp = cast<linalg::LinalgOp>(op);
  if (!linalgOp.hasPureTensorSemantics() ||
      !isZeroFilled(linalgOp.getDpsInits()[0]))
    return std::nullopt;
  bool batched = isa<linalg::BatchMatmulOp>(op);
  ArrayAttr maps = op->getAttrOfType<ArrayAttr>("indexing_maps");
  MatmulOperands result{linalgOp.getDpsInputs()[0], linalgOp.getDpsInputs()[1],
                        false};
  if (!maps || hasMaps(maps, matmulMaps(op->getContext(), batched, false)))
    return result;
  if (hasMaps(maps, matmulMaps(op->getContext(), batched, true))) {
    result.transposedB = true;
    return result;
  }
  return std::nullopt;
}

/// The key K of a K^T: a `linalg.transpose` swapping the last two dims.
static Value matchTransposedKey(Value keyT) {
  auto transpose = keyT.getDefiningOp<linalg::TransposeOp>();
  if (!transpose || !transpose.hasPureTensorSemantics())
    return {};
  ArrayRef<int64_t> perm = transpose.getPermutation();
  int64_t r = perm.size();
  for (int64_t i = 0; i < r - 2; ++i)
    if (perm[i] != i)
      return {};
  if (r < 2 || perm[r - 2] != r - 1 || perm[r - 1] != r - 2)
    return {};
  return transpose.getInput();
}

/// An elementwise op `scores -> scores * s` (or `scores / c`, s = 1/c) with a
/// constant s: returns s and sets `input` to the scaled operand.
static std::optional<double> matchScale(Operation *op, Value &input) {
  if (!op || op->getNumResults() != 1)
    return std::nullopt;
  auto sameTypes = [&](linalg::LinalgOp linalgOp) {
    if (!linalgOp.hasPureTensorSemantics())
      return false;
    for (OpOperand &operand : linalgOp->getOpOperands())
      if (operand.get().getType() != op->getResult(0).getType())
        return false;
    return llvm::all_of(linalgOp.getIndexingMapsArray(),
                        [](AffineMap m) { return m.isIdentity(); });
  };
  // linalg.mul / linalg.div with a constant (splat or filled) operand.
  if (auto mul = dyn_cast<linalg::MulOp>(op)) {
    if (!sameTypes(mul))
      return std::nullopt;
    for (int i = 0; i < 2; ++i)
      if (std::optional<double> s = getFilledFloat(mul.getInputs()[i])) {
        input = mul.getInputs()[1 - i];
        return s;
      }
    return std::nullopt;
  }
  if (auto div = dyn_cast<linalg::DivOp>(op)) {
    if (!sameTypes(div))
      return std::nullopt;
    std::optional<double> c = getFilledFloat(div.getInputs()[1]);
    if (!c || *c == 0.0)
      return std::nullopt;
    input = div.getInputs()[0];
    return 1.0 / *c;
  }
  // An elementwise linalg.generic whose body multiplies (or divides) its
  // tensor input by a constant (a captured scalar or a splat tensor input).
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || !sameTypes(generic) || generic.getNumDpsInits() != 1 ||
      generic.getNumReductionLoops() != 0 || generic.getNumDpsInputs() < 1 ||
      generic.getNumDpsInputs() > 2)
    return std::nullopt;
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  Operation *arith = yield.getValues()[0].getDefiningOp();
  if (!arith || arith->getBlock() != &body ||
      !isa<arith::MulFOp, arith::DivFOp>(arith) || &body.front() != arith)
    return std::nullopt;
  // Which block argument is the scores and which value is the constant.
  auto constantOf = [&](Value v) -> std::optional<double> {
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner() != &body ||
          arg.getArgNumber() >= generic.getNumDpsInputs())
        return std::nullopt;
      return getSplatFloat(generic.getDpsInputs()[arg.getArgNumber()]);
    }
    return getSplatFloat(v);
  };
  auto inputOf = [&](Value v) -> Value {
    auto arg = dyn_cast<BlockArgument>(v);
    if (!arg || arg.getOwner() != &body ||
        arg.getArgNumber() >= generic.getNumDpsInputs())
      return {};
    return generic.getDpsInputs()[arg.getArgNumber()];
  };
  Value lhs = arith->getOperand(0), rhs = arith->getOperand(1);
  if (isa<arith::MulFOp>(arith)) {
    for (auto [x, c] : {std::make_pair(lhs, rhs), std::make_pair(rhs, lhs)}) {
      Value in = inputOf(x);
      std::optional<double> s = constantOf(c);
      if (in && s && !getSplatFloat(in)) {
        input = in;
        return s;
      }
    }
    return std::nullopt;
  }
  Value in = inputOf(lhs);
  std::optional<double> c = constantOf(rhs);
  if (!in || !c || *c == 0.0 || getSplatFloat(in))
    return std::nullopt;
  input = in;
  return 1.0 / *c;
}

/// `arith.select %mask, %scores, %neg` with `%neg` a masking splat: returns
/// the i1 mask and sets `input` to the scores.
static Value matchSelectMask(Operation *op, Value &input) {
  auto select = dyn_cast_or_null<arith::SelectOp>(op);
  if (!select || !isa<RankedTensorType>(select.getCondition().getType()) ||
      !isMaskingFloat(select.getFalseValue()))
    return {};
  input = select.getTrueValue();
  return select.getCondition();
}

/// `scores + c` (linalg.add) with `c` a constant of only 0 and -inf: sets
/// `maskValues` to `c` (the rewrite turns it into an i1 constant) and `input`
/// to the scores. An additive mask of other values is not a mask.
static bool matchConstantAdditiveMask(Operation *op, Value &input,
                                      DenseFPElementsAttr &maskValues) {
  auto add = dyn_cast_or_null<linalg::AddOp>(op);
  if (!add || !add.hasPureTensorSemantics())
    return false;
  for (int i = 0; i < 2; ++i) {
    DenseFPElementsAttr dense;
    if (!matchPattern(add.getInputs()[i], m_Constant(&dense)) ||
        dense.getType() != add.getResultTypes()[0] ||
        add.getInputs()[1 - i].getType() != add.getResultTypes()[0])
      continue;
    if (!llvm::all_of(dense.getValues<APFloat>(), [](const APFloat &f) {
          return f.isZero() || (f.isInfinity() && f.isNegative());
        }))
      continue;
    input = add.getInputs()[1 - i];
    maskValues = dense;
    return true;
  }
  return false;
}

/// True when `t` is a float element type the inhibitor ops accept.
static bool isInhibitorFloat(Type t) {
  return isa<Float16Type, BFloat16Type, Float32Type, Float64Type>(t);
}

/// `from` accumulates into `to` (the inhibitor verifier's widening rule).
static bool accumulatesInto(Type from, Type to) {
  return from == to ||
         (isInhibitorFloat(from) && isInhibitorFloat(to) &&
          !isa<BFloat16Type>(from) && !isa<BFloat16Type>(to) &&
          from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()) ||
         (isa<BFloat16Type>(from) && isa<Float32Type, Float64Type>(to));
}

/// Two static-or-dynamic sizes that may be equal.
static bool compatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

//===----------------------------------------------------------------------===//
// matchDotProductAttention
//===----------------------------------------------------------------------===//

/// Matches `root` = P V with P = softmax(mask(Q K^T * s)) over the key dim.
/// On success, `additiveMask` holds a constant 0/-inf additive mask to turn
/// into an i1 constant (the i1 mask is then built by the rewrite).
static FailureOr<AttentionMatch>
matchDotProductAttention(Operation *root, DenseFPElementsAttr &additiveMask) {
  AttentionMatch match;
  std::optional<MatmulOperands> pv = matchZeroInitMatmul(root);
  if (!pv || pv->transposedB)
    return failure();
  match.chain.push_back(root);
  match.value = pv->rhs;

  auto softmax = pv->lhs.getDefiningOp<linalg::SoftmaxOp>();
  if (!softmax || !softmax->hasOneUse() || softmax->getNumResults() != 1)
    return failure();
  auto weightsTy = cast<RankedTensorType>(softmax.getInput().getType());
  if (softmax.getDimension() != static_cast<uint64_t>(weightsTy.getRank() - 1))
    return failure();
  match.chain.push_back(softmax);

  // Peel at most one scale and at most one mask, in either order.
  Value scores = softmax.getInput();
  bool sawScale = false, sawMask = false;
  while (true) {
    Operation *def = scores.getDefiningOp();
    if (!def || !scores.hasOneUse())
      return failure();
    Value input;
    if (!sawScale) {
      if (std::optional<double> s = matchScale(def, input)) {
        sawScale = true;
        match.scale = *s;
        match.chain.push_back(def);
        scores = input;
        continue;
      }
    }
    if (!sawMask) {
      if (Value mask = matchSelectMask(def, input)) {
        sawMask = true;
        match.mask = mask;
        match.chain.push_back(def);
        scores = input;
        continue;
      }
      if (matchConstantAdditiveMask(def, input, additiveMask)) {
        sawMask = true;
        match.chain.push_back(def);
        scores = input;
        continue;
      }
    }
    break;
  }
  if (!(match.scale > 0.0) || !std::isfinite(match.scale))
    return failure();

  Operation *scoresOp = scores.getDefiningOp();
  std::optional<MatmulOperands> qk = matchZeroInitMatmul(scoresOp);
  if (!qk || isa<linalg::MatmulOp>(root) != isa<linalg::MatmulOp>(scoresOp))
    return failure();
  match.chain.push_back(scoresOp);
  match.query = qk->lhs;
  match.key = qk->transposedB ? qk->rhs : matchTransposedKey(qk->rhs);
  if (!match.key)
    return failure();

  // Shapes: Q [b..., N, D], K [b..., M, D], V [b..., M, E]; types as the
  // inhibitor verifier wants them.
  auto qTy = cast<RankedTensorType>(match.query.getType());
  auto kTy = cast<RankedTensorType>(match.key.getType());
  auto vTy = cast<RankedTensorType>(match.value.getType());
  auto resultTy = cast<RankedTensorType>(root->getResult(0).getType());
  int64_t r = resultTy.getRank();
  if (qTy.getRank() != r || kTy.getRank() != r || vTy.getRank() != r)
    return failure();
  for (int64_t i = 0; i < r - 2; ++i)
    if (!compatible(qTy.getDimSize(i), kTy.getDimSize(i)) ||
        !compatible(qTy.getDimSize(i), vTy.getDimSize(i)) ||
        !compatible(qTy.getDimSize(i), resultTy.getDimSize(i)))
      return failure();
  if (!compatible(qTy.getDimSize(r - 1), kTy.getDimSize(r - 1)) ||
      !compatible(kTy.getDimSize(r - 2), vTy.getDimSize(r - 2)) ||
      !compatible(qTy.getDimSize(r - 2), resultTy.getDimSize(r - 2)) ||
      !compatible(vTy.getDimSize(r - 1), resultTy.getDimSize(r - 1)))
    return failure();
  Type acc = resultTy.getElementType();
  if (!isInhibitorFloat(acc) || qTy.getElementType() != kTy.getElementType() ||
      !accumulatesInto(qTy.getElementType(), acc) ||
      !accumulatesInto(vTy.getElementType(), acc))
    return failure();
  if (match.mask) {
    // The select's mask has the score shape [b..., N, M].
    auto maskTy = cast<RankedTensorType>(match.mask.getType());
    if (maskTy.getRank() != r)
      return failure();
  }
  return match;
}

//===----------------------------------------------------------------------===//
// The rewrite
//===----------------------------------------------------------------------===//

struct DotProductAttentionToInhibitor final : RewritePattern {
  DotProductAttentionToInhibitor(
      MLIRContext *ctx, const inhibitor::AttentionToInhibitorOptions &options)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx),
        options(options) {}

  LogicalResult matchAndRewrite(Operation *root,
                                PatternRewriter &rewriter) const override {
    if (!isa<linalg::MatmulOp, linalg::BatchMatmulOp>(root))
      return failure();
    DenseFPElementsAttr additiveMask;
    FailureOr<AttentionMatch> match =
        matchDotProductAttention(root, additiveMask);
    if (failed(match))
      return rewriter.notifyMatchFailure(root, "not dot-product attention");

    Location loc = root->getLoc();
    auto resultTy = cast<RankedTensorType>(root->getResult(0).getType());
    Type acc = resultTy.getElementType();
    double gamma = options.gamma != 0.0 ? options.gamma : 1.0 / match->scale;
    // gamma > 0 and alpha >= 0 must stay finite (gamma non-zero) once
    // rounded to the accumulator type (f16 overflows at 65504).
    auto rounded = [&](double v) {
      return rewriter.getFloatAttr(acc, v).getValue();
    };
    if (!rounded(gamma).isFiniteNonZero() || rounded(gamma).isNegative() ||
        !rounded(options.alpha).isFinite() ||
        (rounded(options.alpha).isNegative() &&
         !rounded(options.alpha).isZero()))
      return rewriter.notifyMatchFailure(
          root, "gamma or alpha not representable in the accumulator type");

    // Destination [b..., N, E]: dynamic sizes from Q (b..., N) and V (E).
    int64_t r = resultTy.getRank();
    SmallVector<Value> dynamicSizes;
    for (int64_t i = 0; i < r; ++i) {
      if (!resultTy.isDynamicDim(i))
        continue;
      Value source = i == r - 1 ? match->value : match->query;
      dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, source, i));
    }
    Value init = tensor::EmptyOp::create(rewriter, loc, resultTy, dynamicSizes);

    Value mask = match->mask;
    if (additiveMask) {
      // 0 attends, -inf masks out.
      auto maskTy = RankedTensorType::get(additiveMask.getType().getShape(),
                                          rewriter.getI1Type());
      SmallVector<bool> bits;
      for (const APFloat &f : additiveMask.getValues<APFloat>())
        bits.push_back(f.isZero());
      mask = arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(maskTy, ArrayRef<bool>(bits)));
    }

    auto attention = inhibitor::AttentionOp::create(
        rewriter, loc, match->query, match->key, match->value, mask, init,
        rewriter.getFloatAttr(acc, gamma),
        rewriter.getFloatAttr(acc, options.alpha), options.isSigned,
        /*causal=*/false);
    if (options.emitRemarks)
      root->emitRemark() << "replaced dot-product attention by "
                            "inhibitor.attention (gamma = "
                         << gamma << ", alpha = " << options.alpha << ")";
    rewriter.replaceOp(root, attention.getResult());
    // The rest of the chain (softmax, mask, scale, Q K^T) is dead now.
    for (Operation *op : llvm::drop_begin(match->chain))
      if (op->use_empty())
        rewriter.eraseOp(op);
    return success();
  }

  inhibitor::AttentionToInhibitorOptions options;
};

struct ConvertAttentionToInhibitorPass
    : inhibitor::impl::ConvertAttentionToInhibitorBase<
          ConvertAttentionToInhibitorPass> {
  using Base::Base;

  /// Counts the inhibitor.attention ops the rewrite creates.
  struct CountingListener final : RewriterBase::Listener {
    explicit CountingListener(Pass::Statistic &counter) : counter(counter) {}
    void notifyOperationInserted(Operation *op,
                                 OpBuilder::InsertPoint) override {
      if (isa<inhibitor::AttentionOp>(op))
        ++counter;
    }
    Pass::Statistic &counter;
  };

  void runOnOperation() override {
    inhibitor::AttentionToInhibitorOptions options;
    options.alpha = alpha;
    options.gamma = gamma;
    options.isSigned = isSigned;
    options.emitRemarks = emitRemarks;
    if (alpha < 0.0 || gamma < 0.0) {
      getOperation()->emitError()
          << "convert-attention-to-inhibitor: alpha and gamma must be "
             "non-negative";
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    inhibitor::populateAttentionToInhibitorPatterns(patterns, options);
    CountingListener listener(numRewritten);
    GreedyRewriteConfig config;
    config.setListener(&listener)
        .enableFolding(false)
        .enableConstantCSE(false)
        .setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
  }
};
} // namespace

void mlir::inhibitor::populateAttentionToInhibitorPatterns(
    RewritePatternSet &patterns, const AttentionToInhibitorOptions &options) {
  patterns.add<DotProductAttentionToInhibitor>(patterns.getContext(), options);
}
