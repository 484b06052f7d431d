//===- Normalize.cpp - One form for the attention matcher -----------------===//
//
// Brings a function to the one form the attention matcher reads, with
// upstream's own rewrites: TOSA through tosa-to-linalg(-named), -tensor and
// -arith; `linalg.softmax` through its AggregatedOpInterface decomposition;
// named linalg ops and arith/math on whole tensors generalized (matmul,
// batch_matmul, transpose, broadcast, elementwise); dead results of generics
// (torch-mlir's argmax of max.dim) dropped; constants folded; reshapes around
// generics propagated by expansion (batch x heads collapsed for a batch_matmul
// come back as 4-D generics). The rewrite runs this on a copy of each function
// and keeps the copy only where it converts something.
//
//===----------------------------------------------------------------------===//

#include "AttentionMatch.h"

#include "mlir/Conversion/TosaToArith/TosaToArith.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Conversion/TosaToTensor/TosaToTensor.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Tosa/Transforms/Passes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace {

/// linalg.softmax -> its upstream decomposition (max, sub + exp, sum, div).
struct DecomposeSoftmax final : OpRewritePattern<linalg::SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return failure();
    FailureOr<SmallVector<Value>> values = op.decomposeOperation(rewriter);
    if (failed(values))
      return failure();
    rewriter.replaceOp(op, *values);
    return success();
  }
};

/// Every named linalg op on tensors (fills included) -> linalg.generic.
struct GeneralizeNamed final : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;
  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (isa<linalg::GenericOp>(op) || !op.hasPureTensorSemantics())
      return failure();
    return linalg::generalizeNamedOp(rewriter, op);
  }
};

} // namespace

/// TOSA in `function` to linalg, tensor and arith; TOSA ops without a
/// conversion (control flow) stay.
static LogicalResult convertTosa(Operation *function) {
  bool hasTosa = false;
  function->walk([&](Operation *op) {
    hasTosa |= isa<tosa::TosaDialect>(op->getDialect());
  });
  if (!hasTosa)
    return success();
  MLIRContext *ctx = function->getContext();
  TypeConverter converter;
  tosa::populateTosaTypeConversion(converter);
  RewritePatternSet patterns(ctx);
  tosa::populateTosaToLinalgNamedConversionPatterns(converter, &patterns,
                                                    TosaToLinalgNamedOptions());
  tosa::populateTosaToLinalgConversionPatterns(converter, &patterns);
  tosa::populateTosaToTensorConversionPatterns(converter, &patterns);
  tosa::populateTosaToArithConversionPatterns(&patterns);
  ConversionTarget target(*ctx);
  target.addIllegalDialect<tosa::TosaDialect>();
  target.addLegalOp<tosa::ApplyScaleOp, tosa::IfOp, tosa::WhileOp,
                    tosa::YieldOp, tosa::ConstShapeOp>();
  target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
  return applyPartialConversion(function, target, std::move(patterns));
}

LogicalResult
mlir::inhibitor::attention::normalizeForAttentionMatching(Operation *function) {
  if (failed(convertTosa(function)))
    return failure();
  MLIRContext *ctx = function->getContext();
  RewritePatternSet patterns(ctx);
  patterns.add<DecomposeSoftmax, GeneralizeNamed>(ctx);
  // arith/math on whole tensors (math.exp of a tensor) -> linalg.generic.
  linalg::populateElementwiseToLinalgConversionPatterns(patterns);
  linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
  // tensor.dim of an intermediate (dynamic shapes) in terms of the inputs,
  // so only the attention itself uses its intermediates.
  memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
  // Only an expand_shape of a generic's result is folded (the generic grows
  // to the expanded rank and the collapse of its operands cancels): that is
  // how batch x heads collapsed around a batch_matmul come back. A collapse
  // feeding a generic is not folded, so K/V heads repeated by a broadcast and
  // a collapse stay one heads dim, read `h floordiv g` (grouped heads).
  linalg::populateFoldReshapeOpsByExpansionPatterns(
      patterns, [](OpOperand *fused) {
        return isa<tensor::ExpandShapeOp>(fused->getOwner());
      });
  linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
  tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
  tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
  tensor::EmptyOp::getCanonicalizationPatterns(patterns, ctx);
  GreedyRewriteConfig config;
  config.setMaxIterations(16);
  // Not converging within the limit still leaves valid IR to match.
  (void)applyPatternsGreedily(function, std::move(patterns), config);
  return success();
}
