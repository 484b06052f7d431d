//===- TileForGPU.cpp - linalg on buffers to tiled scf.parallel nests -----===//
//
// The loop step of --inhibitor-to-gpu: reductions innermost, one thread per
// output element, accumulators in registers, thread blocks of (rows, cols)
// on the two innermost parallel loops.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORTILEFORGPU
#include "inhibitor/Transforms/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

namespace {

/// Old loop indices in their new order: parallel loops first, reductions
/// last, each group in its original order.
SmallVector<unsigned> reductionsInnermost(linalg::GenericOp op) {
  SmallVector<unsigned> parallel, reduction;
  for (auto [i, it] : llvm::enumerate(op.getIteratorTypesArray()))
    (linalg::isReductionIterator(it) ? reduction : parallel).push_back(i);
  llvm::append_range(parallel, reduction);
  return parallel;
}

/// `v` without the identity `affine.apply`s that linalg-to-loops wraps
/// around indices.
Value stripIdentityApply(Value v) {
  while (auto apply = v.getDefiningOp<affine::AffineApplyOp>()) {
    if (!apply.getAffineMap().isIdentity())
      break;
    v = apply.getMapOperands().front();
  }
  return v;
}

bool sameIndices(ValueRange a, ValueRange b) {
  return a.size() == b.size() && llvm::all_of(llvm::zip(a, b), [](auto p) {
           return stripIdentityApply(std::get<0>(p)) ==
                  stripIdentityApply(std::get<1>(p));
         });
}

/// In `loop`, a load and a store of one loop-invariant element of a buffer
/// that nothing else in the loop touches become an iter_arg: loaded once
/// before the loop, stored once after it.
bool promoteAccumulator(RewriterBase &rewriter, scf::ForOp loop) {
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

struct TileForGPUPass
    : inhibitor::impl::InhibitorTileForGPUBase<TileForGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<int64_t> block(tileSizes.begin(), tileSizes.end());
    if (block.empty())
      block = {8, 32};
    if (block.size() != 2 ||
        llvm::any_of(block, [](int64_t s) { return s <= 0; }) ||
        block[0] * block[1] > 1024) {
      getOperation()->emitError()
          << "inhibitor-tile-for-gpu: expected 2 positive tile sizes (rows, "
             "cols) with rows * cols <= 1024 threads";
      return signalPassFailure();
    }

    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());

    // 1. Reductions innermost.
    SmallVector<linalg::GenericOp> generics;
    func.walk([&](linalg::GenericOp op) { generics.push_back(op); });
    for (linalg::GenericOp op : generics) {
      SmallVector<unsigned> perm = reductionsInnermost(op);
      if (llvm::equal(perm, llvm::seq<unsigned>(0, perm.size())))
        continue;
      rewriter.setInsertionPoint(op);
      if (failed(linalg::interchangeGenericOp(rewriter, op, perm))) {
        op->emitError("inhibitor-tile-for-gpu: cannot interchange loops");
        return signalPassFailure();
      }
    }

    // 2. linalg to scf.parallel + scf.for.
    SmallVector<linalg::LinalgOp> linalgOps;
    func.walk([&](linalg::LinalgOp op) { linalgOps.push_back(op); });
    for (linalg::LinalgOp op : linalgOps) {
      if (!op.hasPureBufferSemantics()) {
        op->emitError("inhibitor-tile-for-gpu: expected a linalg op on "
                      "buffers (bufferize first)");
        return signalPassFailure();
      }
      rewriter.setInsertionPoint(op);
      if (failed(linalg::linalgOpToParallelLoops(rewriter, op))) {
        op->emitError("inhibitor-tile-for-gpu: cannot lower to loops");
        return signalPassFailure();
      }
      rewriter.eraseOp(op);
    }

    // 3. Accumulators in registers.
    SmallVector<scf::ForOp> loops;
    func.walk([&](scf::ForOp loop) { loops.push_back(loop); });
    for (scf::ForOp loop : loops)
      if (promoteAccumulator(rewriter, loop))
        ++numPromoted;

    // 4. Thread blocks on the two innermost parallel loops.
    SmallVector<scf::ParallelOp> outermost;
    func.walk([&](scf::ParallelOp op) {
      if (!op->getParentOfType<scf::ParallelOp>())
        outermost.push_back(op);
    });
    for (scf::ParallelOp op : outermost) {
      int64_t rank = op.getNumLoops();
      SmallVector<int64_t> tiles(rank, 1);
      tiles[rank - 1] = block[1];
      if (rank > 1)
        tiles[rank - 2] = block[0];
      // No threads beyond a static loop size (E = 1, tiny N).
      for (int64_t d = 0; d < rank; ++d) {
        std::optional<int64_t> lb = getConstantIntValue(op.getLowerBound()[d]);
        std::optional<int64_t> ub = getConstantIntValue(op.getUpperBound()[d]);
        std::optional<int64_t> step = getConstantIntValue(op.getStep()[d]);
        if (lb && ub && step && *step > 0)
          tiles[d] = std::max<int64_t>(
              1, std::min(tiles[d], (*ub - *lb + *step - 1) / *step));
      }
      scf::tileParallelLoop(op, tiles, /*noMinMaxBounds=*/false);
    }
  }
};

} // namespace
