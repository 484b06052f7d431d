//===- InhibitorDialect.cpp - Inhibitor dialect ---------------------------===//

#include "inhibitor/IR/InhibitorDialect.h"
#include "inhibitor/IR/InhibitorOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::inhibitor;

#include "inhibitor/IR/InhibitorOpsDialect.cpp.inc"

void InhibitorDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "inhibitor/IR/InhibitorOps.cpp.inc"
      >();
}
