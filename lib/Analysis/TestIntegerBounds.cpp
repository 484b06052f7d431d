//===- TestIntegerBounds.cpp - --test-inhibitor-integer-bounds ------------===//
//
// Prints, for tests, what upstream's IntegerRangeAnalysis infers for each
// inhibitor op's result (through the ops' InferIntRangeInterface) and the
// exact bound of every intermediate.
//
//===----------------------------------------------------------------------===//

#include "InputRanges.h"
#include "inhibitor/Analysis/Passes.h"

#include "mlir/Analysis/DataFlow/IntegerRangeAnalysis.h"
#include "mlir/IR/Diagnostics.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_TESTINHIBITORINTEGERBOUNDS
#include "inhibitor/Analysis/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;

namespace {
struct TestIntegerBoundsPass
    : inhibitor::impl::TestInhibitorIntegerBoundsBase<TestIntegerBoundsPass> {
  using TestInhibitorIntegerBoundsBase::TestInhibitorIntegerBoundsBase;

  void runOnOperation() override {
    Operation *root = getOperation();
    InputAssumptions assumptions;
    if (failed(assumptions.parse(root->getLoc(), inputBits, queryRange,
                                 keyRange, valueRange, biasRange, maxDim)))
      return signalPassFailure();
    DataFlowSolver solver;
    if (failed(forEachInhibitorOpRanges(
            root, solver, assumptions,
            [&](const OpRanges &info) { print(solver, info); })))
      return signalPassFailure();
  }

  void print(DataFlowSolver &solver, const OpRanges &info) {
    Value result = info.op->getResult(0);
    InFlightDiagnostic diag = info.op->emitRemark();
    const auto *lattice =
        solver.lookupState<dataflow::IntegerValueRangeLattice>(result);
    diag << "result " << intTypeName(info.accumulatorWidth) << " in ";
    if (lattice && !lattice->getValue().isUninitialized()) {
      const ConstantIntRanges &r = lattice->getValue().getValue();
      diag << bounds::Interval(r.smin(), r.smax()).str();
    } else {
      diag << "(unknown)";
    }
    diag << " (IntegerRangeAnalysis); exact result ";
    if (info.bounds.result)
      diag << info.bounds.result->str();
    else
      diag << "has no bound";
    std::optional<unsigned> w = info.bounds.narrowestWidth();
    diag << "; narrowest accumulator "
         << (w ? intTypeName(*w) : std::string("none"));
    for (const bounds::Intermediate &i : info.bounds.intermediates) {
      Diagnostic &note = diag.attachNote();
      note << i.name << ": ";
      if (i.range)
        note << i.range->str() << " (" << i.range->signedWidth() << " bits)";
      else
        note << "no bound (" << i.unboundedBecause << ")";
    }
  }
};
} // namespace
