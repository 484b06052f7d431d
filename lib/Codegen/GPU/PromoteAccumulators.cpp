//===- PromoteAccumulators.cpp - Reduction accumulators in registers ------===//
//
// After linalg-to-loops, a reduction loads and stores its output element in
// every iteration. Upstream's hoisting (loop-invariant subset hoisting,
// hoistRedundantVectorTransfers) matches subset ops and vector transfers,
// not scalar memref.load/store pairs on buffers, so this step is ours: the
// element becomes an scf.for iter_arg and the sum never goes through global
// memory.
//
//===----------------------------------------------------------------------===//

#include "GPUDistribute.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;

/// `v` without the identity `affine.apply`s that linalg-to-loops wraps
/// around indices.
static Value stripIdentityApply(Value v) {
  while (auto apply = v.getDefiningOp<affine::AffineApplyOp>()) {
    if (!apply.getAffineMap().isIdentity())
      break;
    v = apply.getMapOperands().front();
  }
  return v;
}

static bool sameIndices(ValueRange a, ValueRange b) {
  return a.size() == b.size() && llvm::all_of(llvm::zip(a, b), [](auto p) {
           return stripIdentityApply(std::get<0>(p)) ==
                  stripIdentityApply(std::get<1>(p));
         });
}

bool mlir::inhibitor::promoteLoopInvariantAccumulator(RewriterBase &rewriter,
                                                      scf::ForOp loop) {
  memref::StoreOp store;
  memref::LoadOp load;
  for (Operation &op : loop.getBody()->without_terminator()) {
    if (auto s = dyn_cast<memref::StoreOp>(op)) {
      if (store)
        return false;
      store = s;
    }
  }
  if (!store)
    return false;
  Value buffer = store.getMemRef();
  auto isInvariant = [&](Value v) {
    return !loop->isAncestor(v.getParentRegion()->getParentOp()) &&
           v.getParentRegion() != &loop.getRegion();
  };
  if (!isInvariant(buffer) || !llvm::all_of(store.getIndices(), [&](Value v) {
        return isInvariant(stripIdentityApply(v));
      }))
    return false;
  for (Operation *user : buffer.getUsers()) {
    if (!loop->isAncestor(user) || user == store)
      continue;
    auto l = dyn_cast<memref::LoadOp>(user);
    if (!l || load || l->getBlock() != loop.getBody() ||
        !sameIndices(l.getIndices(), store.getIndices()) ||
        !l->isBeforeInBlock(store))
      return false;
    load = l;
  }
  if (!load)
    return false;

  rewriter.setInsertionPoint(loop);
  SmallVector<Value> indices = llvm::map_to_vector(
      store.getIndices(), [](Value v) { return stripIdentityApply(v); });
  Value init = memref::LoadOp::create(rewriter, load.getLoc(), buffer, indices)
                   .getResult();
  FailureOr<LoopLikeOpInterface> newLoop = loop.replaceWithAdditionalYields(
      rewriter, init, /*replaceInitOperandUsesInLoop=*/false,
      [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
        return SmallVector<Value>{store.getValueToStore()};
      });
  if (failed(newLoop))
    return false;
  auto forOp = cast<scf::ForOp>(newLoop->getOperation());
  rewriter.replaceOp(load, forOp.getRegionIterArgs().back());
  rewriter.setInsertionPointAfter(forOp);
  memref::StoreOp::create(rewriter, store.getLoc(), forOp.getResults().back(),
                          buffer, indices);
  rewriter.eraseOp(store);
  return true;
}
