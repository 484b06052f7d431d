//===- LoweringUtils.cpp - Pieces of the inhibitor-to-linalg lowering -----===//

#include "LoweringUtils.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineMap.h"

using namespace mlir;
using namespace mlir::inhibitor;

SmallVector<utils::IteratorType>
mlir::inhibitor::iterators(int64_t numLoops, int64_t reductionDim) {
  SmallVector<utils::IteratorType> its(numLoops, utils::IteratorType::parallel);
  its[reductionDim] = utils::IteratorType::reduction;
  return its;
}

AffineMap mlir::inhibitor::batchedMap(MLIRContext *ctx, int64_t numBatch,
                                      ArrayRef<int64_t> dims,
                                      ArrayRef<bool> broadcast) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < numBatch; ++i)
    exprs.push_back(!broadcast.empty() && broadcast[i]
                        ? getAffineConstantExpr(0, ctx)
                        : getAffineDimExpr(i, ctx));
  for (int64_t d : dims)
    exprs.push_back(getAffineDimExpr(numBatch + d, ctx));
  return AffineMap::get(numBatch + 3, 0, exprs, ctx);
}

Value mlir::inhibitor::fillZero(OpBuilder &b, Location loc, Value dest) {
  Type acc = cast<RankedTensorType>(dest.getType()).getElementType();
  Value zero =
      arith::ConstantOp::create(b, loc, b.getZeroAttr(acc)).getResult();
  return linalg::FillOp::create(b, loc, zero, dest).getResult(0);
}

bool mlir::inhibitor::hasMultiHeadGroups(ArrayRef<int64_t> headGroups,
                                         ArrayRef<Value> kvSide) {
  SmallVector<ArrayRef<int64_t>> shapes;
  for (Value v : kvSide)
    shapes.push_back(cast<ShapedType>(v.getType()).getShape().drop_back(2));
  SmallVector<int64_t> kv = combineStaticShapes(shapes);
  for (auto [g, size] : llvm::zip_equal(headGroups, kv))
    if (g != 1 && size != 1)
      return true;
  return false;
}
