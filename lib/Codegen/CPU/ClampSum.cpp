//===- ClampSum.cpp - The 16-bit clamp sum into 32-bit sums ---------------===//
//
// See ClampSum.h. Measured in docs/Lowering.md (full-range i16 data).
//
//===----------------------------------------------------------------------===//

#include "ClampSum.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/AffineMap.h"

using namespace mlir;

/// The body `yield acc + sext(max(min(v, hi), lo))` (either order of the
/// sum's operands).
static bool isClampSum(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  if (body.getNumArguments() != 4 || body.getOperations().size() != 5)
    return false;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddIOp>();
  if (!add)
    return false;
  Value acc = body.getArgument(3);
  if ((add.getLhs() == acc) == (add.getRhs() == acc))
    return false;
  auto ext = (add.getLhs() == acc ? add.getRhs() : add.getLhs())
                 .getDefiningOp<arith::ExtSIOp>();
  auto max = ext ? ext.getIn().getDefiningOp<arith::MaxSIOp>() : nullptr;
  auto min = max ? max.getLhs().getDefiningOp<arith::MinSIOp>() : nullptr;
  return min && min.getLhs() == body.getArgument(0) &&
         min.getRhs() == body.getArgument(1) &&
         max.getRhs() == body.getArgument(2);
}

Value mlir::inhibitor::dropLeadingUnitDims(OpBuilder &b, Location loc, Value v,
                                           int64_t keep) {
  auto ty = cast<RankedTensorType>(v.getType());
  int64_t lead = ty.getRank() - keep;
  if (lead == 0)
    return v;
  SmallVector<ReassociationIndices> groups(1);
  for (int64_t d = 0; d <= lead; ++d)
    groups[0].push_back(d);
  for (int64_t d = lead + 1; d < ty.getRank(); ++d)
    groups.push_back({d});
  return tensor::CollapseShapeOp::create(b, loc, v, groups);
}

bool mlir::inhibitor::hasBatchedForm(
    linalg::GenericOp op, ArrayRef<std::pair<int64_t, int64_t>> dims) {
  MLIRContext *ctx = op.getContext();
  int64_t n = op.getNumLoops(), nb = n - 3;
  if (n < 3 || int64_t(dims.size()) != op->getNumOperands())
    return false;
  using utils::IteratorType;
  SmallVector<IteratorType> its = op.getIteratorTypesArray();
  for (int64_t d = 0; d < n; ++d)
    if (its[d] !=
        (d == nb + 1 ? IteratorType::reduction : IteratorType::parallel))
      return false;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  for (auto [m, pair] : llvm::zip(maps, dims)) {
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < nb; ++d)
      exprs.push_back(getAffineDimExpr(d, ctx));
    exprs.push_back(getAffineDimExpr(nb + pair.first, ctx));
    exprs.push_back(getAffineDimExpr(nb + pair.second, ctx));
    if (m != AffineMap::get(n, 0, exprs, ctx))
      return false;
  }
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  for (int64_t d = 0; d < nb; ++d)
    if (ranges[d] != 1)
      return false;
  return true;
}

FailureOr<Value> mlir::inhibitor::vectorizeClampSum16(RewriterBase &rewriter,
                                                      linalg::GenericOp op,
                                                      int64_t vectorBits) {
  if (op.getNumDpsInputs() != 3 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() || !isClampSum(op))
    return failure();
  // (b..., i, j, e) -> V (b..., j, e), hi and lo (b..., i, j), H (b..., i,
  // e).
  if (!hasBatchedForm(op, {{1, 2}, {0, 1}, {0, 1}, {0, 2}}))
    return failure();
  int64_t nb = op.getNumLoops() - 3;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  Value value = op.getDpsInputs()[0], hi = op.getDpsInputs()[1],
        lo = op.getDpsInputs()[2], init = op.getDpsInits()[0];
  auto i16 = rewriter.getI16Type(), i32 = rewriter.getI32Type();
  for (Value v : {value, hi, lo})
    if (cast<RankedTensorType>(v.getType()).getElementType() != i16)
      return failure();
  auto hTy = cast<RankedTensorType>(init.getType());
  if (hTy.getElementType() != i32 || op.hasDynamicShape())
    return failure();
  int64_t N = ranges[nb], M = ranges[nb + 1], E = ranges[nb + 2];
  // 16-bit lanes per vector: a native vector, halved until it divides E
  // (E = 48 at 512 bits: 16 lanes).
  int64_t W = vectorBits / 16;
  if (!llvm::isPowerOf2_64(W))
    return failure();
  while (W >= 8 && (W > E || E % W != 0))
    W /= 2;
  if (W < 8 || N == 0 || M == 0)
    return failure();
  int64_t VE = E / W, half = W / 2;
  // Rows per register block: up to 16 accumulators (two per vector of V)
  // with 512-bit vectors (32 registers on x86), 8 below (AVX2 has 16: 16
  // accumulators spilled, 1.3x slower measured).
  int64_t maxAccumulators = vectorBits >= 512 ? 16 : 8;
  int64_t RB = std::max<int64_t>(1, maxAccumulators / (2 * VE));
  while (N % RB != 0)
    RB /= 2;

  Location loc = op.getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  auto vecTy = VectorType::get({W}, i16);
  auto accTy = VectorType::get({half}, i32);
  auto rowTy = VectorType::get({W}, i32);
  Value v2 = dropLeadingUnitDims(rewriter, loc, value, 2);
  Value hi2 = dropLeadingUnitDims(rewriter, loc, hi, 2);
  Value lo2 = dropLeadingUnitDims(rewriter, loc, lo, 2);
  Value h2 = dropLeadingUnitDims(rewriter, loc, init, 2);
  auto cst = [&](OpBuilder &b, Location l, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, l, v);
  };
  Value pad16 =
      arith::ConstantOp::create(rewriter, loc, IntegerAttr::get(i16, 0));
  Value pad32 =
      arith::ConstantOp::create(rewriter, loc, IntegerAttr::get(i32, 0));
  Value zeros = arith::ConstantOp::create(
      rewriter, loc, DenseElementsAttr::get(accTy, APInt(32, 0)));
  SmallVector<int64_t> even, odd, interleave;
  for (int64_t k = 0; k < half; ++k) {
    even.push_back(2 * k);
    odd.push_back(2 * k + 1);
    interleave.append({k, half + k});
  }
  auto rowLoop = scf::ForOp::create(
      rewriter, loc, cst(rewriter, loc, 0), cst(rewriter, loc, N),
      cst(rewriter, loc, RB), ValueRange{h2},
      [&](OpBuilder &b, Location l, Value i0, ValueRange hIter) {
        auto row = [&](OpBuilder &rb, Location rl, int64_t r) -> Value {
          return r == 0 ? i0
                        : arith::AddIOp::create(rb, rl, i0, cst(rb, rl, r))
                              .getResult();
        };
        // Per row and vector of V: the even and the odd lanes' sums.
        SmallVector<Value> accInit(RB * VE * 2, zeros);
        auto keyLoop = scf::ForOp::create(
            b, l, cst(b, l, 0), cst(b, l, M), cst(b, l, 1), accInit,
            [&](OpBuilder &kb, Location kl, Value j, ValueRange accs) {
              SmallVector<Value> vv;
              for (int64_t v = 0; v < VE; ++v)
                vv.push_back(vector::TransferReadOp::create(
                    kb, kl, vecTy, v2, ValueRange{j, cst(kb, kl, v * W)}, pad16,
                    ArrayRef<bool>{true}));
              SmallVector<Value> next;
              for (int64_t r = 0; r < RB; ++r) {
                Value ir = row(kb, kl, r);
                Value hiV = vector::BroadcastOp::create(
                    kb, kl, vecTy,
                    tensor::ExtractOp::create(kb, kl, hi2, ValueRange{ir, j}));
                Value loV = vector::BroadcastOp::create(
                    kb, kl, vecTy,
                    tensor::ExtractOp::create(kb, kl, lo2, ValueRange{ir, j}));
                for (int64_t v = 0; v < VE; ++v) {
                  Value c = arith::MaxSIOp::create(
                      kb, kl, arith::MinSIOp::create(kb, kl, vv[v], hiV), loV);
                  for (int64_t k = 0; k < 2; ++k) {
                    Value part =
                        vector::ShuffleOp::create(kb, kl, c, c, k ? odd : even);
                    Value wide = arith::ExtSIOp::create(kb, kl, accTy, part);
                    next.push_back(arith::AddIOp::create(
                        kb, kl, accs[(r * VE + v) * 2 + k], wide));
                  }
                }
              }
              scf::YieldOp::create(kb, kl, next);
            });
        // Even and odd lanes back in E's order, added into H's rows.
        Value h = hIter[0];
        for (int64_t r = 0; r < RB; ++r)
          for (int64_t v = 0; v < VE; ++v) {
            Value sums = vector::ShuffleOp::create(
                b, l, keyLoop.getResult((r * VE + v) * 2),
                keyLoop.getResult((r * VE + v) * 2 + 1), interleave);
            SmallVector<Value> at = {row(b, l, r), cst(b, l, v * W)};
            Value old = vector::TransferReadOp::create(
                b, l, rowTy, h, at, pad32, ArrayRef<bool>{true});
            h = vector::TransferWriteOp::create(
                    b, l, arith::AddIOp::create(b, l, old, sums), h, at,
                    ArrayRef<bool>{true})
                    .getResult();
          }
        scf::YieldOp::create(b, l, h);
      });
  return restoreLeadingUnitDims(rewriter, loc, rowLoop.getResult(0), hTy);
}

Value mlir::inhibitor::restoreLeadingUnitDims(OpBuilder &b, Location loc,
                                              Value v, RankedTensorType ty) {
  int64_t rank = cast<RankedTensorType>(v.getType()).getRank();
  int64_t lead = ty.getRank() - rank;
  if (lead == 0)
    return v;
  SmallVector<ReassociationIndices> groups(1);
  for (int64_t d = 0; d <= lead; ++d)
    groups[0].push_back(d);
  for (int64_t d = lead + 1; d < ty.getRank(); ++d)
    groups.push_back({d});
  return tensor::ExpandShapeOp::create(b, loc, ty, v, groups).getResult();
}
