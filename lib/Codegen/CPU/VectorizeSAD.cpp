//===- VectorizeSAD.cpp - Byte sums of absolute differences -------------===//
//
// The score of i8 data lowered with `sad-score` is a linalg.generic
//
//   Z[b..., i, j] += |zext(Q[b..., i, k]) - zext(K[b..., j, k])|
//
// over (b..., i, j, k), D innermost, on bytes offset by 128. x86's psadbw
// computes exactly this for 8 bytes at a time, into a 64-bit lane: one
// instruction replaces a widen, subtract, absolute value and add per lane.
//
// `--inhibitor-vectorize-sad` rewrites such a generic into loops of vectors
// whose inner step is psadbw's semantics in portable vector ops (widen,
// subtract, absi, a reduction over each 8 lanes), and combines the partial
// sums of a group of keys before the only horizontal step.
// `--inhibitor-x86-psadbw` (X86PSADBW.cpp) replaces that inner step by the
// instruction.
//
//===----------------------------------------------------------------------===//

#include "VectorTranspose.h"
#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORVECTORIZESAD
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

/// Whether `v` is `arith.extui` of the block argument `arg`.
static bool isZExtOf(Value v, Value arg) {
  auto ext = v.getDefiningOp<arith::ExtUIOp>();
  return ext && ext.getIn() == arg;
}

/// Whether `op` is the byte SAD reduction: inputs Q [b..., N, D] and
/// K [b..., M, D] of i8, init Z [b..., N, M] of an integer type of 16 bits
/// or more (every |q - k| <= 255 is exact in it), iteration space
/// (b..., i, j, k) with only k a reduction, body
/// `yield z + absi(extui(q) - extui(k))`.
static LogicalResult matchSAD(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumResults() != 1)
    return failure();
  int64_t n = op.getNumLoops();
  if (n < 3)
    return failure();
  SmallVector<utils::IteratorType> its = op.getIteratorTypesArray();
  for (int64_t l = 0; l < n; ++l)
    if ((its[l] == utils::IteratorType::reduction) != (l == n - 1))
      return failure();
  MLIRContext *ctx = op.getContext();
  auto map = [&](int64_t a, int64_t b) {
    SmallVector<AffineExpr> exprs;
    for (int64_t l = 0; l < n - 3; ++l)
      exprs.push_back(getAffineDimExpr(l, ctx));
    exprs.push_back(getAffineDimExpr(n - 3 + a, ctx));
    exprs.push_back(getAffineDimExpr(n - 3 + b, ctx));
    return AffineMap::get(n, 0, exprs, ctx);
  };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps[0] != map(0, 2) || maps[1] != map(1, 2) || maps[2] != map(0, 1))
    return failure();
  Value q = op.getDpsInputs()[0], k = op.getDpsInputs()[1];
  Type acc = getElementTypeOrSelf(op.getResult(0).getType());
  if (!getElementTypeOrSelf(q.getType()).isInteger(8) ||
      !getElementTypeOrSelf(k.getType()).isInteger(8) ||
      !isa<IntegerType>(acc) || acc.getIntOrFloatBitWidth() < 16)
    return failure();
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddIOp>();
  if (!add)
    return failure();
  Value zArg = body.getArgument(2);
  Value other = add.getLhs() == zArg   ? add.getRhs()
                : add.getRhs() == zArg ? add.getLhs()
                                       : Value();
  auto abs = other ? other.getDefiningOp<math::AbsIOp>() : nullptr;
  auto sub = abs ? abs.getOperand().getDefiningOp<arith::SubIOp>() : nullptr;
  if (!sub || !isZExtOf(sub.getLhs(), body.getArgument(0)) ||
      !isZExtOf(sub.getRhs(), body.getArgument(1)))
    return failure();
  return success();
}

/// Given `lanes` vectors s_0.. of `lanes` i64 lanes each, the vector whose
/// lane g is the sum of all lanes of s_g: log2(lanes) levels of two shuffles
/// and one add per pair of vectors, no scalar extraction.
static Value transposeAndSum(OpBuilder &b, Location loc,
                             SmallVector<Value> vs) {
  int64_t lanes = vs.size();
  for (int64_t w = 1; vs.size() > 1; w *= 2) {
    SmallVector<int64_t> lo, hi;
    for (int64_t l = 0; l < lanes; ++l) {
      bool first = (l / w) % 2 == 0;
      lo.push_back(first ? l : lanes + l - w);
      hi.push_back(first ? l + w : lanes + l);
    }
    SmallVector<Value> next;
    for (size_t p = 0; p + 1 < vs.size(); p += 2) {
      Value x = vector::ShuffleOp::create(b, loc, vs[p], vs[p + 1], lo);
      Value y = vector::ShuffleOp::create(b, loc, vs[p], vs[p + 1], hi);
      next.push_back(arith::AddIOp::create(b, loc, x, y));
    }
    vs = std::move(next);
  }
  return vs.front();
}

/// For x, y of vector<8G x i8> (unsigned bytes): the sums of |x - y| over
/// each 8 consecutive lanes, as vector<G x i64>. This is the semantics of
/// x86 psadbw in portable ops (a sum of 8 differences, <= 2040, is exact in
/// i16); --inhibitor-x86-psadbw matches exactly this form.
static Value groupSAD(OpBuilder &b, Location l, Value x, Value y) {
  int64_t bytes = cast<VectorType>(x.getType()).getNumElements();
  int64_t groups = bytes / 8;
  auto wide = VectorType::get({bytes}, b.getI16Type());
  Value wx = arith::ExtUIOp::create(b, l, wide, x);
  Value wy = arith::ExtUIOp::create(b, l, wide, y);
  Value d = arith::SubIOp::create(b, l, wx, wy);
  Value abs = math::AbsIOp::create(b, l, d);
  Value grouped = vector::ShapeCastOp::create(
      b, l, VectorType::get({groups, 8}, b.getI16Type()), abs);
  auto sumTy = VectorType::get({groups}, b.getI16Type());
  Value zero = arith::ConstantOp::create(
      b, l, sumTy, DenseElementsAttr::get(sumTy, APInt(16, 0)));
  Value sum = vector::MultiDimReductionOp::create(b, l, grouped, zero,
                                                  ArrayRef<bool>{false, true},
                                                  vector::CombiningKind::ADD);
  return arith::ExtUIOp::create(b, l, VectorType::get({groups}, b.getI64Type()),
                                sum);
}

namespace {
struct VectorizeSADReduction : OpRewritePattern<linalg::GenericOp> {
  VectorizeSADReduction(MLIRContext *ctx, int64_t vectorBits)
      : OpRewritePattern(ctx), vectorBits(vectorBits) {}

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(matchSAD(op)))
      return rewriter.notifyMatchFailure(op, "not a byte SAD reduction");
    Location loc = op.getLoc();
    Value q = op.getDpsInputs()[0], k = op.getDpsInputs()[1];
    Value init = op.getDpsInits()[0];
    auto zTy = cast<RankedTensorType>(init.getType());
    Type acc = zTy.getElementType();
    int64_t rank = zTy.getRank(), nb = rank - 2;
    // One psadbw: `bytes` bytes of each operand into `lanes` 64-bit sums.
    // Keys go in groups of `lanes`, whose sums one transposeAndSum combines.
    int64_t bytes = vectorBits / 8, lanes = bytes / 8;
    auto byteVec = VectorType::get({bytes}, rewriter.getI8Type());
    auto sumVec = VectorType::get({lanes}, rewriter.getI64Type());
    auto zVec = VectorType::get({lanes}, acc);

    Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value pad = arith::ConstantOp::create(
        rewriter, loc, rewriter.getIntegerAttr(rewriter.getI8Type(), 0));
    Value accPad =
        arith::ConstantOp::create(rewriter, loc, rewriter.getZeroAttr(acc));
    Value zeroSums = arith::ConstantOp::create(
        rewriter, loc, sumVec, DenseElementsAttr::get(sumVec, int64_t(0)));
    SmallVector<OpFoldResult> zSizes =
        tensor::getMixedSizes(rewriter, loc, init);
    OpFoldResult dSize = tensor::getMixedSize(rewriter, loc, q, rank - 1);
    std::optional<int64_t> staticD = getConstantIntValue(dSize);
    Value dVal = getValueOrCreateConstantIndexOp(rewriter, loc, dSize);
    Value mVal = getValueOrCreateConstantIndexOp(rewriter, loc, zSizes[nb + 1]);
    Value mLast = arith::SubIOp::create(rewriter, loc, mVal, c1);
    // Z's rows hold whole groups when M is a static multiple of the group.
    std::optional<int64_t> staticM = getConstantIntValue(zSizes[nb + 1]);
    bool wholeGroups = staticM && *staticM % lanes == 0;
    // A zero-filled init (the score lowering's) needs no read and add.
    auto fill = init.getDefiningOp<linalg::FillOp>();
    bool zeroInit = fill && matchPattern(fill.value(), m_Zero());
    // Short static rows are unrolled (the query's chunks stay in registers
    // across the keys); others loop over chunks.
    int64_t numChunks = staticD ? llvm::divideCeil(*staticD, bytes) : 0;
    bool unrolled = staticD && numChunks <= 8;

    // Bytes [c, c + bytes) of row `row` of `src`; beyond D the read pads
    // with 0 in both operands, so those lanes add |0 - 0| = 0.
    auto readChunk = [&](OpBuilder &b, Location l, Value src, ValueRange batch,
                         Value row, Value c, bool inBounds) -> Value {
      SmallVector<Value> idx(batch.begin(), batch.end());
      idx.append({row, c});
      return vector::TransferReadOp::create(b, l, byteVec, src, idx, pad,
                                            ArrayRef<bool>{inBounds});
    };

    // Keys in 64-bit lanes (a static D of whole vectors, few enough 8-byte
    // chunks to stay in registers): per group of `lanes` keys, the group's
    // rows are transposed once into D / 8 vectors, vector c holding chunk c
    // of every key of the group; then each query broadcasts its chunk c to
    // all lanes, and psadbw against vector c adds into lane g the sum for
    // key j + g directly: no horizontal step per query.
    int64_t numChunks8 = staticD ? *staticD / 8 : 0;
    int64_t maxChunks8 = vectorBits == 512 ? 16 : 8;
    if (staticD && *staticD > 0 && *staticD % bytes == 0 &&
        numChunks8 <= maxChunks8) {
      auto i64Vec = VectorType::get({lanes}, rewriter.getI64Type());
      auto qChunkVec = VectorType::get({8}, rewriter.getI8Type());
      auto qWordVec = VectorType::get({1}, rewriter.getI64Type());
      Value nVal = getValueOrCreateConstantIndexOp(rewriter, loc, zSizes[nb]);
      SmallVector<Value> blbs(nb, c0), bsteps(nb, c1), bubs;
      for (int64_t d = 0; d < nb; ++d)
        bubs.push_back(
            getValueOrCreateConstantIndexOp(rewriter, loc, zSizes[d]));
      scf::LoopNest bnest = scf::buildLoopNest(
          rewriter, loc, blbs, bubs, bsteps, ValueRange{init},
          [&](OpBuilder &b, Location l, ValueRange batch,
              ValueRange iters) -> scf::ValueVector {
            Value step = arith::ConstantIndexOp::create(b, l, lanes);
            auto groupLoop = scf::ForOp::create(
                b, l, c0, mVal, step, ValueRange{iters[0]},
                [&](OpBuilder &kb, Location kl, Value j, ValueRange gIters) {
                  SmallVector<Value> rows;
                  for (int64_t g = 0; g < lanes; ++g) {
                    Value r = arith::AddIOp::create(
                        kb, kl, j, arith::ConstantIndexOp::create(kb, kl, g));
                    rows.push_back(
                        wholeGroups ? r
                                    : arith::MinSIOp::create(kb, kl, r, mLast)
                                          .getResult());
                  }
                  // chunks[c]: bytes [8c, 8c + 8) of each key of the group.
                  SmallVector<Value> chunks;
                  for (int64_t blk = 0; blk < numChunks8 / lanes; ++blk) {
                    Value off =
                        arith::ConstantIndexOp::create(kb, kl, blk * bytes);
                    SmallVector<Value> block;
                    for (int64_t g = 0; g < lanes; ++g) {
                      Value kc =
                          readChunk(kb, kl, k, batch, rows[g], off, true);
                      block.push_back(
                          vector::BitCastOp::create(kb, kl, i64Vec, kc));
                    }
                    inhibitor::transposeSquare(kb, kl, block);
                    for (Value v : block)
                      chunks.push_back(
                          vector::BitCastOp::create(kb, kl, byteVec, v));
                  }
                  auto queryLoop = scf::ForOp::create(
                      kb, kl, c0, nVal, c1, ValueRange{gIters[0]},
                      [&](OpBuilder &qb, Location ql, Value i,
                          ValueRange zIters) {
                        Value sum = zeroSums;
                        for (int64_t c = 0; c < numChunks8; ++c) {
                          SmallVector<Value> idx(batch.begin(), batch.end());
                          idx.append({i, arith::ConstantIndexOp::create(
                                             qb, ql, 8 * c)});
                          Value q8 = vector::TransferReadOp::create(
                              qb, ql, qChunkVec, q, idx, pad,
                              ArrayRef<bool>{true});
                          Value q64 =
                              vector::BitCastOp::create(qb, ql, qWordVec, q8);
                          Value all =
                              vector::BroadcastOp::create(qb, ql, i64Vec, q64);
                          Value qBytes =
                              vector::BitCastOp::create(qb, ql, byteVec, all);
                          Value sad = groupSAD(qb, ql, qBytes, chunks[c]);
                          sum = arith::AddIOp::create(qb, ql, sum, sad);
                        }
                        Value total = sum;
                        if (acc.getIntOrFloatBitWidth() < 64)
                          total = arith::TruncIOp::create(qb, ql, zVec, total);
                        SmallVector<Value> zIdx(batch.begin(), batch.end());
                        zIdx.append({i, j});
                        if (!zeroInit) {
                          Value old = vector::TransferReadOp::create(
                              qb, ql, zVec, zIters[0], zIdx, accPad,
                              ArrayRef<bool>{wholeGroups});
                          total = arith::AddIOp::create(qb, ql, old, total);
                        }
                        Value z = vector::TransferWriteOp::create(
                                      qb, ql, total, zIters[0], zIdx,
                                      ArrayRef<bool>{wholeGroups})
                                      .getResult();
                        scf::YieldOp::create(qb, ql, z);
                      });
                  scf::YieldOp::create(kb, kl, queryLoop.getResult(0));
                });
            return {groupLoop.getResult(0)};
          });
      rewriter.replaceOp(op, bnest.results);
      return success();
    }

    SmallVector<Value> lbs(nb + 1, c0), steps(nb + 1, c1), ubs;
    for (int64_t d = 0; d <= nb; ++d)
      ubs.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, zSizes[d]));
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps, ValueRange{init},
        [&](OpBuilder &b, Location l, ValueRange ivs,
            ValueRange iters) -> scf::ValueVector {
          ValueRange batch = ivs.take_front(nb);
          Value i = ivs[nb];
          SmallVector<Value> qChunks;
          if (unrolled)
            for (int64_t c = 0; c < numChunks; ++c)
              qChunks.push_back(
                  readChunk(b, l, q, batch, i,
                            arith::ConstantIndexOp::create(b, l, c * bytes),
                            (c + 1) * bytes <= *staticD));
          Value step = arith::ConstantIndexOp::create(b, l, lanes);
          auto keyLoop = scf::ForOp::create(
              b, l, c0, mVal, step, ValueRange{iters[0]},
              [&](OpBuilder &kb, Location kl, Value j, ValueRange zIters) {
                // The group's rows, clamped to the last key unless M is a
                // multiple of the group: a partial group recomputes that key
                // and its lanes are not written.
                SmallVector<Value> rows;
                for (int64_t g = 0; g < lanes; ++g) {
                  Value r = arith::AddIOp::create(
                      kb, kl, j, arith::ConstantIndexOp::create(kb, kl, g));
                  rows.push_back(wholeGroups
                                     ? r
                                     : arith::MinSIOp::create(kb, kl, r, mLast)
                                           .getResult());
                }
                SmallVector<Value> sums(lanes, zeroSums);
                auto accumulate = [&](OpBuilder &cb, Location cl, Value qc,
                                      Value c, bool inBounds,
                                      SmallVector<Value> &acc) {
                  for (int64_t g = 0; g < lanes; ++g) {
                    Value kc =
                        readChunk(cb, cl, k, batch, rows[g], c, inBounds);
                    acc[g] = arith::AddIOp::create(cb, cl, acc[g],
                                                   groupSAD(cb, cl, qc, kc));
                  }
                };
                if (unrolled) {
                  for (int64_t c = 0; c < numChunks; ++c)
                    accumulate(
                        kb, kl, qChunks[c],
                        arith::ConstantIndexOp::create(kb, kl, c * bytes),
                        (c + 1) * bytes <= *staticD, sums);
                } else {
                  Value chunkStep =
                      arith::ConstantIndexOp::create(kb, kl, bytes);
                  auto chunkLoop = scf::ForOp::create(
                      kb, kl, c0, dVal, chunkStep, sums,
                      [&](OpBuilder &cb, Location cl, Value c,
                          ValueRange partial) {
                        SmallVector<Value> acc(partial.begin(), partial.end());
                        Value qc = readChunk(cb, cl, q, batch, i, c, false);
                        accumulate(cb, cl, qc, c, false, acc);
                        scf::YieldOp::create(cb, cl, acc);
                      });
                  sums.assign(chunkLoop.getResults().begin(),
                              chunkLoop.getResults().end());
                }
                // Lane g: the exact sum for key j + g. The accumulator's
                // wrapping sum is its truncation.
                Value total = transposeAndSum(kb, kl, sums);
                if (acc.getIntOrFloatBitWidth() < 64)
                  total = arith::TruncIOp::create(kb, kl, zVec, total);
                SmallVector<Value> zIdx(batch.begin(), batch.end());
                zIdx.append({i, j});
                if (!zeroInit) {
                  Value old = vector::TransferReadOp::create(
                      kb, kl, zVec, zIters[0], zIdx, accPad,
                      ArrayRef<bool>{wholeGroups});
                  total = arith::AddIOp::create(kb, kl, old, total);
                }
                Value z = vector::TransferWriteOp::create(
                              kb, kl, total, zIters[0], zIdx,
                              ArrayRef<bool>{wholeGroups})
                              .getResult();
                scf::YieldOp::create(kb, kl, z);
              });
          return {keyLoop.getResult(0)};
        });
    rewriter.replaceOp(op, nest.results);
    return success();
  }

private:
  int64_t vectorBits;
};

struct VectorizeSADPass
    : inhibitor::impl::InhibitorVectorizeSADBase<VectorizeSADPass> {
  using Base::Base;
  void runOnOperation() override {
    if (vectorBits != 128 && vectorBits != 256 && vectorBits != 512) {
      getOperation()->emitError()
          << "inhibitor-vectorize-sad: vector-bits must be 128, 256 or 512";
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    inhibitor::populateVectorizeSADPatterns(patterns, vectorBits);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::inhibitor::populateVectorizeSADPatterns(RewritePatternSet &patterns,
                                                   int64_t vectorBits) {
  patterns.add<VectorizeSADReduction>(patterns.getContext(), vectorBits);
}
