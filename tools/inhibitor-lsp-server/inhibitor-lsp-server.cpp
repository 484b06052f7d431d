//===- inhibitor-lsp-server.cpp - Language server for inhibitor IR --------===//
//
// Registration plus MlirLspServerMain: diagnostics, hover, go-to-definition,
// document symbols and completion in `.mlir` files that use the inhibitor
// dialect next to every upstream dialect inhibitor-opt knows. Editor setup:
// docs/Tools.md.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/InitInhibitor.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Support/LogicalResult.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-lsp-server/MlirLspServerMain.h"

int main(int argc, char **argv) {
  // The same dialects and extensions as inhibitor-opt, so that a file that
  // inhibitor-opt parses is one the server accepts (and vice versa).
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
  mlir::inhibitor::registerInhibitorDialect(registry);
  return mlir::failed(mlir::MlirLspServerMain(argc, argv, registry));
}
