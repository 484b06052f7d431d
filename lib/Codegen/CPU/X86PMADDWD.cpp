//===- X86PMADDWD.cpp - Even or odd 16-bit lanes widened as x86 pmaddwd ---===//
//
// `--inhibitor-x86-pmaddwd`: the sign extension of a vector's even or odd
// 16-bit lanes (the 16-bit clamp sums of --inhibitor-tile-and-vectorize,
// ClampSum.cpp, in portable vector ops) replaced by pmaddwd with a 0/1
// multiplier, through `llvm.call_intrinsic`; LLVM then fuses the
// accumulating add into vpdpwssd where the target has VNNI. It runs after
// bufferization, as `--inhibitor-x86-pmaddubsw` does.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORX86PMADDWD
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

namespace {

/// extsi(shuffle(x, x, [p, p + 2, p + 4, ...]) : L x i16) : L x i32 on
/// x : vector<2L x i16>, p = 0 or 1, L = 4, 8, 16 -> pmaddwd(x, m) with
/// m = 1 in the lanes of parity p and 0 in the others.
struct LanesToPMADDWD : OpRewritePattern<arith::ExtSIOp> {
  LanesToPMADDWD(MLIRContext *ctx, int64_t maxBits)
      : OpRewritePattern(ctx), maxBits(maxBits) {}
  LogicalResult matchAndRewrite(arith::ExtSIOp op,
                                PatternRewriter &rewriter) const override {
    auto shuffle = op.getIn().getDefiningOp<vector::ShuffleOp>();
    auto resTy = dyn_cast<VectorType>(op.getType());
    if (!shuffle || !resTy || resTy.getRank() != 1 || resTy.isScalable() ||
        !resTy.getElementType().isInteger(32))
      return failure();
    auto srcTy = dyn_cast<VectorType>(shuffle.getV1().getType());
    int64_t lanes = resTy.getDimSize(0);
    if (!srcTy || srcTy.getRank() != 1 ||
        !srcTy.getElementType().isInteger(16) ||
        srcTy.getDimSize(0) != 2 * lanes || 32 * lanes > maxBits)
      return failure();
    StringRef intrinsic = lanes == 16  ? "llvm.x86.avx512.pmaddw.d.512"
                          : lanes == 8 ? "llvm.x86.avx2.pmadd.wd"
                          : lanes == 4 ? "llvm.x86.sse2.pmadd.wd"
                                       : StringRef();
    if (intrinsic.empty())
      return failure();
    // Every index one parity, in order, from the first operand.
    ArrayRef<int64_t> mask = shuffle.getMask();
    int64_t parity = mask.empty() ? -1 : mask[0];
    if (parity != 0 && parity != 1)
      return failure();
    for (auto [k, index] : llvm::enumerate(mask))
      if (index != 2 * int64_t(k) + parity)
        return failure();
    SmallVector<int16_t> ones;
    for (int64_t k = 0; k < 2 * lanes; ++k)
      ones.push_back(k % 2 == parity ? 1 : 0);
    Value multiplier = arith::ConstantOp::create(
        rewriter, op.getLoc(), srcTy,
        DenseElementsAttr::get(srcTy, ArrayRef<int16_t>(ones)));
    rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
        op, resTy, rewriter.getStringAttr(intrinsic),
        ValueRange{shuffle.getV1(), multiplier});
    return success();
  }

private:
  int64_t maxBits;
};

struct X86PMADDWDPass
    : inhibitor::impl::InhibitorX86PMADDWDBase<X86PMADDWDPass> {
  using Base::Base;
  void runOnOperation() override {
    if (maxBits != 128 && maxBits != 256 && maxBits != 512) {
      getOperation()->emitError()
          << "inhibitor-x86-pmaddwd: max-bits must be 128, 256 or 512";
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    inhibitor::populateX86PMADDWDPatterns(patterns, maxBits);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::inhibitor::populateX86PMADDWDPatterns(RewritePatternSet &patterns,
                                                 int64_t maxBits) {
  patterns.add<LanesToPMADDWD>(patterns.getContext(), maxBits);
}
