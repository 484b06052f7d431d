//===- inhibitor-lsp-server.cpp - Language server for inhibitor IR --------===//
//
// Registration plus MlirLspServerMain: diagnostics, hover, go-to-definition,
// document symbols and completion in `.mlir` files that use the inhibitor
// dialect next to every upstream dialect inhibitor-opt knows. Editor setup:
// docs/Tools.md.
//
//===----------------------------------------------------------------------===//

#include "../InitInhibitorTool.h"

#include "mlir/Support/LogicalResult.h"
#include "mlir/Tools/mlir-lsp-server/MlirLspServerMain.h"

int main(int argc, char **argv) {
  // The same dialects and extensions as inhibitor-opt, so that a file that
  // inhibitor-opt parses is one the server accepts (and vice versa).
  mlir::DialectRegistry registry;
  mlir::inhibitor::registerToolDialects(registry);
  return mlir::failed(mlir::MlirLspServerMain(argc, argv, registry));
}
