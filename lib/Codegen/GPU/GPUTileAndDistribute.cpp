//===- GPUTileAndDistribute.cpp - linalg on buffers to thread blocks ------===//
//
// The loop step of --inhibitor-to-gpu: reductions innermost, one thread per
// output element, accumulators in registers (PromoteAccumulators.cpp),
// thread blocks of (rows, cols) on the two innermost parallel loops. With
// shared-memory, contraction-like reductions are staged instead
// (StageSharedMemory.cpp).
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Codegen/Passes.h"

#include "GPUDistribute.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORGPUTILEANDDISTRIBUTE
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

/// Old loop indices in their new order: parallel loops first, reductions
/// last, each group in its original order.
static SmallVector<unsigned> reductionsInnermost(linalg::GenericOp op) {
  SmallVector<unsigned> parallel, reduction;
  for (auto [i, it] : llvm::enumerate(op.getIteratorTypesArray()))
    (linalg::isReductionIterator(it) ? reduction : parallel).push_back(i);
  llvm::append_range(parallel, reduction);
  return parallel;
}

namespace {
struct GPUTileAndDistributePass
    : inhibitor::impl::InhibitorGPUTileAndDistributeBase<
          GPUTileAndDistributePass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<int64_t> block(tileSizes.begin(), tileSizes.end());
    if (block.empty())
      block = {8, 32};
    if (block.size() != 2 ||
        llvm::any_of(block, [](int64_t s) { return s <= 0; }) ||
        block[0] * block[1] > 1024) {
      getOperation()->emitError() << "inhibitor-gpu-tile-and-distribute: "
                                     "expected 2 positive tile sizes (rows, "
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
        op->emitError(
            "inhibitor-gpu-tile-and-distribute: cannot interchange loops");
        return signalPassFailure();
      }
    }

    // 2. linalg to scf.parallel + scf.for, or staged through shared-memory
    // tiles (already tiled into thread blocks).
    if (reductionTile <= 0) {
      func->emitError(
          "inhibitor-gpu-tile-and-distribute: reduction-tile must be "
          "positive");
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> linalgOps;
    func.walk([&](linalg::LinalgOp op) { linalgOps.push_back(op); });
    DenseSet<Operation *> staged;
    for (linalg::LinalgOp op : linalgOps) {
      if (!op.hasPureBufferSemantics()) {
        op->emitError(
            "inhibitor-gpu-tile-and-distribute: expected a linalg op on "
            "buffers (bufferize first)");
        return signalPassFailure();
      }
      auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      if (sharedMemory && generic &&
          inhibitor::canStageThroughSharedMemory(generic)) {
        int64_t bytes = 0;
        scf::ParallelOp grid = inhibitor::stageReductionThroughSharedMemory(
            rewriter, generic, block, reductionTile, workgroupMemory, bytes);
        // The static shared memory of one block on every CUDA GPU.
        if (bytes > 48 * 1024) {
          grid->emitError(
              "inhibitor-gpu-tile-and-distribute: staged tiles need ")
              << bytes << " bytes of shared memory per block (at most "
              << 48 * 1024 << "); lower tile-sizes or reduction-tile";
          return signalPassFailure();
        }
        staged.insert(grid);
        ++numStaged;
        continue;
      }
      rewriter.setInsertionPoint(op);
      if (failed(linalg::linalgOpToParallelLoops(rewriter, op))) {
        op->emitError(
            "inhibitor-gpu-tile-and-distribute: cannot lower to loops");
        return signalPassFailure();
      }
      rewriter.eraseOp(op);
    }

    // 3. Accumulators in registers.
    SmallVector<scf::ForOp> loops;
    func.walk([&](scf::ForOp loop) { loops.push_back(loop); });
    for (scf::ForOp loop : loops)
      if (inhibitor::promoteLoopInvariantAccumulator(rewriter, loop))
        ++numPromoted;

    // 4. Thread blocks on the two innermost parallel loops.
    SmallVector<scf::ParallelOp> outermost;
    func.walk([&](scf::ParallelOp op) {
      if (!op->getParentOfType<scf::ParallelOp>() && !staged.contains(op))
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
