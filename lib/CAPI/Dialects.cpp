//===- Dialects.cpp - C API of the inhibitor dialect ----------------------===//

#include "inhibitor-c/Dialects.h"
#include "inhibitor/InitInhibitor.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Inhibitor, inhibitor,
                                      mlir::inhibitor::InhibitorDialect)

void inhibitorRegisterDialectAndDependencies(MlirDialectRegistry registry) {
  mlir::inhibitor::registerInhibitorDialectAndDependencies(*unwrap(registry));
}
