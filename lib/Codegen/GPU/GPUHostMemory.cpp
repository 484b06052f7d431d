//===- GPUHostMemory.cpp - Host buffers to GPU-accessible memory ----------===//
//
// Host code after kernel outlining allocates with memref.alloc and reads
// constants from globals, both invisible to the GPU. Managed memory
// (gpu.alloc host_shared) is valid on both sides, so host code that prints
// or copies results keeps working unchanged.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORGPUHOSTMEMORY
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

static Value allocManaged(RewriterBase &rewriter, Location loc, MemRefType type,
                          ValueRange dynamicSizes, ValueRange symbols) {
  return gpu::AllocOp::create(rewriter, loc, type, /*asyncToken=*/Type(),
                              /*asyncDependencies=*/ValueRange{}, dynamicSizes,
                              symbols, /*hostShared=*/true)
      .getMemref();
}

/// gpu.dealloc must be async: on a fresh stream, waited for at once.
static void deallocManaged(RewriterBase &rewriter, Location loc, Value buffer) {
  Type token = gpu::AsyncTokenType::get(rewriter.getContext());
  Value stream =
      gpu::WaitOp::create(rewriter, loc, token, ValueRange{}).getAsyncToken();
  Value done = gpu::DeallocOp::create(rewriter, loc, token, stream, buffer)
                   .getAsyncToken();
  gpu::WaitOp::create(rewriter, loc, Type(), done);
}

namespace {
struct GPUHostMemoryPass
    : inhibitor::impl::InhibitorGPUHostMemoryBase<GPUHostMemoryPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<Operation *> work;
    bool unmapped = false;
    getOperation()->walk([&](Operation *op) {
      if (isa<gpu::GPUModuleOp>(op))
        return WalkResult::skip();
      // convert-parallel-loops-to-gpu leaves loops it cannot map in place
      // without a word; they would run on the host over device memory.
      if (isa<scf::ParallelOp>(op)) {
        op->emitError("inhibitor-gpu-host-memory: scf.parallel loop was not "
                      "mapped to a GPU kernel");
        unmapped = true;
      }
      // Thread loops and workgroup tiles of a staged kernel (shared-memory)
      // left in host code.
      if (auto forall = dyn_cast<scf::ForallOp>(op);
          forall && forall.getMapping() && !forall.getMapping()->empty() &&
          isa<gpu::GPUThreadMappingAttr>(forall.getMapping()->getValue()[0])) {
        op->emitError("inhibitor-gpu-host-memory: thread-level scf.forall "
                      "loop was not mapped to a GPU kernel");
        unmapped = true;
      }
      if (auto alloca = dyn_cast<memref::AllocaOp>(op);
          alloca && isa_and_present<gpu::AddressSpaceAttr>(
                        alloca.getType().getMemorySpace())) {
        op->emitError("inhibitor-gpu-host-memory: GPU memory-space "
                      "allocation in host code");
        unmapped = true;
      }
      if (isa<memref::AllocOp, memref::DeallocOp, memref::GetGlobalOp>(op))
        work.push_back(op);
      return WalkResult::advance();
    });
    if (unmapped)
      return signalPassFailure();

    for (Operation *op : work) {
      rewriter.setInsertionPoint(op);
      Location loc = op->getLoc();
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        rewriter.replaceOp(alloc, allocManaged(rewriter, loc, alloc.getType(),
                                               alloc.getDynamicSizes(),
                                               alloc.getSymbolOperands()));
      } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
        deallocManaged(rewriter, loc, dealloc.getMemref());
        rewriter.eraseOp(dealloc);
      } else if (auto global = cast<memref::GetGlobalOp>(op)) {
        auto type = cast<MemRefType>(global.getType());
        if (!type.getLayout().isIdentity())
          continue;
        rewriter.setInsertionPointAfter(global);
        Value copy = allocManaged(rewriter, loc, type, {}, {});
        memref::CopyOp::create(rewriter, loc, global.getResult(), copy);
        rewriter.replaceAllUsesExcept(global.getResult(), copy,
                                      copy.getDefiningOp()->getNextNode());
        // Constants read once per call are freed when the call returns.
        auto func = global->getParentOfType<FunctionOpInterface>();
        if (func && global->getBlock() == &func.getFunctionBody().front()) {
          func.getFunctionBody().walk([&](Operation *ret) {
            if (ret->hasTrait<OpTrait::ReturnLike>() &&
                ret->getParentOp() == func.getOperation()) {
              rewriter.setInsertionPoint(ret);
              deallocManaged(rewriter, loc, copy);
            }
          });
        }
      }
    }
  }
};

} // namespace
