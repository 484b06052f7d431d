//===- Decompose.cpp - Split inhibitor.attention into its parts -----------===//

#include "inhibitor/IR/InhibitorOps.h"
#include "inhibitor/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORDECOMPOSE
#include "inhibitor/Transforms/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;

namespace {
struct DecomposeAttention : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (op.isMasked())
      return rewriter.notifyMatchFailure(op, "masked attention has no parts");
    FailureOr<SmallVector<Value>> parts = op.decomposeOperation(rewriter);
    if (failed(parts))
      return failure();
    rewriter.replaceOp(op, *parts);
    return success();
  }
};

struct InhibitorDecomposePass
    : inhibitor::impl::InhibitorDecomposeBase<InhibitorDecomposePass> {
  void runOnOperation() override {
    int64_t before = 0;
    getOperation()->walk([&](AttentionOp op) { before += !op.isMasked(); });
    RewritePatternSet patterns(&getContext());
    populateInhibitorDecomposePatterns(patterns);
    // Only this pattern runs: the canonicalizer would fold the parts back.
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    int64_t after = 0;
    getOperation()->walk([&](AttentionOp op) { after += !op.isMasked(); });
    numDecomposed += before - after;
  }
};
} // namespace

void mlir::inhibitor::populateInhibitorDecomposePatterns(
    RewritePatternSet &patterns) {
  patterns.add<DecomposeAttention>(patterns.getContext());
}
