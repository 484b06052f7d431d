//===- VectorizeByteInhibition.cpp - The i8 inhibition in bytes -----------===//
//
// The fused kernel's split signed inhibition (docs/Lowering.md) is a
// linalg.generic
//
//   H[b..., i, e] += max(min(extsi(V[b..., j, e]), Z[b..., i, j]), -Z)
//
// with Z >= 0. For i8 values, clamp(V, -Z, Z) = clamp(V, lo, hi) with the
// byte bounds hi = min(Z, 127) and lo = -min(Z, 128): the clamp runs on
// bytes, twice the lanes of i16. `--inhibitor-vectorize-byte-inhibition`
// computes the bounds once per pair, interleaves the values of two keys byte
// by byte, clamps 2L bytes (L i16 lanes) at a time against the two keys'
// bounds broadcast as one 16-bit pattern, and adds each 16-bit lane's two
// bytes into the i16 accumulator: x86 pmaddubsw's semantics with ones, in
// portable vector ops, which `--inhibitor-x86-pmaddubsw` turns into the
// instruction.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORVECTORIZEBYTEINHIBITION
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

/// Whether `z` is provably >= 0: the result of a linalg.generic that yields
/// `arith.maxsi(x, 0)` (the score's epilogue).
static bool isNonNegative(Value z) {
  auto generic = z.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic->getNumResults() != 1)
    return false;
  auto yield =
      cast<linalg::YieldOp>(generic.getRegion().front().getTerminator());
  auto max = yield.getOperand(0).getDefiningOp<arith::MaxSIOp>();
  return max && (matchPattern(max.getRhs(), m_Zero()) ||
                 matchPattern(max.getLhs(), m_Zero()));
}

/// The split signed inhibition of i8 values: inputs V [1.., M, E] (i8) and
/// Z [1.., N, M] (i16, >= 0), init H [1.., N, E] (i16), loops
/// (b..., i, j, e) with only j a reduction, identity-like maps, body
/// `yield out + max(min(extsi(v), z), 0 - z)`; static sizes, unit batch
/// dims, an even M.
static LogicalResult matchByteInhibition(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumResults() != 1)
    return failure();
  int64_t n = op.getNumLoops();
  if (n < 3)
    return failure();
  int64_t nb = n - 3;
  SmallVector<utils::IteratorType> its = op.getIteratorTypesArray();
  for (int64_t l = 0; l < n; ++l)
    if ((its[l] == utils::IteratorType::reduction) != (l == nb + 1))
      return failure();
  MLIRContext *ctx = op.getContext();
  auto map = [&](int64_t a, int64_t b) {
    SmallVector<AffineExpr> exprs;
    for (int64_t l = 0; l < nb; ++l)
      exprs.push_back(getAffineDimExpr(l, ctx));
    exprs.push_back(getAffineDimExpr(nb + a, ctx));
    exprs.push_back(getAffineDimExpr(nb + b, ctx));
    return AffineMap::get(n, 0, exprs, ctx);
  };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps[0] != map(1, 2) || maps[1] != map(0, 1) || maps[2] != map(0, 2))
    return failure();
  Value v = op.getDpsInputs()[0], z = op.getDpsInputs()[1];
  Value h = op.getDpsInits()[0];
  if (!getElementTypeOrSelf(v.getType()).isInteger(8) ||
      !getElementTypeOrSelf(z.getType()).isInteger(16) ||
      !getElementTypeOrSelf(h.getType()).isInteger(16))
    return failure();
  // Static sizes but the queries' (a ragged query tile).
  for (Value operand : {v, z, h}) {
    auto ty = cast<RankedTensorType>(operand.getType());
    for (int64_t d = 0; d < nb; ++d)
      if (ty.getDimSize(d) != 1)
        return failure();
    for (int64_t d = nb; d < nb + 2; ++d)
      if (ty.isDynamicDim(d) && !(operand != v && d == nb))
        return failure();
  }
  if (cast<RankedTensorType>(v.getType()).getDimSize(nb) % 2 != 0)
    return failure();
  Block &body = op.getRegion().front();
  Value vArg = body.getArgument(0), zArg = body.getArgument(1),
        hArg = body.getArgument(2);
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddIOp>();
  if (!add)
    return failure();
  Value clamped = add.getLhs() == hArg   ? add.getRhs()
                  : add.getRhs() == hArg ? add.getLhs()
                                         : Value();
  auto max = clamped ? clamped.getDefiningOp<arith::MaxSIOp>() : nullptr;
  auto min = max ? max.getLhs().getDefiningOp<arith::MinSIOp>() : nullptr;
  auto neg = max ? max.getRhs().getDefiningOp<arith::SubIOp>() : nullptr;
  auto ext = min ? min.getLhs().getDefiningOp<arith::ExtSIOp>() : nullptr;
  if (!min || !neg || !ext || ext.getIn() != vArg || min.getRhs() != zArg ||
      neg.getRhs() != zArg || !matchPattern(neg.getLhs(), m_Zero()))
    return failure();
  return success(isNonNegative(z));
}

namespace {
struct VectorizeByteInhibition : OpRewritePattern<linalg::GenericOp> {
  VectorizeByteInhibition(MLIRContext *ctx, int64_t vectorBits)
      : OpRewritePattern(ctx), vectorBits(vectorBits) {}

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(matchByteInhibition(op)))
      return rewriter.notifyMatchFailure(op, "not a byte inhibition");
    Value v = op.getDpsInputs()[0], z = op.getDpsInputs()[1];
    Value h = op.getDpsInits()[0];
    auto vTy = cast<RankedTensorType>(v.getType());
    int64_t r = vTy.getRank(), nb = r - 2;
    int64_t m = vTy.getDimSize(nb), e = vTy.getDimSize(nb + 1);
    // L i16 lanes per vector, 2L bytes: the values of two keys for L
    // columns. Value columns in whole vectors, up to two per register row.
    int64_t lanes = vectorBits / 16;
    if (e % lanes != 0 || m == 0)
      return rewriter.notifyMatchFailure(op, "value columns not whole vectors");
    int64_t colVecs = (e / lanes) % 2 == 0 ? 2 : 1;
    Location loc = op.getLoc();
    Type i8 = rewriter.getI8Type(), i16 = rewriter.getI16Type();
    auto byteVec = VectorType::get({2 * lanes}, i8);
    auto halfVec = VectorType::get({lanes}, i8);
    auto wordVec = VectorType::get({lanes}, i16);
    auto pairVec = VectorType::get({2}, i8);
    auto oneWord = VectorType::get({1}, i16);

    Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(rewriter, loc, 1);
    // The unit batch dims read index 0.
    SmallVector<Value> zeros(nb, c0);
    auto index = [&](OpBuilder &b, Location l, int64_t c) -> Value {
      return arith::ConstantIndexOp::create(b, l, c);
    };
    auto at = [&](ValueRange tail) {
      SmallVector<Value> idx(zeros);
      idx.append(tail.begin(), tail.end());
      return idx;
    };
    Value padByte = arith::ConstantOp::create(rewriter, loc,
                                              rewriter.getIntegerAttr(i8, 0));
    Value padWord = arith::ConstantOp::create(rewriter, loc,
                                              rewriter.getIntegerAttr(i16, 0));

    // The byte bounds [1.., N, M]: hi = min(Z, 127), lo = -min(Z, 128), by
    // one elementwise generic (vectorized later like any other).
    auto zTy = cast<RankedTensorType>(z.getType());
    auto boundsTy = RankedTensorType::get(zTy.getShape(), i8);
    SmallVector<OpFoldResult> zSizes = tensor::getMixedSizes(rewriter, loc, z);
    Value hiInit = tensor::EmptyOp::create(rewriter, loc, zSizes, i8);
    Value loInit = tensor::EmptyOp::create(rewriter, loc, zSizes, i8);
    AffineMap id = AffineMap::getMultiDimIdentityMap(r, getContext());
    auto bounds = linalg::GenericOp::create(
        rewriter, loc, TypeRange{boundsTy, boundsTy}, ValueRange{z},
        ValueRange{hiInit, loInit}, ArrayRef<AffineMap>{id, id, id},
        SmallVector<utils::IteratorType>(r, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value c127 = arith::ConstantIntOp::create(b, l, i16, 127);
          Value c128 = arith::ConstantIntOp::create(b, l, i16, 128);
          Value zero = arith::ConstantIntOp::create(b, l, i16, 0);
          Value hi16 = arith::MinSIOp::create(b, l, args[0], c127);
          Value lo16 = arith::MinSIOp::create(b, l, args[0], c128);
          Value negLo = arith::SubIOp::create(b, l, zero, lo16);
          Value hi = arith::TruncIOp::create(b, l, i8, hi16);
          Value lo = arith::TruncIOp::create(b, l, i8, negLo);
          linalg::YieldOp::create(b, l, ValueRange{hi, lo});
        });
    Value hiT = bounds.getResult(0), loT = bounds.getResult(1);

    // The values of keys 2p and 2p + 1 interleaved byte by byte:
    // vp[p, 2c + s] = V[2p + s, c], as [M / 2, 2E].
    Value vpInit = tensor::EmptyOp::create(rewriter, loc,
                                           ArrayRef<int64_t>{m / 2, 2 * e}, i8);
    auto pairLoop = scf::ForOp::create(
        rewriter, loc, c0, index(rewriter, loc, m / 2), c1, ValueRange{vpInit},
        [&](OpBuilder &b, Location l, Value p, ValueRange iters) {
          Value row0 = arith::MulIOp::create(b, l, p, index(b, l, 2));
          Value row1 = arith::AddIOp::create(b, l, row0, c1);
          Value vp = iters[0];
          for (int64_t c = 0; c < e; c += lanes) {
            Value col = index(b, l, c);
            Value a = vector::TransferReadOp::create(b, l, halfVec, v,
                                                     at({row0, col}), padByte,
                                                     ArrayRef<bool>{true});
            Value bb = vector::TransferReadOp::create(b, l, halfVec, v,
                                                      at({row1, col}), padByte,
                                                      ArrayRef<bool>{true});
            Value both = vector::InterleaveOp::create(b, l, a, bb);
            vp = vector::TransferWriteOp::create(
                     b, l, both, vp, ValueRange{p, index(b, l, 2 * c)},
                     ArrayRef<bool>{true})
                     .getResult();
          }
          scf::YieldOp::create(b, l, vp);
        });
    Value vp = pairLoop.getResult(0);

    // The pair sum: each 16-bit lane's two signed bytes, added in i16.
    auto pairSum = [&](OpBuilder &b, Location l, Value x) -> Value {
      Value grouped =
          vector::ShapeCastOp::create(b, l, VectorType::get({lanes, 2}, i8), x);
      Value wide = arith::ExtSIOp::create(
          b, l, VectorType::get({lanes, 2}, i16), grouped);
      Value zero = arith::ConstantOp::create(
          b, l, wordVec, DenseElementsAttr::get(wordVec, APInt(16, 0)));
      return vector::MultiDimReductionOp::create(b, l, wide, zero,
                                                 ArrayRef<bool>{false, true},
                                                 vector::CombiningKind::ADD);
    };
    // The bounds of the pair (2p, 2p + 1) for query i, broadcast as one
    // 16-bit pattern to all 2L bytes.
    auto pairBound = [&](OpBuilder &b, Location l, Value src, Value i,
                         Value p) -> Value {
      Value col = arith::MulIOp::create(b, l, p, index(b, l, 2));
      Value two = vector::TransferReadOp::create(
          b, l, pairVec, src, at({i, col}), padByte, ArrayRef<bool>{true});
      Value word = vector::BitCastOp::create(b, l, oneWord, two);
      Value all = vector::BroadcastOp::create(b, l, wordVec, word);
      return vector::BitCastOp::create(b, l, byteVec, all);
    };

    // Blocks of `rows` queries x `colVecs` vectors of value columns; the
    // block's accumulators stay in registers across the key pairs. Blocks
    // of 4 queries, then the rest one by one.
    auto rowLoop = [&](Value lower, Value upper, int64_t rows, Value hIn) {
      return scf::ForOp::create(
                 rewriter, loc, lower, upper, index(rewriter, loc, rows),
                 ValueRange{hIn},
                 [&](OpBuilder &b, Location l, Value i0, ValueRange rowIters) {
                   auto colLoop = scf::ForOp::create(
                       b, l, c0, index(b, l, e), index(b, l, colVecs * lanes),
                       ValueRange{rowIters[0]},
                       [&](OpBuilder &cb, Location cl, Value e0,
                           ValueRange colIters) {
                         SmallVector<Value> is, cols, accs;
                         for (int64_t q = 0; q < rows; ++q)
                           is.push_back(arith::AddIOp::create(
                               cb, cl, i0, index(cb, cl, q)));
                         for (int64_t x = 0; x < colVecs; ++x)
                           cols.push_back(arith::AddIOp::create(
                               cb, cl, e0, index(cb, cl, x * lanes)));
                         for (int64_t q = 0; q < rows; ++q)
                           for (int64_t x = 0; x < colVecs; ++x)
                             accs.push_back(vector::TransferReadOp::create(
                                 cb, cl, wordVec, colIters[0],
                                 at({is[q], cols[x]}), padWord,
                                 ArrayRef<bool>{true}));
                         auto keyLoop = scf::ForOp::create(
                             cb, cl, c0, index(cb, cl, m / 2), c1, accs,
                             [&](OpBuilder &kb, Location kl, Value p,
                                 ValueRange partial) {
                               SmallVector<Value> acc(partial.begin(),
                                                      partial.end());
                               SmallVector<Value> vals;
                               for (int64_t x = 0; x < colVecs; ++x) {
                                 Value col = arith::MulIOp::create(
                                     kb, kl, cols[x], index(kb, kl, 2));
                                 vals.push_back(vector::TransferReadOp::create(
                                     kb, kl, byteVec, vp, ValueRange{p, col},
                                     padByte, ArrayRef<bool>{true}));
                               }
                               for (int64_t q = 0; q < rows; ++q) {
                                 Value hi = pairBound(kb, kl, hiT, is[q], p);
                                 Value lo = pairBound(kb, kl, loT, is[q], p);
                                 for (int64_t x = 0; x < colVecs; ++x) {
                                   Value upper = arith::MinSIOp::create(
                                       kb, kl, vals[x], hi);
                                   Value c = arith::MaxSIOp::create(kb, kl,
                                                                    upper, lo);
                                   Value sum = pairSum(kb, kl, c);
                                   Value &a = acc[q * colVecs + x];
                                   a = arith::AddIOp::create(kb, kl, a, sum);
                                 }
                               }
                               scf::YieldOp::create(kb, kl, acc);
                             });
                         Value out = colIters[0];
                         for (int64_t q = 0; q < rows; ++q)
                           for (int64_t x = 0; x < colVecs; ++x)
                             out =
                                 vector::TransferWriteOp::create(
                                     cb, cl, keyLoop.getResult(q * colVecs + x),
                                     out, at({is[q], cols[x]}),
                                     ArrayRef<bool>{true})
                                     .getResult();
                         scf::YieldOp::create(cb, cl, out);
                       });
                   scf::YieldOp::create(b, l, colLoop.getResult(0));
                 })
          .getResult(0);
    };
    Value nq = tensor::DimOp::create(rewriter, loc, h, nb);
    Value c4 = index(rewriter, loc, 4);
    Value rest = arith::RemUIOp::create(rewriter, loc, nq, c4);
    Value blocked = arith::SubIOp::create(rewriter, loc, nq, rest);
    Value out = rowLoop(c0, blocked, 4, h);
    out = rowLoop(blocked, nq, 1, out);
    rewriter.replaceOp(op, out);
    return success();
  }

private:
  int64_t vectorBits;
};

struct VectorizeByteInhibitionPass
    : inhibitor::impl::InhibitorVectorizeByteInhibitionBase<
          VectorizeByteInhibitionPass> {
  using Base::Base;
  void runOnOperation() override {
    if (vectorBits != 128 && vectorBits != 256 && vectorBits != 512) {
      getOperation()->emitError() << "inhibitor-vectorize-byte-inhibition: "
                                     "vector-bits must be 128, 256 or 512";
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    inhibitor::populateVectorizeByteInhibitionPatterns(patterns, vectorBits);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::inhibitor::populateVectorizeByteInhibitionPatterns(
    RewritePatternSet &patterns, int64_t vectorBits) {
  patterns.add<VectorizeByteInhibition>(patterns.getContext(), vectorBits);
}
