//===- main.cpp - A compiler that embeds the inhibitor pipeline -----------===//
//
// Registers the dialect (and what its pipeline needs), parses a module, runs
// --inhibitor-to-llvm through its public builder and prints the result.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/InitInhibitor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

static const char *const kernel = R"mlir(
func.func @attention(%q: tensor<4x8xi16>, %k: tensor<6x8xi16>,
                     %v: tensor<6x4xi16>) -> tensor<4x4xi32> {
  %init = tensor.empty() : tensor<4x4xi32>
  %h = inhibitor.attention causal signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<4x8xi16>, tensor<6x8xi16>, tensor<6x4xi16>)
         outs(%init : tensor<4x4xi32>) -> tensor<4x4xi32>
  return %h : tensor<4x4xi32>
}
)mlir";

int main() {
  mlir::DialectRegistry registry;
  mlir::inhibitor::registerInhibitorDialectAndDependencies(registry);
  mlir::MLIRContext context(registry);

  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(kernel, &context);
  if (!module)
    return 1;

  mlir::PassManager pm(&context);
  mlir::inhibitor::InhibitorToLLVMOptions options;
  options.targetCpu = "x86-64";
  mlir::inhibitor::buildInhibitorToLLVMPipeline(pm, options);
  if (mlir::failed(pm.run(*module))) {
    llvm::errs() << "inhibitor-consumer: --inhibitor-to-llvm failed\n";
    return 1;
  }
  module->print(llvm::outs());
  return 0;
}
