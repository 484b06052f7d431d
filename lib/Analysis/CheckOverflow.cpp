//===- CheckOverflow.cpp - --inhibitor-check-overflow ---------------------===//
//
// Reports, at each inhibitor op, the intermediates whose exact range does
// not fit the op's integer accumulator (SPEC section 3), with the range and
// the narrowest width that holds it.
//
//===----------------------------------------------------------------------===//

#include "InputRanges.h"
#include "inhibitor/Analysis/Passes.h"

#include "mlir/Analysis/DataFlowFramework.h"
#include "mlir/IR/Diagnostics.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORCHECKOVERFLOW
#include "inhibitor/Analysis/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;

/// "i16" when a standard accumulator holds `range`, else "more than 64 bits".
static std::string narrowestAccumulatorName(const bounds::Interval &range) {
  if (std::optional<unsigned> w = bounds::narrowestWidthFor(range))
    return intTypeName(*w);
  return "none: more than 64 bits";
}

namespace {
struct CheckOverflowPass
    : inhibitor::impl::InhibitorCheckOverflowBase<CheckOverflowPass> {
  using InhibitorCheckOverflowBase::InhibitorCheckOverflowBase;

  void runOnOperation() override {
    Operation *root = getOperation();
    InputAssumptions assumptions;
    if (failed(assumptions.parse(root->getLoc(), inputBits, queryRange,
                                 keyRange, valueRange, biasRange, maxDim)))
      return signalPassFailure();
    DataFlowSolver solver;
    bool anyOverflow = false;
    if (failed(forEachInhibitorOpRanges(
            root, solver, assumptions,
            [&](const OpRanges &info) { anyOverflow |= report(info); })))
      return signalPassFailure();
    if (fail && anyOverflow)
      signalPassFailure();
  }

  /// Emits the op's reports; true when something can overflow.
  bool report(const OpRanges &info) {
    Operation *op = info.op;
    unsigned width = info.accumulatorWidth;
    std::string acc = intTypeName(width);
    bool overflow = false;
    auto emit = [&]() { return fail ? op->emitError() : op->emitWarning(); };
    for (const bounds::Intermediate &i : info.bounds.intermediates) {
      if (!i.range) {
        emit() << "'" << i.name << "' has no bound (" << i.unboundedBecause
               << "; give max-dim to bound it): it can overflow the " << acc
               << " accumulator";
        overflow = true;
        ++numOverflows;
        continue;
      }
      if (i.range->fitsSignedWidth(width))
        continue;
      emit() << "'" << i.name << "' can overflow the " << acc
             << " accumulator: its values lie in " << i.range->str()
             << ", which needs " << i.range->signedWidth()
             << " bits (narrowest accumulator: "
             << narrowestAccumulatorName(*i.range) << ")";
      overflow = true;
      ++numOverflows;
    }
    if (overflow) {
      if (std::optional<unsigned> w = info.bounds.narrowestWidth())
        op->emitRemark() << "an " << intTypeName(*w)
                         << " accumulator holds every intermediate";
      return true;
    }
    std::optional<unsigned> w = info.bounds.narrowestWidth();
    op->emitRemark() << "no intermediate can overflow the " << acc
                     << " accumulator; result in " << info.bounds.result->str()
                     << "; narrowest accumulator: "
                     << (w ? intTypeName(*w) : acc);
    return false;
  }
};
} // namespace
