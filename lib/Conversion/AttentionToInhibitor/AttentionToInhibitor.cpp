//===- AttentionToInhibitor.cpp - Dot-product attention to inhibitor ------===//
//
// Replaces `softmax(Q K^T * s) V` (linalg named or decomposed, TOSA) by
// `inhibitor.attention`. This is an architecture change, not an equivalence:
// the matchers (AttentionMatch*.cpp) only insist that the graph is exactly
// attention, so that the rewrite replaces attention and nothing else.
//
//===----------------------------------------------------------------------===//

#include "AttentionMatch.h"

#include "inhibitor/Conversion/Passes.h"
#include "inhibitor/IR/InhibitorDialect.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_CONVERTATTENTIONTOINHIBITOR
#include "inhibitor/Conversion/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using mlir::inhibitor::attention::AttentionMatch;

namespace {

struct DotProductAttentionToInhibitor final : RewritePattern {
  DotProductAttentionToInhibitor(
      MLIRContext *ctx, const inhibitor::AttentionToInhibitorOptions &options)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx),
        options(options) {}

  LogicalResult matchAndRewrite(Operation *root,
                                PatternRewriter &rewriter) const override {
    FailureOr<AttentionMatch> match = failure();
    if (isa<linalg::MatmulOp, linalg::BatchMatmulOp, tensor::ExpandShapeOp>(
            root))
      match = inhibitor::attention::matchLinalgAttention(root);
    else if (isa<tosa::MatMulOp, tosa::ReshapeOp>(root))
      match = inhibitor::attention::matchTosaAttention(root);
    else
      return failure();
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
    if (match->maskConstant)
      mask = arith::ConstantOp::create(rewriter, loc, match->maskConstant);

    auto attention = inhibitor::AttentionOp::create(
        rewriter, loc, match->query, match->key, match->value, mask, init,
        rewriter.getFloatAttr(acc, gamma),
        rewriter.getFloatAttr(acc, options.alpha), options.isSigned,
        match->causal);
    if (options.emitRemarks)
      root->emitRemark() << "replaced dot-product attention by "
                            "inhibitor.attention (gamma = "
                         << gamma << ", alpha = " << options.alpha << ")";
    rewriter.replaceOp(root, attention.getResult());
    // The rest of the chain (softmax, mask, scale, Q K^T) is dead now; erase
    // it users first.
    for (Operation *op : llvm::drop_begin(match->chain))
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
