//===- HoistLoopInvariantSubsets.cpp - Subset hoisting, futile loops out -===//
//
// --inhibitor-hoist-loop-invariant-subsets: upstream's loop-invariant subset
// hoisting (mlir::hoistLoopInvariantSubsets), called only on loops that have
// an iter_arg whose use-def chain passes upstream's structural test. Upstream
// compares subsets while it walks a chain, before it knows whether the chain
// qualifies; a chain through both branches of an scf.if never does, and its
// comparisons of dynamic tile sizes went to the Presburger solver.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/SubsetOpInterface.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORHOISTLOOPINVARIANTSUBSETS
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;

/// The use of `value` if it has one use and that use is a terminator, as
/// upstream's traversal asks.
static OpOperand *singleTerminatorUse(Value value) {
  if (!value.hasOneUse())
    return nullptr;
  OpOperand &use = *value.getUses().begin();
  return use.getOwner()->hasTrait<OpTrait::IsTerminator>() ? &use : nullptr;
}

/// Whether upstream's walk of `iterArg`'s use-def chain
/// (MatchingSubsets::populateSubsetOpsAtIterArg in
/// LoopInvariantCodeMotionUtils.cpp) succeeds: the same walk, step for
/// step, without the subset comparisons, whose answers it only records and
/// never branches on. Every use of a value on the chain is a subset op or a
/// loop carrying it (whose own chain must pass); an insertion op uses it as
/// its destination, is destination-style, and is the only one (no
/// branches); the chain ends in the loop's yield at `iterArg`'s operand.
static bool chainPasses(LoopLikeOpInterface loopLike, BlockArgument iterArg) {
  Value value = iterArg;
  OpOperand *yielded = nullptr;
  while (!(yielded = singleTerminatorUse(value))) {
    Value next;
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (auto nested = dyn_cast<LoopLikeOpInterface>(user)) {
        BlockArgument nestedArg = nested.getTiedLoopRegionIterArg(&use);
        if (!nestedArg || !chainPasses(nested, nestedArg))
          return false;
        next = nested.getTiedLoopResult(&use);
        continue;
      }
      if (!isa<SubsetOpInterface>(user))
        return false;
      if (auto insertion = dyn_cast<SubsetInsertionOpInterface>(user)) {
        if (!isa<DestinationStyleOpInterface>(user) ||
            &use != &insertion.getDestinationOperand() || next)
          return false;
        next = insertion.getUpdatedDestination();
      }
    }
    if (!next)
      return false;
    value = next;
  }
  return loopLike.getTiedLoopYieldedValue(iterArg) == yielded;
}

namespace {
struct HoistLoopInvariantSubsetsPass
    : inhibitor::impl::InhibitorHoistLoopInvariantSubsetsBase<
          HoistLoopInvariantSubsetsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(getOperation()->getContext());
    // Upstream's order: innermost loops first, so that what one hoists
    // lands in the next loop out, which may hoist it further.
    getOperation()->walk([&](LoopLikeOpInterface loopLike) {
      if (llvm::none_of(loopLike.getRegionIterArgs(), [&](BlockArgument a) {
            return chainPasses(loopLike, a);
          })) {
        ++numSkipped;
        return;
      }
      (void)hoistLoopInvariantSubsets(rewriter, loopLike);
    });
  }
};
} // namespace
