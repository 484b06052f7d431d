//===- inhibitor-opt.cpp - The inhibitor optimizer driver -----------------===//
//
// Registration plus MlirOptMain; all logic lives in the libraries.
//
//===----------------------------------------------------------------------===//

#include "../InitInhibitorTool.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::inhibitor::registerToolPasses();
  mlir::DialectRegistry registry;
  mlir::inhibitor::registerToolDialectsForPasses(registry);

  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Inhibitor optimizer driver\n", registry));
}
