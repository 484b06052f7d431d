//===- InhibitorPlugin.cpp - The inhibitor plugin for mlir-opt ------------===//
//
// Loaded by the stock tool:
//   mlir-opt --load-dialect-plugin=InhibitorPlugin.so \
//            --load-pass-plugin=InhibitorPlugin.so ...
// Registration only; the dialect, passes and pipelines live in the libraries.
//
// Loaded into a tool that already has them (inhibitor-opt, or a compiler that
// links the Inhibitor libraries), the plugin's second copy would register the
// same names with other TypeIDs, which MLIR treats as a fatal error. The
// plugin then keeps the tool's own copy and says so on stderr instead
// (docs/Plugin.md).
//
//===----------------------------------------------------------------------===//

#include "inhibitor/InitInhibitor.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

static void registerDialectOnce(DialectRegistry *registry) {
  StringRef name = inhibitor::InhibitorDialect::getDialectNamespace();
  if (registry->getDialectAllocator(name)) {
    llvm::errs() << "warning: InhibitorPlugin: this tool already registers "
                    "the '"
                 << name << "' dialect; the plugin's copy is not loaded\n";
    return;
  }
  inhibitor::registerInhibitorDialect(*registry);
}

static void registerPassesOnce() {
  // Every build of the passes registers this pipeline; one already there
  // means the tool has its own copy.
  if (PassPipelineInfo::lookup("inhibitor-to-llvm") ||
      PassInfo::lookup("inhibitor-decompose")) {
    llvm::errs() << "warning: InhibitorPlugin: this tool already registers "
                    "the inhibitor passes; the plugin's copies are not "
                    "loaded\n";
    return;
  }
  inhibitor::registerInhibitorPassesAndPipelines();
}

extern "C" LLVM_ATTRIBUTE_WEAK DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Inhibitor", LLVM_VERSION_STRING,
          registerDialectOnce};
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "InhibitorPasses", LLVM_VERSION_STRING,
          registerPassesOnce};
}
