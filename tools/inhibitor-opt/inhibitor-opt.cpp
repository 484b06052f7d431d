//===- inhibitor-opt.cpp - The inhibitor optimizer driver -----------------===//
//
// Registration plus MlirOptMain; all logic lives in the libraries.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/InitInhibitor.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::inhibitor::registerInhibitorPassesAndPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::inhibitor::registerInhibitorDialect(registry);
  // gpu-module-to-binary (in --inhibitor-to-gpu) translates kernels to LLVM
  // IR.
  mlir::registerAllToLLVMIRTranslations(registry);

  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Inhibitor optimizer driver\n", registry));
}
