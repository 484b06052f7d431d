//===- X86PMADDUBSW.cpp - Byte pair sums as x86 pmaddubsw -----------------===//
//
// `--inhibitor-x86-pmaddubsw`: the pair sums of
// `--inhibitor-vectorize-byte-inhibition` (each two adjacent signed bytes
// added in i16, in portable vector ops) replaced by pmaddubsw with a vector
// of ones as its unsigned operand, through `llvm.call_intrinsic`. The sum of
// two bytes lies in [-256, 254], so pmaddubsw's saturation never applies.
// It runs after bufferization, as `--inhibitor-x86-psadbw` does.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORX86PMADDUBSW
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

namespace {

/// multi_reduction<add>(extsi(shape_cast(x : vector<2L x i8>) : L x 2),
/// 0) [1] for L = 8, 16, 32 -> one pmaddubsw of 128, 256 or 512 bits.
struct PairSumToPMADDUBSW : OpRewritePattern<vector::MultiDimReductionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::MultiDimReductionOp op,
                                PatternRewriter &rewriter) const override {
    VectorType srcTy = op.getSourceVectorType();
    if (op.getKind() != vector::CombiningKind::ADD || srcTy.getRank() != 2 ||
        srcTy.isScalable() || srcTy.getDimSize(1) != 2 ||
        op.getReductionDims() != ArrayRef<int64_t>{1} ||
        !srcTy.getElementType().isInteger(16) ||
        !matchPattern(op.getAcc(), m_Zero()))
      return failure();
    int64_t lanes = srcTy.getDimSize(0);
    StringRef intrinsic = lanes == 32   ? "llvm.x86.avx512.pmaddubs.w.512"
                          : lanes == 16 ? "llvm.x86.avx2.pmadd.ub.sw"
                          : lanes == 8  ? "llvm.x86.ssse3.pmadd.ub.sw.128"
                                        : StringRef();
    if (intrinsic.empty())
      return failure();
    auto ext = op.getSource().getDefiningOp<arith::ExtSIOp>();
    auto cast =
        ext ? ext.getIn().getDefiningOp<vector::ShapeCastOp>() : nullptr;
    auto byteTy = VectorType::get({2 * lanes}, rewriter.getI8Type());
    if (!cast || cast.getSource().getType() != byteTy)
      return failure();
    Value ones =
        arith::ConstantOp::create(rewriter, op.getLoc(), byteTy,
                                  DenseElementsAttr::get(byteTy, APInt(8, 1)));
    rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
        op, op.getType(), rewriter.getStringAttr(intrinsic),
        ValueRange{ones, cast.getSource()});
    return success();
  }
};

struct X86PMADDUBSWPass
    : inhibitor::impl::InhibitorX86PMADDUBSWBase<X86PMADDUBSWPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    inhibitor::populateX86PMADDUBSWPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::inhibitor::populateX86PMADDUBSWPatterns(
    RewritePatternSet &patterns) {
  patterns.add<PairSumToPMADDUBSW>(patterns.getContext());
}
