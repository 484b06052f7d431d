//===- inhibitor-reduce.cpp - Test-case reducer for inhibitor IR ----------===//
//
// mlirReduceMain with the dialects and passes of inhibitor-opt, plus one
// reduction pattern for the inhibitor dialect: an inhibitor op whose result
// is not needed for the failure is replaced by its destination (`outs`)
// operand, and the producers of its operands that this leaves dead are
// erased.
// Usage and a recipe: docs/Tools.md.
//
//===----------------------------------------------------------------------===//

#include "../InitInhibitorTool.h"
#include "inhibitor/IR/InhibitorDialect.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Reducer/ReductionPatternInterface.h"
#include "mlir/Tools/mlir-reduce/MlirReduceMain.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;

/// Whether `op` is an inhibitor op whose results can be replaced by its
/// destination operands (destination-style on tensors: each result has its
/// init's type).
static LogicalResult isForwardable(DestinationStyleOpInterface op) {
  if (!isa<inhibitor::InhibitorDialect>(op->getDialect()) ||
      !op.hasPureTensorSemantics() ||
      op->getNumResults() != op.getNumDpsInits())
    return failure();
  for (auto [result, init] :
       llvm::zip_equal(op->getResults(), op.getDpsInits()))
    if (result.getType() != init.getType())
      return failure();
  return success();
}

/// Replaces the results of `op` by its destination operands, then erases
/// the producers of its operands that this leaves dead (only earlier ops of
/// the same block: the reducer visits a block's ops in order, so these have
/// been visited already).
static void forwardDestination(RewriterBase &rewriter,
                               DestinationStyleOpInterface op) {
  SmallVector<Value> operands(op->getOperands());
  Block *block = op->getBlock();
  rewriter.replaceOp(op, op.getDpsInits());
  SmallVector<Operation *> worklist;
  llvm::SmallPtrSet<Operation *, 8> erased;
  for (Value operand : operands)
    if (Operation *producer = operand.getDefiningOp())
      worklist.push_back(producer);
  while (!worklist.empty()) {
    Operation *producer = worklist.pop_back_val();
    if (erased.contains(producer) || producer->getBlock() != block ||
        !isOpTriviallyDead(producer))
      continue;
    for (Value operand : producer->getOperands())
      if (Operation *def = operand.getDefiningOp())
        worklist.push_back(def);
    erased.insert(producer);
    rewriter.eraseOp(producer);
  }
}

namespace {

/// Replaces an inhibitor op by its destination where the module stays
/// interesting. The pattern asks the tester itself (on a copy of the module)
/// instead of leaving it to the reduction tree: upstream's ReductionNode
/// frees the module of a node that patterns made uninteresting and then
/// clones it when that node is the root, so a pattern that can remove the
/// interesting part must not apply.
struct ForwardDestination
    : public OpInterfaceRewritePattern<DestinationStyleOpInterface> {
  ForwardDestination(MLIRContext *context, Tester &tester)
      : OpInterfaceRewritePattern(context), tester(tester) {}

  LogicalResult matchAndRewrite(DestinationStyleOpInterface op,
                                PatternRewriter &rewriter) const override {
    if (failed(isForwardable(op)))
      return rewriter.notifyMatchFailure(op, "not a forwardable inhibitor op");
    Operation *top = op;
    while (Operation *parent = top->getParentOp())
      top = parent;
    auto module = dyn_cast<ModuleOp>(top);
    if (!module)
      return rewriter.notifyMatchFailure(op, "not in a module");

    IRMapping mapping;
    OwningOpRef<ModuleOp> copy(cast<ModuleOp>(module->clone(mapping)));
    auto copiedOp =
        cast<DestinationStyleOpInterface>(mapping.lookup(op.getOperation()));
    IRRewriter copyRewriter(op->getContext());
    copyRewriter.setInsertionPoint(copiedOp);
    forwardDestination(copyRewriter, copiedOp);
    if (tester.isInteresting(*copy).first != Tester::Interestingness::True)
      return rewriter.notifyMatchFailure(op, "the failure needs this op");

    forwardDestination(rewriter, op);
    return success();
  }

private:
  Tester &tester;
};

/// The reducer's entry point into the inhibitor dialect.
struct InhibitorReductionPatternInterface
    : public DialectReductionPatternInterface {
  explicit InhibitorReductionPatternInterface(Dialect *dialect)
      : DialectReductionPatternInterface(dialect) {}

  // Every pattern of ours needs the tester.
  void populateReductionPatterns(RewritePatternSet &) const override {}

  void populateReductionPatternsWithTester(RewritePatternSet &patterns,
                                           Tester &tester) const override {
    patterns.add<ForwardDestination>(patterns.getContext(), tester);
  }
};

} // namespace

int main(int argc, char **argv) {
  // Every pass inhibitor-opt has, for -opt-reduction-pass='opt-pass=...'.
  inhibitor::registerToolPasses();

  DialectRegistry registry;
  inhibitor::registerToolDialectsForPasses(registry);
  registry.addExtension(
      +[](MLIRContext *, inhibitor::InhibitorDialect *dialect) {
        dialect->addInterfaces<InhibitorReductionPatternInterface>();
      });

  MLIRContext context(registry);
  // MLIR prints only errors when no handler is registered; the reducer's
  // "uninterested module will not be reduced" is a warning and would leave
  // a silent exit status 1. (The errors printed while reducing are the
  // verifier's on candidates the reducer then drops.)
  ScopedDiagnosticHandler printWarnings(&context, [](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      return failure();
    llvm::errs() << diag.getLocation() << ": "
                 << (diag.getSeverity() == DiagnosticSeverity::Warning
                         ? "warning"
                         : "remark")
                 << ": " << diag << "\n";
    return success();
  });
  return failed(mlirReduceMain(argc, argv, context));
}
