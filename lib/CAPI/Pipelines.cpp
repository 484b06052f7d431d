//===- Pipelines.cpp - C API of the inhibitor passes and pipelines --------===//

#include "inhibitor-c/Pipelines.h"
#include "inhibitor/InitInhibitor.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Pass.h"
#include "mlir/CAPI/Support.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;

void inhibitorRegisterPassesAndPipelines(void) {
  // The global registries reject a second registration of a name.
  static bool once = [] {
    inhibitor::registerInhibitorPassesAndPipelines();
    return true;
  }();
  (void)once;
}

/// Parses `options` as those of --inhibitor-to-llvm, reporting errors on the
/// context at an unknown location.
static FailureOr<std::unique_ptr<inhibitor::InhibitorToLLVMOptions>>
parseOptions(MLIRContext *context, MlirStringRef options) {
  std::string message;
  llvm::raw_string_ostream errs(message);
  auto parsed = std::make_unique<inhibitor::InhibitorToLLVMOptions>();
  if (failed(parsed->parseFromString(unwrap(options), errs))) {
    // llvm::cl reports bad values on stderr itself; message has the rest.
    InFlightDiagnostic diag = emitError(UnknownLoc::get(context))
                              << "invalid --inhibitor-to-llvm options '"
                              << unwrap(options) << "'";
    if (!message.empty())
      diag << ": " << message;
    return failure();
  }
  return parsed;
}

/// Null handles and option strings (a handle that was never created, or
/// reset after its destroy call) fail instead of crashing. A dangling
/// handle cannot be told from a live one in C; that stays undefined.
static bool isNullOptions(MlirStringRef options) {
  return options.data == nullptr && options.length != 0;
}

MlirLogicalResult inhibitorAddToLLVMPipeline(MlirPassManager pm,
                                             MlirStringRef options) {
  if (mlirPassManagerIsNull(pm) || isNullOptions(options))
    return mlirLogicalResultFailure();
  PassManager *passManager = unwrap(pm);
  auto parsed = parseOptions(passManager->getContext(), options);
  if (failed(parsed))
    return mlirLogicalResultFailure();
  inhibitor::buildInhibitorToLLVMPipeline(*passManager, **parsed);
  return mlirLogicalResultSuccess();
}

MlirLogicalResult inhibitorRunToLLVMPipeline(MlirModule module,
                                             MlirStringRef options) {
  if (mlirModuleIsNull(module) || isNullOptions(options))
    return mlirLogicalResultFailure();
  ModuleOp moduleOp = unwrap(module);
  auto parsed = parseOptions(moduleOp.getContext(), options);
  if (failed(parsed))
    return mlirLogicalResultFailure();
  PassManager pm(moduleOp.getContext());
  inhibitor::buildInhibitorToLLVMPipeline(pm, **parsed);
  return wrap(pm.run(moduleOp));
}
