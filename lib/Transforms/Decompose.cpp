//===- Decompose.cpp - Decompose aggregate ops ----------------------------===//
//
// --inhibitor-decompose: ops named in its filter (inhibitor.attention by
// default, or upstream aggregates such as linalg.softmax) replaced by what
// their AggregatedOpInterface::decomposeOperation returns.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/IR/InhibitorOps.h"
#include "inhibitor/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORDECOMPOSE
#include "inhibitor/Transforms/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;

namespace {
/// An op named in `names` decomposed through its AggregatedOpInterface.
struct DecomposeAggregateOp
    : OpInterfaceRewritePattern<linalg::AggregatedOpInterface> {
  DecomposeAggregateOp(MLIRContext *ctx, ArrayRef<std::string> names)
      : OpInterfaceRewritePattern(ctx), names(names) {}

  LogicalResult matchAndRewrite(linalg::AggregatedOpInterface op,
                                PatternRewriter &rewriter) const override {
    if (!llvm::is_contained(names, op->getName().getStringRef()))
      return rewriter.notifyMatchFailure(op, "not in the op filter");
    if (auto attention = dyn_cast<AttentionOp>(op.getOperation()))
      if (attention.isMasked())
        return rewriter.notifyMatchFailure(op, "masked attention has no parts");
    FailureOr<SmallVector<Value>> parts = op.decomposeOperation(rewriter);
    if (failed(parts))
      return rewriter.notifyMatchFailure(op, "decomposeOperation failed");
    rewriter.replaceOp(op, *parts);
    return success();
  }

private:
  SmallVector<std::string> names;
};

struct InhibitorDecomposePass
    : inhibitor::impl::InhibitorDecomposeBase<InhibitorDecomposePass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<std::string> names(opNames.begin(), opNames.end());
    if (names.empty())
      names.push_back(AttentionOp::getOperationName().str());
    // Masked attention has no parts and stays whole by design; any other
    // op of the filter left afterwards could not be decomposed.
    auto isCandidate = [&](Operation *op) {
      if (!llvm::is_contained(names, op->getName().getStringRef()))
        return false;
      auto attention = dyn_cast<AttentionOp>(op);
      return !attention || !attention.isMasked();
    };
    auto countCandidates = [&] {
      int64_t n = 0;
      getOperation()->walk(
          [&](linalg::AggregatedOpInterface op) { n += isCandidate(op); });
      return n;
    };
    int64_t before = countCandidates();
    RewritePatternSet patterns(&getContext());
    patterns.add<DecomposeAggregateOp>(&getContext(), names);
    // Only this pattern runs: the canonicalizer would fold the parts back.
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    bool failedOne = false;
    getOperation()->walk([&](linalg::AggregatedOpInterface op) {
      if (isCandidate(op)) {
        op->emitError("inhibitor-decompose: cannot be decomposed");
        failedOne = true;
      }
    });
    numDecomposed += before - countCandidates();
    if (failedOne)
      signalPassFailure();
  }
};
} // namespace

void mlir::inhibitor::populateInhibitorDecomposePatterns(
    RewritePatternSet &patterns) {
  patterns.add<DecomposeAggregateOp>(
      patterns.getContext(),
      ArrayRef<std::string>{AttentionOp::getOperationName().str()});
}
