//===- inhibitor-reduce.cpp - Test-case reducer for inhibitor IR ----------===//
//
// mlirReduceMain with the dialects and passes of inhibitor-opt, plus one
// reduction pattern for the inhibitor dialect: an inhibitor op whose result
// is not needed for the failure is replaced by its destination (`outs`)
// operand, after which its inputs become dead and the reducer erases them.
// Usage and a recipe: docs/Tools.md.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/IR/InhibitorDialect.h"
#include "inhibitor/IR/InhibitorOps.h"
#include "inhibitor/InitInhibitor.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Reducer/ReductionPatternInterface.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-reduce/MlirReduceMain.h"

using namespace mlir;

namespace {

/// Replaces the results of an inhibitor op by its destination operands (the
/// ops are destination-style on tensors, so each result has its init's type).
struct ForwardDestination
    : public OpInterfaceRewritePattern<DestinationStyleOpInterface> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(DestinationStyleOpInterface op,
                                PatternRewriter &rewriter) const override {
    if (!isa<inhibitor::InhibitorDialect>(op->getDialect()))
      return rewriter.notifyMatchFailure(op, "not an inhibitor op");
    if (!op.hasPureTensorSemantics() ||
        op->getNumResults() != op.getNumDpsInits())
      return rewriter.notifyMatchFailure(op, "not one result per init");
    for (auto [result, init] :
         llvm::zip_equal(op->getResults(), op.getDpsInits()))
      if (result.getType() != init.getType())
        return rewriter.notifyMatchFailure(op, "result type differs from init");
    rewriter.replaceOp(op, op.getDpsInits());
    return success();
  }
};

/// The reducer's entry point into the inhibitor dialect.
struct InhibitorReductionPatternInterface
    : public DialectReductionPatternInterface {
  using DialectReductionPatternInterface::DialectReductionPatternInterface;

  void populateReductionPatterns(RewritePatternSet &patterns) const override {
    patterns.add<ForwardDestination>(patterns.getContext());
  }
};

} // namespace

int main(int argc, char **argv) {
  // Every pass inhibitor-opt has, for -opt-reduction-pass='opt-pass=...'.
  registerAllPasses();
  inhibitor::registerInhibitorPassesAndPipelines();

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  inhibitor::registerInhibitorDialect(registry);
  registry.addExtension(
      +[](MLIRContext *, inhibitor::InhibitorDialect *dialect) {
        dialect->addInterfaces<InhibitorReductionPatternInterface>();
      });

  MLIRContext context(registry);
  return failed(mlirReduceMain(argc, argv, context));
}
