//===- InhibitorOps.h - Inhibitor ops ---------------------------*- C++ -*-===//

#ifndef INHIBITOR_IR_INHIBITOROPS_H
#define INHIBITOR_IR_INHIBITOROPS_H

#include "inhibitor/IR/InhibitorDialect.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/InferIntRangeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "inhibitor/IR/InhibitorOps.h.inc"

#endif // INHIBITOR_IR_INHIBITOROPS_H
