//===- TransformUtils.cpp - Builders shared by the rewrites ---------------===//

#include "TransformUtils.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

Value mlir::inhibitor::mapElements(
    OpBuilder &b, Location loc, Value src, Type element,
    function_ref<Value(OpBuilder &, Location, Value)> fn) {
  auto srcTy = cast<RankedTensorType>(src.getType());
  int64_t rank = srcTy.getRank();
  Value init = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, src), element);
  AffineMap id = b.getMultiDimIdentityMap(rank);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{src}, ValueRange{init},
             ArrayRef<AffineMap>{id, id},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               linalg::YieldOp::create(bb, l, fn(bb, l, args[0]));
             })
      .getResult(0);
}
