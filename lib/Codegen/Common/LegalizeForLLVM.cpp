//===- LegalizeForLLVM.cpp - Prepare vector arith/math for LLVM -----------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORLEGALIZEFORLLVM
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

namespace {
/// math.absi on vector<a x b x ... x n> -> one 1-D math.absi per row.
struct UnrollNDAbsI : OpRewritePattern<math::AbsIOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::AbsIOp op,
                                PatternRewriter &rewriter) const override {
    auto vecTy = dyn_cast<VectorType>(op.getType());
    if (!vecTy || vecTy.getRank() <= 1 || vecTy.isScalable())
      return rewriter.notifyMatchFailure(op, "not a fixed n-D vector");
    Location loc = op.getLoc();
    ArrayRef<int64_t> outer = vecTy.getShape().drop_back();
    Value result =
        arith::ConstantOp::create(rewriter, loc, rewriter.getZeroAttr(vecTy));
    SmallVector<int64_t> strides = computeStrides(outer);
    for (int64_t i = 0, e = computeProduct(outer); i < e; ++i) {
      SmallVector<int64_t> pos = delinearize(i, strides);
      Value row =
          vector::ExtractOp::create(rewriter, loc, op.getOperand(), pos);
      Value abs = math::AbsIOp::create(rewriter, loc, row);
      result = vector::InsertOp::create(rewriter, loc, abs, result, pos);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LegalizeForLLVMPass
    : inhibitor::impl::InhibitorLegalizeForLLVMBase<LegalizeForLLVMPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    if (approximateMath)
      populateMathPolynomialApproximationPatterns(
          patterns, [](StringRef) { return true; });
    patterns.add<UnrollNDAbsI>(&getContext());
    arith::populateCeilFloorDivExpandOpsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
