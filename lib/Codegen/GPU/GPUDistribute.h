//===- GPUDistribute.h - Steps of --inhibitor-gpu-tile-and-distribute -----===//
//
// Internal to lib/Codegen/GPU: the steps the pass composes, one file each.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_LIB_CODEGEN_GPU_GPUDISTRIBUTE_H
#define INHIBITOR_LIB_CODEGEN_GPU_GPUDISTRIBUTE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::inhibitor {

/// In `loop`, a load and a store of one loop-invariant element of a buffer
/// that nothing else in the loop touches become an iter_arg: loaded once
/// before the loop, stored once after it (the accumulator stays in a
/// register). Returns whether `loop` was rewritten.
bool promoteLoopInvariantAccumulator(RewriterBase &rewriter, scf::ForOp loop);

/// Whether `op` (reductions already innermost) is a contraction-like
/// reduction worth staging through shared memory: parallel loops (at least
/// 2) then exactly one reduction loop; an output indexed by all the parallel
/// loops; inputs indexed by loops and constants only; and at least one input
/// that uses the reduction and is shared by the threads of a block.
bool canStageThroughSharedMemory(linalg::GenericOp op);

/// Replaces `op` (see canStageThroughSharedMemory) by a grid-level
/// scf.parallel of thread blocks of `block` = (rows, cols) threads that
/// stage `chunk` elements of the reduction at a time in tiles (see
/// docs/GPU.md), and returns it. `sharedBytes` receives the bytes of tiles
/// per block.
scf::ParallelOp
stageReductionThroughSharedMemory(RewriterBase &rewriter, linalg::GenericOp op,
                                  ArrayRef<int64_t> block, int64_t chunk,
                                  bool workgroupMemory, int64_t &sharedBytes);

} // namespace mlir::inhibitor

#endif // INHIBITOR_LIB_CODEGEN_GPU_GPUDISTRIBUTE_H
