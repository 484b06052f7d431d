//===- PairScore.cpp - The i16 scores through min(q, k) -------------------===//
//
// See PairScore.h. Measured in docs/Lowering.md (full-range i16 data).
//
//===----------------------------------------------------------------------===//

#include "PairScore.h"

#include "ClampSum.h"
#include "inhibitor/IR/InhibitorDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/AffineMap.h"

using namespace mlir;

/// `v` if it is `extsi(x)` of an i16 `x` to i32: x; else null.
static Value narrowOf(Value v) {
  auto ext = v.getDefiningOp<arith::ExtSIOp>();
  return ext && ext.getIn().getType().isInteger(16) &&
                 ext.getType().isInteger(32)
             ? ext.getIn()
             : Value();
}

/// The body `yield acc + |q - k|`, either order of the sum's and of the
/// difference's operands: with an i32 acc, q and k widened from i16 in the
/// body (q may come widened: an i32 block argument); with an i16 acc, q and
/// k of i16 as they are.
static bool isScoreBody(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  if (body.getNumArguments() != 3)
    return false;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddIOp>();
  if (!add)
    return false;
  Value acc = body.getArgument(2);
  if ((add.getLhs() == acc) == (add.getRhs() == acc))
    return false;
  auto abs = (add.getLhs() == acc ? add.getRhs() : add.getLhs())
                 .getDefiningOp<math::AbsIOp>();
  auto sub = abs ? abs.getOperand().getDefiningOp<arith::SubIOp>() : nullptr;
  if (!sub)
    return false;
  Value q = body.getArgument(0), k = body.getArgument(1);
  bool narrow = acc.getType().isInteger(16);
  if (narrow && (!q.getType().isInteger(16) || !k.getType().isInteger(16)))
    return false;
  auto isQuery = [&](Value v) {
    return narrow || q.getType().isInteger(32) ? v == q : narrowOf(v) == q;
  };
  auto isKey = [&](Value v) { return narrow ? v == k : narrowOf(v) == k; };
  bool ordered = isQuery(sub.getLhs()) && isKey(sub.getRhs());
  bool swapped = isKey(sub.getLhs()) && isQuery(sub.getRhs());
  // Nothing else in the body: the widenings, sub, abs, add, yield.
  size_t expected = narrow ? 4 : q.getType().isInteger(32) ? 5 : 6;
  return (ordered || swapped) && body.getOperations().size() == expected;
}

/// The i16 tensor a widened query slice reads: `q` must be a
/// tensor.extract_slice of a linalg.generic whose only work is `extsi` of
/// one i16 tensor (identity maps); returns the same slice of that tensor,
/// or null.
static Value narrowQuery(RewriterBase &rewriter, Value q) {
  auto slice = q.getDefiningOp<tensor::ExtractSliceOp>();
  if (!slice)
    return Value();
  auto widen = slice.getSource().getDefiningOp<linalg::GenericOp>();
  if (!widen || widen.getNumDpsInputs() != 1 || widen.getNumDpsInits() != 1 ||
      widen->getNumResults() != 1 || !widen.hasPureTensorSemantics() ||
      !llvm::all_of(widen.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }) ||
      widen.getNumParallelLoops() != widen.getNumLoops())
    return Value();
  Block &body = widen.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (body.getOperations().size() != 2 ||
      narrowOf(yield.getOperand(0)) != body.getArgument(0))
    return Value();
  auto sliceTy = cast<RankedTensorType>(slice.getType());
  auto narrowTy =
      RankedTensorType::get(sliceTy.getShape(), rewriter.getI16Type());
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(slice);
  return tensor::ExtractSliceOp::create(
      rewriter, slice.getLoc(), narrowTy, widen.getDpsInputs()[0],
      slice.getMixedOffsets(), slice.getMixedSizes(), slice.getMixedStrides());
}

/// `t`'s two i16 at `at` (the last index and the next) as one 32-bit word
/// broadcast to a vector of `lanes` i16: the pair repeated.
static Value broadcastPair(OpBuilder &b, Location loc, Value t, ValueRange at,
                           int64_t lanes) {
  Type i16 = b.getI16Type(), i32 = b.getI32Type();
  Value pad = arith::ConstantOp::create(b, loc, IntegerAttr::get(i16, 0));
  Value pair = vector::TransferReadOp::create(b, loc, VectorType::get({2}, i16),
                                              t, at, pad, ArrayRef<bool>{true});
  Value word =
      vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), pair);
  Value words = vector::BroadcastOp::create(
      b, loc, VectorType::get({lanes / 2}, i32), word);
  return vector::BitCastOp::create(b, loc, VectorType::get({lanes}, i16),
                                   words);
}

/// x : vector<2L x i16> summed pairwise into vector<L x i32>: extsi of the
/// even lanes plus extsi of the odd lanes (`--inhibitor-x86-pmaddwd`: one
/// pmaddwd).
static Value sumPairs(OpBuilder &b, Location loc, Value x) {
  auto ty = cast<VectorType>(x.getType());
  int64_t half = ty.getDimSize(0) / 2;
  auto wideTy = VectorType::get({half}, b.getI32Type());
  SmallVector<int64_t> even, odd;
  for (int64_t k = 0; k < half; ++k) {
    even.push_back(2 * k);
    odd.push_back(2 * k + 1);
  }
  Value e = arith::ExtSIOp::create(
      b, loc, wideTy, vector::ShuffleOp::create(b, loc, x, x, even));
  Value o = arith::ExtSIOp::create(
      b, loc, wideTy, vector::ShuffleOp::create(b, loc, x, x, odd));
  return arith::AddIOp::create(b, loc, e, o);
}

/// Rows i0 .. i0 + rows - 1 of q2 [N, D] summed over D, each broadcast to
/// `resultTy`: chunks of `chunk` i16 values (a divisor of D) folded by
/// `fold` into vectors of `sumTy` and added, then reduced.
static SmallVector<Value>
sumQueryRows(OpBuilder &b, Location l, Value q2, Value i0, int64_t rows,
             int64_t D, int64_t chunk, VectorType sumTy, VectorType resultTy,
             function_ref<Value(OpBuilder &, Location, Value)> fold) {
  auto cst = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, l, v);
  };
  auto chunkTy = VectorType::get({chunk}, b.getI16Type());
  Value pad = arith::ConstantOp::create(b, l, b.getI16IntegerAttr(0));
  Value zeros = arith::ConstantOp::create(
      b, l,
      DenseElementsAttr::get(sumTy, APInt(sumTy.getElementTypeBitWidth(), 0)));
  SmallVector<Value> init(rows, zeros);
  auto loop = scf::ForOp::create(
      b, l, cst(0), cst(D), cst(chunk), init,
      [&](OpBuilder &cb, Location cl, Value d, ValueRange sums) {
        SmallVector<Value> next;
        for (int64_t r = 0; r < rows; ++r) {
          Value i = r == 0 ? i0
                           : arith::AddIOp::create(
                                 cb, cl, i0,
                                 arith::ConstantIndexOp::create(cb, cl, r))
                                 .getResult();
          Value row = vector::TransferReadOp::create(
              cb, cl, chunkTy, q2, ValueRange{i, d}, pad, ArrayRef<bool>{true});
          next.push_back(
              arith::AddIOp::create(cb, cl, sums[r], fold(cb, cl, row)));
        }
        scf::YieldOp::create(cb, cl, next);
      });
  SmallVector<Value> sums;
  for (int64_t r = 0; r < rows; ++r)
    sums.push_back(vector::BroadcastOp::create(
        b, l, resultTy,
        vector::ReductionOp::create(b, l, vector::CombiningKind::ADD,
                                    loop.getResult(r))));
  return sums;
}

/// The score with 16-bit sums (the narrow tiles): min(q, k) and the sums
/// in 16-bit lanes, keys in lanes, D one at a time.
static FailureOr<Value> vectorizeNarrowScore(RewriterBase &rewriter,
                                             linalg::GenericOp op, int64_t N,
                                             int64_t D, int64_t M,
                                             int64_t vectorBits) {
  using namespace mlir::inhibitor;
  // i16 lanes per vector: a native vector's, halved until they divide M.
  int64_t W = vectorBits / 16;
  if (!llvm::isPowerOf2_64(W))
    return failure();
  while (W >= 8 && (W > M || M % W != 0))
    W /= 2;
  if (W < 8 || N == 0 || D == 0)
    return failure();
  int64_t MV = M / W, JB = MV % 2 == 0 ? 2 : 1;
  int64_t RB = std::max<int64_t>(1, (vectorBits >= 512 ? 16 : 8) / JB);
  while (N % RB != 0)
    RB /= 2;
  // Query rows summed over D in chunks of up to a native vector.
  int64_t chunk = W;
  while (D % chunk != 0)
    chunk /= 2;

  Value query = op.getDpsInputs()[0], keyT = op.getDpsInputs()[1],
        init = op.getDpsInits()[0];
  auto sTy = cast<RankedTensorType>(init.getType());
  auto i16 = rewriter.getI16Type();
  Location loc = op.getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  auto vecTy = VectorType::get({W}, i16);
  auto chunkTy = VectorType::get({chunk}, i16);
  Value q2 = dropLeadingUnitDims(rewriter, loc, query, 2);
  Value k2 = dropLeadingUnitDims(rewriter, loc, keyT, 2);
  Value s2 = dropLeadingUnitDims(rewriter, loc, init, 2);
  auto cst = [&](OpBuilder &b, Location l, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, l, v);
  };
  auto offset = [&](OpBuilder &b, Location l, Value base, int64_t by) -> Value {
    return by == 0
               ? base
               : arith::AddIOp::create(b, l, base, cst(b, l, by)).getResult();
  };
  Value pad =
      arith::ConstantOp::create(rewriter, loc, IntegerAttr::get(i16, 0));
  Value zeros = arith::ConstantOp::create(
      rewriter, loc, DenseElementsAttr::get(vecTy, APInt(16, 0)));
  auto rowLoop = scf::ForOp::create(
      rewriter, loc, cst(rewriter, loc, 0), cst(rewriter, loc, N),
      cst(rewriter, loc, RB), ValueRange{s2},
      [&](OpBuilder &b, Location l, Value i0, ValueRange sRows) {
        SmallVector<Value> rowSums =
            sumQueryRows(b, l, q2, i0, RB, D, chunk, chunkTy, vecTy,
                         [](OpBuilder &, Location, Value row) { return row; });
        auto keyLoop = scf::ForOp::create(
            b, l, cst(b, l, 0), cst(b, l, M), cst(b, l, JB * W),
            ValueRange{sRows[0]},
            [&](OpBuilder &jb, Location jl, Value j0, ValueRange sKeys) {
              // RB x JB sums of min(q, k), then JB sums of the keys.
              SmallVector<Value> accInit(RB * JB + JB, zeros);
              auto dLoop = scf::ForOp::create(
                  jb, jl, cst(jb, jl, 0), cst(jb, jl, D), cst(jb, jl, 1),
                  accInit,
                  [&](OpBuilder &db, Location dl, Value d, ValueRange accs) {
                    SmallVector<Value> keys;
                    for (int64_t v = 0; v < JB; ++v)
                      keys.push_back(vector::TransferReadOp::create(
                          db, dl, vecTy, k2,
                          ValueRange{d, offset(db, dl, j0, v * W)}, pad,
                          ArrayRef<bool>{true}));
                    SmallVector<Value> next;
                    for (int64_t r = 0; r < RB; ++r) {
                      Value qs = vector::BroadcastOp::create(
                          db, dl, vecTy,
                          tensor::ExtractOp::create(
                              db, dl, q2,
                              ValueRange{offset(db, dl, i0, r), d}));
                      for (int64_t v = 0; v < JB; ++v)
                        next.push_back(arith::AddIOp::create(
                            db, dl, accs[r * JB + v],
                            arith::MinSIOp::create(db, dl, qs, keys[v])));
                    }
                    for (int64_t v = 0; v < JB; ++v)
                      next.push_back(arith::AddIOp::create(
                          db, dl, accs[RB * JB + v], keys[v]));
                    scf::YieldOp::create(db, dl, next);
                  });
              // sum |q - k| = sum q + sum k - 2 sum min(q, k) (modulo 2^16,
              // as the sum itself), added into S.
              Value s = sKeys[0];
              for (int64_t r = 0; r < RB; ++r)
                for (int64_t v = 0; v < JB; ++v) {
                  SmallVector<Value> at = {offset(jb, jl, i0, r),
                                           offset(jb, jl, j0, v * W)};
                  Value old = vector::TransferReadOp::create(
                      jb, jl, vecTy, s, at, pad, ArrayRef<bool>{true});
                  Value mins = dLoop.getResult(r * JB + v);
                  Value sums = arith::SubIOp::create(
                      jb, jl,
                      arith::SubIOp::create(
                          jb, jl,
                          arith::AddIOp::create(jb, jl, rowSums[r],
                                                dLoop.getResult(RB * JB + v)),
                          mins),
                      mins);
                  s = vector::TransferWriteOp::create(
                          jb, jl, arith::AddIOp::create(jb, jl, old, sums), s,
                          at, ArrayRef<bool>{true})
                          .getResult();
                }
              scf::YieldOp::create(jb, jl, s);
            });
        scf::YieldOp::create(b, l, keyLoop.getResult(0));
      });
  return restoreLeadingUnitDims(rewriter, loc, rowLoop.getResult(0), sTy);
}

FailureOr<Value> mlir::inhibitor::vectorizePairScore16(RewriterBase &rewriter,
                                                       linalg::GenericOp op,
                                                       int64_t vectorBits) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() || op.hasDynamicShape() || !isScoreBody(op))
    return failure();
  // (b..., i, d, j) -> Q (b..., i, d), KT (b..., d, j), S (b..., i, j).
  if (!hasBatchedForm(op, {{0, 1}, {1, 2}, {0, 2}}))
    return failure();
  int64_t nb = op.getNumLoops() - 3;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  auto i16 = rewriter.getI16Type(), i32 = rewriter.getI32Type();
  Value query = op.getDpsInputs()[0], keyT = op.getDpsInputs()[1],
        init = op.getDpsInits()[0];
  auto sTy = cast<RankedTensorType>(init.getType());
  if (cast<RankedTensorType>(keyT.getType()).getElementType() != i16)
    return failure();
  int64_t N = ranges[nb], D = ranges[nb + 1], M = ranges[nb + 2];
  // 16-bit sums: only where the lowering knows no q - k wraps.
  if (sTy.getElementType() == i16) {
    if (!op->hasAttr(kExactDifferencesAttr))
      return failure();
    return vectorizeNarrowScore(rewriter, op, N, D, M, vectorBits);
  }
  if (sTy.getElementType() != i32)
    return failure();
  // i32 lanes per vector: a native vector's, halved until they divide M.
  int64_t W = vectorBits / 32;
  if (!llvm::isPowerOf2_64(W))
    return failure();
  while (W >= 4 && (W > M || M % W != 0))
    W /= 2;
  if (W < 4 || N == 0 || D == 0 || D % 2 != 0)
    return failure();
  if (getElementTypeOrSelf(query.getType()) == i32) {
    query = narrowQuery(rewriter, query);
    if (!query)
      return failure();
  }
  // Register blocks: two key vectors by up to 8 rows at 512 bits (16
  // accumulators of 32 registers), 4 rows below (8 of 16).
  int64_t MV = M / W, JB = MV % 2 == 0 ? 2 : 1;
  int64_t RB = std::max<int64_t>(1, (vectorBits >= 512 ? 16 : 8) / JB);
  while (N % RB != 0)
    RB /= 2;

  Location loc = op.getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  auto halfTy = VectorType::get({W}, i16);
  auto accTy = VectorType::get({W}, i32);
  Value q2 = dropLeadingUnitDims(rewriter, loc, query, 2);
  Value k2 = dropLeadingUnitDims(rewriter, loc, keyT, 2);
  Value s2 = dropLeadingUnitDims(rewriter, loc, init, 2);
  auto cst = [&](OpBuilder &b, Location l, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, l, v);
  };
  Value pad16 =
      arith::ConstantOp::create(rewriter, loc, IntegerAttr::get(i16, 0));
  Value pad32 =
      arith::ConstantOp::create(rewriter, loc, IntegerAttr::get(i32, 0));
  Value zeros = arith::ConstantOp::create(
      rewriter, loc, DenseElementsAttr::get(accTy, APInt(32, 0)));
  SmallVector<int64_t> interleave;
  for (int64_t k = 0; k < W; ++k)
    interleave.append({k, W + k});
  auto offset = [&](OpBuilder &b, Location l, Value base, int64_t by) -> Value {
    return by == 0
               ? base
               : arith::AddIOp::create(b, l, base, cst(b, l, by)).getResult();
  };
  Value minusTwo = arith::ConstantOp::create(
      rewriter, loc, DenseElementsAttr::get(accTy, APInt(32, -2, true)));
  // Query rows summed over D: chunks of a native vector where they divide
  // D, else pairs.
  int64_t chunk = D % (2 * W) == 0 ? 2 * W : 2;
  auto chunkSumTy = VectorType::get({chunk / 2}, i32);
  auto rowLoop = scf::ForOp::create(
      rewriter, loc, cst(rewriter, loc, 0), cst(rewriter, loc, N),
      cst(rewriter, loc, RB), ValueRange{s2},
      [&](OpBuilder &b, Location l, Value i0, ValueRange sRows) {
        SmallVector<Value> rowSums =
            sumQueryRows(b, l, q2, i0, RB, D, chunk, chunkSumTy, accTy,
                         [](OpBuilder &cb, Location cl, Value row) {
                           return sumPairs(cb, cl, row);
                         });
        auto keyLoop = scf::ForOp::create(
            b, l, cst(b, l, 0), cst(b, l, M), cst(b, l, JB * W),
            ValueRange{sRows[0]},
            [&](OpBuilder &jb, Location jl, Value j0, ValueRange sKeys) {
              // RB x JB sums of min(q, k), then JB sums of the keys.
              SmallVector<Value> accInit(RB * JB + JB, zeros);
              auto pairLoop = scf::ForOp::create(
                  jb, jl, cst(jb, jl, 0), cst(jb, jl, D), cst(jb, jl, 2),
                  accInit,
                  [&](OpBuilder &db, Location dl, Value d, ValueRange accs) {
                    Value d1 = offset(db, dl, d, 1);
                    // (k[j, d], k[j, d + 1]) for each key j of the block.
                    SmallVector<Value> keys;
                    for (int64_t v = 0; v < JB; ++v) {
                      Value j = offset(db, dl, j0, v * W);
                      Value lo = vector::TransferReadOp::create(
                          db, dl, halfTy, k2, ValueRange{d, j}, pad16,
                          ArrayRef<bool>{true});
                      Value hi = vector::TransferReadOp::create(
                          db, dl, halfTy, k2, ValueRange{d1, j}, pad16,
                          ArrayRef<bool>{true});
                      keys.push_back(vector::ShuffleOp::create(db, dl, lo, hi,
                                                               interleave));
                    }
                    SmallVector<Value> next;
                    for (int64_t r = 0; r < RB; ++r) {
                      // (q[i, d], q[i, d + 1]) as one 32-bit word, broadcast.
                      Value qs = broadcastPair(
                          db, dl, q2, ValueRange{offset(db, dl, i0, r), d},
                          2 * W);
                      for (int64_t v = 0; v < JB; ++v) {
                        Value mn = arith::MinSIOp::create(db, dl, qs, keys[v]);
                        Value twice = arith::MulIOp::create(
                            db, dl, sumPairs(db, dl, mn), minusTwo);
                        next.push_back(arith::AddIOp::create(
                            db, dl, accs[r * JB + v], twice));
                      }
                    }
                    for (int64_t v = 0; v < JB; ++v)
                      next.push_back(
                          arith::AddIOp::create(db, dl, accs[RB * JB + v],
                                                sumPairs(db, dl, keys[v])));
                    scf::YieldOp::create(db, dl, next);
                  });
              // sum |q - k| = sum q + sum k - 2 sum min(q, k), added into S.
              Value s = sKeys[0];
              for (int64_t r = 0; r < RB; ++r)
                for (int64_t v = 0; v < JB; ++v) {
                  SmallVector<Value> at = {offset(jb, jl, i0, r),
                                           offset(jb, jl, j0, v * W)};
                  Value old = vector::TransferReadOp::create(
                      jb, jl, accTy, s, at, pad32, ArrayRef<bool>{true});
                  Value sums = arith::AddIOp::create(
                      jb, jl, pairLoop.getResult(r * JB + v),
                      arith::AddIOp::create(jb, jl, rowSums[r],
                                            pairLoop.getResult(RB * JB + v)));
                  s = vector::TransferWriteOp::create(
                          jb, jl, arith::AddIOp::create(jb, jl, old, sums), s,
                          at, ArrayRef<bool>{true})
                          .getResult();
                }
              scf::YieldOp::create(jb, jl, s);
            });
        scf::YieldOp::create(b, l, keyLoop.getResult(0));
      });
  return restoreLeadingUnitDims(rewriter, loc, rowLoop.getResult(0), sTy);
}
