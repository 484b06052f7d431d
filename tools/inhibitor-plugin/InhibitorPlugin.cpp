//===- InhibitorPlugin.cpp - The inhibitor plugin for mlir-opt ------------===//
//
// Loaded by the stock tool:
//   mlir-opt --load-dialect-plugin=InhibitorPlugin.so \
//            --load-pass-plugin=InhibitorPlugin.so ...
// Registration only; the dialect, passes and pipelines live in the libraries.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/InitInhibitor.h"

#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

using namespace mlir;

extern "C" LLVM_ATTRIBUTE_WEAK DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Inhibitor", LLVM_VERSION_STRING,
          [](DialectRegistry *registry) {
            inhibitor::registerInhibitorDialect(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "InhibitorPasses", LLVM_VERSION_STRING,
          []() { inhibitor::registerInhibitorPassesAndPipelines(); }};
}
