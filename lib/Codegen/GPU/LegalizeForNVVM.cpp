//===- LegalizeForNVVM.cpp - Keep kernels free of libdevice calls ---------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORLEGALIZEFORNVVM
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

namespace {

/// |x| = max(x, -x); at the minimum value both wrap to it, as absi does.
struct AbsIToMax : OpRewritePattern<math::AbsIOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::AbsIOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = op.getOperand();
    Value zero = arith::ConstantOp::create(rewriter, loc,
                                           rewriter.getZeroAttr(x.getType()));
    Value neg = arith::SubIOp::create(rewriter, loc, zero, x);
    rewriter.replaceOpWithNewOp<arith::MaxSIOp>(op, x, neg);
    return success();
  }
};

/// |x| = x with the sign bit cleared.
struct AbsFToBitAnd : OpRewritePattern<math::AbsFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::AbsFOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type type = op.getType();
    Type elem = getElementTypeOrSelf(type);
    unsigned width = elem.getIntOrFloatBitWidth();
    Type intElem = rewriter.getIntegerType(width);
    Type intType = intElem;
    if (auto shaped = dyn_cast<ShapedType>(type))
      intType = shaped.clone(intElem);
    Value bits =
        arith::BitcastOp::create(rewriter, loc, intType, op.getOperand());
    TypedAttr maskAttr =
        rewriter.getIntegerAttr(intElem, APInt::getSignedMaxValue(width));
    if (auto shaped = dyn_cast<ShapedType>(intType))
      maskAttr = DenseElementsAttr::get(shaped, maskAttr);
    Value mask = arith::ConstantOp::create(rewriter, loc, maskAttr);
    Value cleared = arith::AndIOp::create(rewriter, loc, bits, mask);
    rewriter.replaceOpWithNewOp<arith::BitcastOp>(op, type, cleared);
    return success();
  }
};

struct LegalizeForNVVMPass
    : inhibitor::impl::InhibitorLegalizeForNVVMBase<LegalizeForNVVMPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<AbsIToMax, AbsFToBitAnd>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
