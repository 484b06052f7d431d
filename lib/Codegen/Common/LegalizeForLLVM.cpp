//===- LegalizeForLLVM.cpp - Prepare vector arith/math for LLVM -----------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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

/// Whether upstream's memref-to-LLVM lowering copies `type` with a memcpy:
/// its test in `MemRefCopyOpLowering` (an identity layout, or a static
/// shape that is contiguous in row-major order).
bool copiesAsMemcpy(Type type) {
  auto memrefTy = dyn_cast<MemRefType>(type);
  return memrefTy &&
         (memrefTy.getLayout().isIdentity() ||
          (memrefTy.hasStaticShape() && memrefTy.getNumElements() > 0 &&
           memref::isStaticShapeAndContiguousRowMajor(memrefTy)));
}

/// memref.copy that upstream would lower to a call of `memrefCopy` (the
/// strided copy of `libmlir_c_runner_utils`, which an ahead-of-time
/// compiled kernel does not link) -> a loop nest of loads and stores, the
/// innermost loop over the last dim (LLVM vectorizes it where that dim's
/// stride is 1). Bufferization leaves such copies where a reshape of a
/// strided buffer with dynamic strides is not provably contiguous.
struct ExpandStridedCopy : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    auto srcTy = dyn_cast<MemRefType>(op.getSource().getType());
    auto dstTy = dyn_cast<MemRefType>(op.getTarget().getType());
    if (!srcTy || !dstTy)
      return rewriter.notifyMatchFailure(op, "unranked memref");
    if (copiesAsMemcpy(srcTy) && copiesAsMemcpy(dstTy))
      return rewriter.notifyMatchFailure(op, "lowers to a memcpy");
    Location loc = op.getLoc();
    SmallVector<Value> lbs, ubs, steps;
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    for (int64_t d = 0, e = srcTy.getRank(); d < e; ++d) {
      lbs.push_back(zero);
      ubs.push_back(
          memref::DimOp::create(rewriter, loc, op.getSource(), d).getResult());
      steps.push_back(one);
    }
    scf::buildLoopNest(rewriter, loc, lbs, ubs, steps,
                       [&](OpBuilder &b, Location l, ValueRange ivs) {
                         Value x =
                             memref::LoadOp::create(b, l, op.getSource(), ivs);
                         memref::StoreOp::create(b, l, x, op.getTarget(), ivs);
                       });
    rewriter.eraseOp(op);
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
    patterns.add<UnrollNDAbsI, ExpandStridedCopy>(&getContext());
    arith::populateCeilFloorDivExpandOpsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
