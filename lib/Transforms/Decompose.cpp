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
  using Base::Base;

  void runOnOperation() override {
    SmallVector<std::string> names(opNames.begin(), opNames.end());
    if (names.empty())
      names.push_back(AttentionOp::getOperationName().str());

    SmallVector<linalg::AggregatedOpInterface> ops;
    getOperation()->walk([&](linalg::AggregatedOpInterface op) {
      if (llvm::is_contained(names, op->getName().getStringRef()))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::AggregatedOpInterface op : ops) {
      // Masked attention has no parts: it stays whole by design.
      if (auto attention = dyn_cast<AttentionOp>(op.getOperation()))
        if (attention.isMasked())
          continue;
      rewriter.setInsertionPoint(op);
      FailureOr<SmallVector<Value>> parts = op.decomposeOperation(rewriter);
      if (failed(parts)) {
        op->emitError("inhibitor-decompose: cannot be decomposed");
        return signalPassFailure();
      }
      rewriter.replaceOp(op, *parts);
      ++numDecomposed;
    }
  }
};
} // namespace

void mlir::inhibitor::populateInhibitorDecomposePatterns(
    RewritePatternSet &patterns) {
  patterns.add<DecomposeAttention>(patterns.getContext());
}
