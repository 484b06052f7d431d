//===- X86PMADDWD.cpp - Even or odd 16-bit lanes widened as x86 pmaddwd ---===//
//
// `--inhibitor-x86-pmaddwd`: the sign extension of a vector's even or odd
// 16-bit lanes (the 16-bit clamp sums of --inhibitor-tile-and-vectorize,
// ClampSum.cpp, in portable vector ops) replaced by pmaddwd with a 0/1
// multiplier, and the pairwise sum of a vector's lanes (the pair scores,
// PairScore.cpp) by pmaddwd with 1, or -1 where it is subtracted, through
// `llvm.call_intrinsic`; LLVM then fuses the accumulating add into
// vpdpwssd where the target has VNNI. It runs after bufferization, as
// `--inhibitor-x86-pmaddubsw` does.
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
#define GEN_PASS_DEF_INHIBITORX86PMADDWD
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

namespace {

/// The x86 pmaddwd intrinsic for `lanes` i32 results, or "" where there is
/// none within `maxBits`.
static StringRef pmaddwdIntrinsic(int64_t lanes, int64_t maxBits) {
  if (32 * lanes > maxBits)
    return "";
  return lanes == 16  ? "llvm.x86.avx512.pmaddw.d.512"
         : lanes == 8 ? "llvm.x86.avx2.pmadd.wd"
         : lanes == 4 ? "llvm.x86.sse2.pmadd.wd"
                      : StringRef();
}

/// `v` = extsi(shuffle(x, x, [p, p + 2, p + 4, ...]) : L x i16) : L x i32
/// on x : vector<2L x i16>, p = 0 or 1: {x, p}; else {null, -1}.
static std::pair<Value, int64_t> matchLanes(Value v) {
  auto ext = v.getDefiningOp<arith::ExtSIOp>();
  auto shuffle = ext ? ext.getIn().getDefiningOp<vector::ShuffleOp>() : nullptr;
  if (!shuffle)
    return {Value(), -1};
  auto resTy = dyn_cast<VectorType>(ext.getType());
  auto srcTy = dyn_cast<VectorType>(shuffle.getV1().getType());
  if (!resTy || !srcTy || resTy.getRank() != 1 || srcTy.getRank() != 1 ||
      resTy.isScalable() || srcTy.isScalable() ||
      !resTy.getElementType().isInteger(32) ||
      !srcTy.getElementType().isInteger(16) ||
      srcTy.getDimSize(0) != 2 * resTy.getDimSize(0))
    return {Value(), -1};
  // Every index one parity, in order (so from the first operand).
  ArrayRef<int64_t> mask = shuffle.getMask();
  int64_t parity = mask.empty() ? -1 : mask[0];
  if (parity != 0 && parity != 1)
    return {Value(), -1};
  for (auto [k, index] : llvm::enumerate(mask))
    if (index != 2 * int64_t(k) + parity)
      return {Value(), -1};
  return {shuffle.getV1(), parity};
}

/// `v` = extsi(even lanes of x) + extsi(odd lanes of x), either order: x.
static Value matchPairSum(Value v) {
  auto add = v.getDefiningOp<arith::AddIOp>();
  if (!add)
    return Value();
  auto [a, pa] = matchLanes(add.getLhs());
  auto [b, pb] = matchLanes(add.getRhs());
  return a && a == b && pa != pb ? a : Value();
}

/// `v` a constant splat of an integer that fits 16 bits, as int16_t.
static std::optional<int16_t> splatI16(Value v) {
  DenseIntElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.isSplat())
    return std::nullopt;
  APInt c = attr.getSplatValue<APInt>();
  if (!c.isSignedIntN(16))
    return std::nullopt;
  return int16_t(c.getSExtValue());
}

/// `v` = (x's lanes summed pairwise) * splat(c), c fitting 16 bits, either
/// order: {x, c}.
static std::pair<Value, int16_t> matchScaledPairSum(Value v) {
  auto mul = v.getDefiningOp<arith::MulIOp>();
  if (!mul)
    return {Value(), 0};
  for (auto [sum, scale] : {std::pair(mul.getLhs(), mul.getRhs()),
                            std::pair(mul.getRhs(), mul.getLhs())})
    if (Value x = matchPairSum(sum))
      if (std::optional<int16_t> c = splatI16(scale))
        return {x, *c};
  return {Value(), 0};
}

/// pmaddwd(x, m) with m = `even` in the even 16-bit lanes, `odd` in the odd.
static Value createPMADDWD(PatternRewriter &rewriter, Location loc,
                           StringRef intrinsic, Value x, int16_t even,
                           int16_t odd) {
  auto srcTy = cast<VectorType>(x.getType());
  SmallVector<int16_t> m;
  for (int64_t k = 0; k < srcTy.getDimSize(0); ++k)
    m.push_back(k % 2 == 0 ? even : odd);
  Value multiplier = arith::ConstantOp::create(
      rewriter, loc, srcTy,
      DenseElementsAttr::get(srcTy, ArrayRef<int16_t>(m)));
  auto resTy =
      VectorType::get({srcTy.getDimSize(0) / 2}, rewriter.getI32Type());
  return LLVM::CallIntrinsicOp::create(rewriter, loc, resTy,
                                       rewriter.getStringAttr(intrinsic),
                                       ValueRange{x, multiplier})
      .getResult(0);
}

/// A pattern on OpTy that emits pmaddwd for vectors of up to `maxBits`.
template <typename OpTy> struct PMADDWDPattern : OpRewritePattern<OpTy> {
  PMADDWDPattern(MLIRContext *ctx, int64_t maxBits, PatternBenefit benefit = 1)
      : OpRewritePattern<OpTy>(ctx, benefit), maxBits(maxBits) {}

protected:
  /// The pmaddwd intrinsic whose result is `resultType`, or "".
  StringRef intrinsicFor(Type resultType) const {
    auto ty = dyn_cast<VectorType>(resultType);
    return ty && ty.getRank() == 1 ? pmaddwdIntrinsic(ty.getDimSize(0), maxBits)
                                   : StringRef();
  }

private:
  int64_t maxBits;
};

/// One parity's lanes of x sign-extended -> pmaddwd(x, m), m = 1 in the
/// lanes of that parity and 0 in the others. Left to the pair patterns
/// where the other parity's lanes of x are added to it.
struct LanesToPMADDWD : PMADDWDPattern<arith::ExtSIOp> {
  LanesToPMADDWD(MLIRContext *ctx, int64_t maxBits)
      : PMADDWDPattern(ctx, maxBits) {}
  LogicalResult matchAndRewrite(arith::ExtSIOp op,
                                PatternRewriter &rewriter) const override {
    auto [x, parity] = matchLanes(op.getResult());
    if (!x)
      return failure();
    StringRef intrinsic = intrinsicFor(op.getType());
    if (intrinsic.empty())
      return failure();
    for (Operation *user : op->getUsers())
      if (isa<arith::AddIOp>(user) && matchPairSum(user->getResult(0)))
        return failure();
    rewriter.replaceOp(op,
                       createPMADDWD(rewriter, op.getLoc(), intrinsic, x,
                                     parity == 0 ? 1 : 0, parity == 1 ? 1 : 0));
    return success();
  }
};

/// x's lanes summed pairwise (extsi of the even lanes plus extsi of the odd
/// ones) -> pmaddwd(x, 1); `acc - ` that -> `acc + pmaddwd(x, -1)` (which
/// LLVM fuses into vpdpwssd where the target has VNNI; a subtraction it
/// would not).
struct PairSumToPMADDWD : PMADDWDPattern<arith::AddIOp> {
  PairSumToPMADDWD(MLIRContext *ctx, int64_t maxBits)
      : PMADDWDPattern(ctx, maxBits) {}
  LogicalResult matchAndRewrite(arith::AddIOp op,
                                PatternRewriter &rewriter) const override {
    Value x = matchPairSum(op.getResult());
    StringRef intrinsic = intrinsicFor(op.getType());
    if (!x || intrinsic.empty())
      return failure();
    // Subtracted or scaled: NegatedPairSumToPMADDWD's and
    // ScaledPairSumToPMADDWD's.
    for (OpOperand &use : op->getUses()) {
      if (isa<arith::SubIOp>(use.getOwner()) && use.getOperandNumber() == 1)
        return failure();
      if (isa<arith::MulIOp>(use.getOwner()) &&
          matchScaledPairSum(use.getOwner()->getResult(0)).first)
        return failure();
    }
    rewriter.replaceOp(
        op, createPMADDWD(rewriter, op.getLoc(), intrinsic, x, 1, 1));
    return success();
  }
};

/// (x's lanes summed pairwise) * splat(c), c fitting 16 bits ->
/// pmaddwd(x, c). Exact in i32's wrapping arithmetic: pmaddwd's one
/// overflow (x = c = -32768 in both lanes) wraps to the same value.
struct ScaledPairSumToPMADDWD : PMADDWDPattern<arith::MulIOp> {
  ScaledPairSumToPMADDWD(MLIRContext *ctx, int64_t maxBits)
      : PMADDWDPattern(ctx, maxBits, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(arith::MulIOp op,
                                PatternRewriter &rewriter) const override {
    auto [x, c] = matchScaledPairSum(op.getResult());
    StringRef intrinsic = intrinsicFor(op.getType());
    if (!x || intrinsic.empty())
      return failure();
    rewriter.replaceOp(
        op, createPMADDWD(rewriter, op.getLoc(), intrinsic, x, c, c));
    return success();
  }
};

/// acc - (x's lanes summed pairwise) -> acc + pmaddwd(x, -1).
struct NegatedPairSumToPMADDWD : PMADDWDPattern<arith::SubIOp> {
  NegatedPairSumToPMADDWD(MLIRContext *ctx, int64_t maxBits)
      : PMADDWDPattern(ctx, maxBits, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(arith::SubIOp op,
                                PatternRewriter &rewriter) const override {
    Value x = matchPairSum(op.getRhs());
    StringRef intrinsic = intrinsicFor(op.getType());
    if (!x || intrinsic.empty())
      return failure();
    Value negated = createPMADDWD(rewriter, op.getLoc(), intrinsic, x, -1, -1);
    rewriter.replaceOpWithNewOp<arith::AddIOp>(op, op.getLhs(), negated);
    return success();
  }
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
  patterns.add<LanesToPMADDWD, PairSumToPMADDWD, NegatedPairSumToPMADDWD,
               ScaledPairSumToPMADDWD>(patterns.getContext(), maxBits);
}
