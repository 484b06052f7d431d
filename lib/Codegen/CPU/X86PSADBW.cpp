//===- X86PSADBW.cpp - The SAD step as x86 psadbw -------------------------===//
//
// `--inhibitor-x86-psadbw`: the inner step of `--inhibitor-vectorize-sad`
// (the sums of |x - y| over each 8 bytes, in portable vector ops) replaced by
// `llvm.x86.*.psad.bw` through `llvm.call_intrinsic`. It runs after
// bufferization: buffer deallocation rejects ops with unknown memory
// effects, such as intrinsic calls.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORX86PSADBW
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

namespace {

/// groupSAD's form on vector<8G x i8> for G = 2, 4, 8 -> one psadbw of
/// 128 (SSE2), 256 (AVX2) or 512 (AVX-512BW) bits.
struct GroupSADToPSADBW : OpRewritePattern<arith::ExtUIOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::ExtUIOp op,
                                PatternRewriter &rewriter) const override {
    auto resTy = dyn_cast<VectorType>(op.getType());
    if (!resTy || resTy.getRank() != 1 || resTy.isScalable() ||
        !resTy.getElementType().isInteger(64))
      return failure();
    int64_t groups = resTy.getNumElements();
    StringRef intrinsic = groups == 8   ? "llvm.x86.avx512.psad.bw.512"
                          : groups == 4 ? "llvm.x86.avx2.psad.bw"
                          : groups == 2 ? "llvm.x86.sse2.psad.bw"
                                        : StringRef();
    if (intrinsic.empty())
      return failure();
    auto red = op.getIn().getDefiningOp<vector::MultiDimReductionOp>();
    if (!red || red.getKind() != vector::CombiningKind::ADD ||
        red.getReductionDims() != ArrayRef<int64_t>{1} ||
        red.getSourceVectorType().getShape() != ArrayRef<int64_t>{groups, 8} ||
        !red.getSourceVectorType().getElementType().isInteger(16) ||
        !matchPattern(red.getAcc(), m_Zero()))
      return failure();
    auto cast = red.getSource().getDefiningOp<vector::ShapeCastOp>();
    auto abs = cast ? cast.getSource().getDefiningOp<math::AbsIOp>() : nullptr;
    auto sub = abs ? abs.getOperand().getDefiningOp<arith::SubIOp>() : nullptr;
    auto x = sub ? sub.getLhs().getDefiningOp<arith::ExtUIOp>() : nullptr;
    auto y = sub ? sub.getRhs().getDefiningOp<arith::ExtUIOp>() : nullptr;
    auto byteTy = VectorType::get({groups * 8}, rewriter.getI8Type());
    if (!x || !y || x.getIn().getType() != byteTy ||
        y.getIn().getType() != byteTy)
      return failure();
    rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
        op, resTy, rewriter.getStringAttr(intrinsic),
        ValueRange{x.getIn(), y.getIn()});
    return success();
  }
};

struct X86PSADBWPass : inhibitor::impl::InhibitorX86PSADBWBase<X86PSADBWPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    inhibitor::populateX86PSADBWPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::inhibitor::populateX86PSADBWPatterns(RewritePatternSet &patterns) {
  patterns.add<GroupSADToPSADBW>(patterns.getContext());
}
