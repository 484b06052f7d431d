//===- SADScoreToLinalg.cpp - The i8 score as byte sums of |q - k| --------===//
//
// With sad-score, the score of i8 data is a byte sum of absolute
// differences on Q and K offset by 128, D innermost: the form of x86 psadbw
// (--inhibitor-vectorize-sad, --inhibitor-x86-psadbw).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineMap.h"

using namespace mlir;
using namespace mlir::inhibitor;

bool mlir::inhibitor::isSADScore(Type inputType, Type acc) {
  return inputType.isInteger(8) && isa<IntegerType>(acc) &&
         acc.getIntOrFloatBitWidth() >= 16;
}

bool mlir::inhibitor::useSADScore(Value query, Type acc, int64_t dimMultiple) {
  auto ty = cast<ShapedType>(query.getType());
  if (!isSADScore(ty.getElementType(), acc))
    return false;
  int64_t d = ty.getShape().back();
  return dimMultiple <= 0 ||
         (!ShapedType::isDynamic(d) && d % dimMultiple == 0);
}

Value mlir::inhibitor::lowerScoreSADSum(OpBuilder &b, Location loc,
                                        Value queryU, Value keyU, Value init,
                                        ArrayRef<bool> kvBroadcast) {
  MLIRContext *ctx = b.getContext();
  auto initTy = cast<RankedTensorType>(init.getType());
  Type acc = initTy.getElementType();
  int64_t nb = initTy.getRank() - 2;
  // Iteration space (b..., i, j, k): 0 = i (N), 1 = j (M), 2 = k (D).
  SmallVector<AffineMap> maps = {batchedMap(ctx, nb, {0, 2}),
                                 batchedMap(ctx, nb, {1, 2}, kvBroadcast),
                                 batchedMap(ctx, nb, {0, 1})};
  return linalg::GenericOp::create(
             b, loc, initTy, ValueRange{queryU, keyU}, ValueRange{init}, maps,
             iterators(nb + 3, nb + 2),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               Value q = arith::ExtUIOp::create(bb, l, acc, args[0]);
               Value k = arith::ExtUIOp::create(bb, l, acc, args[1]);
               Value d = arith::SubIOp::create(bb, l, q, k);
               Value abs = math::AbsIOp::create(bb, l, d);
               Value sum = arith::AddIOp::create(bb, l, args[2], abs);
               linalg::YieldOp::create(bb, l, sum);
             })
      .getResult(0);
}

Value mlir::inhibitor::lowerScoreSAD(OpBuilder &b, Location loc, Value queryU,
                                     Value keyU, Value dest, TypedAttr gamma,
                                     TypedAttr alpha, Value bias,
                                     ArrayRef<bool> kvBroadcast) {
  Value sum = lowerScoreSADSum(b, loc, queryU, keyU, fillZero(b, loc, dest),
                               kvBroadcast);
  return lowerScoreEpilogue(b, loc, sum, gamma, alpha, bias);
}
