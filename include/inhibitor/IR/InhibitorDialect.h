//===- InhibitorDialect.h - Inhibitor dialect -------------------*- C++ -*-===//

#ifndef INHIBITOR_IR_INHIBITORDIALECT_H
#define INHIBITOR_IR_INHIBITORDIALECT_H

#include "mlir/IR/Dialect.h"

#include "inhibitor/IR/InhibitorOpsDialect.h.inc"

#endif // INHIBITOR_IR_INHIBITORDIALECT_H
