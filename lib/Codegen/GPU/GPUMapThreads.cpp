//===- GPUMapThreads.cpp - Thread-level scf.forall in gpu.launch ----------===//
//
// The staged kernels of inhibitor-gpu-tile-and-distribute reach gpu.launch
// (through upstream convert-parallel-loops-to-gpu, which maps the grid and
// handles dynamic sizes) with one thread per block and thread-level scf.forall
// loops inside. Upstream convert-parallel-loops-to-gpu cannot map those
// itself: it rejects side effects before a nested scf.parallel and has no
// barriers, so sibling thread loops would not convert. The upstream
// implementation of transform.gpu.map_nested_forall_to_threads does exactly
// this mapping (with a gpu.barrier after every loop); this pass applies it
// and gives the launch its block size and workgroup memory.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/GPU/TransformOps/GPUTransformOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORGPUMAPTHREADS
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

/// Block size (x, y, z) that the thread-mapped foralls in `launch` need:
/// per dim, the largest trip count mapped to it. Fails on dynamic counts.
static FailureOr<SmallVector<int64_t>> blockDimsOf(gpu::LaunchOp launch,
                                                   bool &found) {
  SmallVector<int64_t> dims(3, 1);
  found = false;
  WalkResult result = launch.getBody().walk([&](scf::ForallOp forall) {
    std::optional<ArrayAttr> mapping = forall.getMapping();
    if (!mapping || mapping->empty() ||
        !isa<gpu::GPUThreadMappingAttr>(mapping->getValue().front()))
      return WalkResult::advance();
    found = true;
    std::optional<SmallVector<int64_t>> counts =
        getConstantIntValues(forall.getMixedUpperBound());
    if (!counts || !forall.isNormalized()) {
      forall->emitError("inhibitor-gpu-map-threads: expected a normalized "
                        "thread loop with static bounds");
      return WalkResult::interrupt();
    }
    for (auto [attr, count] : llvm::zip(mapping->getValue(), *counts)) {
      auto thread = dyn_cast<gpu::GPUThreadMappingAttr>(attr);
      if (!thread || thread.isLinearMapping() ||
          thread.getMappingId() > static_cast<int64_t>(gpu::MappingId::DimZ)) {
        forall->emitError("inhibitor-gpu-map-threads: expected "
                          "#gpu.thread<x|y|z> mappings");
        return WalkResult::interrupt();
      }
      int64_t &dim = dims[thread.getMappingId()];
      dim = std::max(dim, count);
    }
    return WalkResult::skip();
  });
  if (result.wasInterrupted())
    return failure();
  return dims;
}

/// Whether `v` may differ between the threads of a block of `launch`:
/// it depends on a thread id, or on something this cannot see through
/// (loop-carried values, results of ops with regions).
static bool mayDivergeInBlock(Value v, gpu::LaunchOp launch) {
  gpu::KernelDim3 ids = launch.getThreadIds();
  SmallVector<Value> work{v};
  DenseSet<Value> seen;
  while (!work.empty()) {
    Value x = work.pop_back_val();
    bool inLaunch =
        x.getParentRegion() == &launch.getBody() ||
        launch->isProperAncestor(x.getParentRegion()->getParentOp());
    if (!seen.insert(x).second || !inLaunch)
      continue; // values from outside the launch are the same everywhere
    if (auto arg = dyn_cast<BlockArgument>(x)) {
      if (x == ids.x || x == ids.y || x == ids.z)
        return true;
      if (arg.getOwner() == &launch.getBody().front())
        continue; // block ids and sizes
      auto loop = dyn_cast<scf::ForOp>(arg.getOwner()->getParentOp());
      if (!loop || x != loop.getInductionVar())
        return true;
      work.append({loop.getLowerBound(), loop.getUpperBound(), loop.getStep()});
      continue;
    }
    Operation *def = x.getDefiningOp();
    if (isa<gpu::ThreadIdOp, gpu::LaneIdOp>(def) || def->getNumRegions() ||
        !isMemoryEffectFree(def))
      return true;
    llvm::append_range(work, def->getOperands());
  }
  return false;
}

/// Every gpu.barrier in `launch` must be reached by all threads of a block:
/// only scf.for loops with block-uniform bounds may enclose it.
static LogicalResult verifyUniformBarriers(gpu::LaunchOp launch) {
  WalkResult result = launch.getBody().walk([&](gpu::BarrierOp barrier) {
    for (Operation *parent = barrier->getParentOp(); parent != launch;
         parent = parent->getParentOp()) {
      auto loop = dyn_cast<scf::ForOp>(parent);
      if (!loop || mayDivergeInBlock(loop.getLowerBound(), launch) ||
          mayDivergeInBlock(loop.getUpperBound(), launch) ||
          mayDivergeInBlock(loop.getStep(), launch)) {
        barrier->emitError("inhibitor-gpu-map-threads: barrier in control "
                           "flow that may diverge within a block");
        return WalkResult::interrupt();
      }
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

namespace {
struct GPUMapThreadsPass
    : inhibitor::impl::InhibitorGPUMapThreadsBase<GPUMapThreadsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<gpu::LaunchOp> launches;
    getOperation().walk([&](gpu::LaunchOp op) { launches.push_back(op); });
    for (gpu::LaunchOp launch : launches) {
      bool found = false;
      FailureOr<SmallVector<int64_t>> dims = blockDimsOf(launch, found);
      if (failed(dims))
        return signalPassFailure();
      if (!found)
        continue;
      // The grid-level loop mapped nothing to threads: one per block.
      for (Value size : {launch.getBlockSizeX(), launch.getBlockSizeY(),
                         launch.getBlockSizeZ()}) {
        if (getConstantIntValue(size) != 1) {
          launch->emitError("inhibitor-gpu-map-threads: thread loops in a "
                            "launch whose threads are already mapped");
          return signalPassFailure();
        }
      }
      if ((*dims)[0] * (*dims)[1] * (*dims)[2] > 1024) {
        launch->emitError("inhibitor-gpu-map-threads: more than 1024 "
                          "threads per block");
        return signalPassFailure();
      }
      rewriter.setInsertionPoint(launch);
      Location loc = launch.getLoc();
      launch.getBlockSizeXMutable().assign(
          arith::ConstantIndexOp::create(rewriter, loc, (*dims)[0]));
      launch.getBlockSizeYMutable().assign(
          arith::ConstantIndexOp::create(rewriter, loc, (*dims)[1]));
      launch.getBlockSizeZMutable().assign(
          arith::ConstantIndexOp::create(rewriter, loc, (*dims)[2]));

      rewriter.setInsertionPointToStart(&launch.getBody().front());
      DiagnosedSilenceableFailure mapped =
          transform::gpu::mapNestedForallToThreadsImpl(
              rewriter, std::nullopt, launch, *dims, /*warpSize=*/32,
              /*syncAfterDistribute=*/true);
      if (failed(mapped.checkAndReport())) {
        launch->emitError("inhibitor-gpu-map-threads: cannot map the thread "
                          "loops to threads");
        return signalPassFailure();
      }

      if (failed(verifyUniformBarriers(launch)))
        return signalPassFailure();

      // Tiles in workgroup memory become workgroup attributions.
      SmallVector<memref::AllocaOp> tiles;
      launch.getBody().walk([&](memref::AllocaOp alloca) {
        if (auto space = dyn_cast_if_present<gpu::AddressSpaceAttr>(
                alloca.getType().getMemorySpace());
            space && space.getValue() == gpu::AddressSpace::Workgroup)
          tiles.push_back(alloca);
      });
      for (memref::AllocaOp alloca : tiles) {
        if (!alloca.getType().hasStaticShape() ||
            !alloca.getDynamicSizes().empty()) {
          alloca->emitError("inhibitor-gpu-map-threads: workgroup tiles "
                            "must have a static shape");
          return signalPassFailure();
        }
        BlockArgument attribution =
            launch.addWorkgroupAttribution(alloca.getType(), alloca.getLoc());
        rewriter.replaceOp(alloca, attribution);
      }
    }
  }
};

} // namespace
