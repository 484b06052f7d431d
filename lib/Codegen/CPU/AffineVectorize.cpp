//===- AffineVectorize.cpp - Super-vectorize affine loops -----------------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/Affine/Analysis/AffineAnalysis.h"
#include "mlir/Dialect/Affine/Analysis/LoopAnalysis.h"
#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORAFFINEVECTORIZE
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

static bool touchesI1Memory(Operation *root) {
  bool found = false;
  root->walk([&](Operation *op) {
    for (Value v : op->getOperands())
      if (auto mem = dyn_cast<MemRefType>(v.getType()))
        found |= mem.getElementType().isInteger(1);
  });
  return found;
}

static bool hasVectorValues(Operation *root) {
  bool found = false;
  root->walk([&](Operation *op) {
    found |= llvm::any_of(op->getResultTypes(),
                          [](Type t) { return isa<VectorType>(t); });
  });
  return found;
}

/// Upstream's vectorizer emits invalid transfers (broadcast dims on a
/// write) for a loop whose stores do not move along it; only loops whose
/// every store is contiguous in the fastest-varying memref dim are
/// candidates. Reductions carried in iter_args (after affine-scalrep) have
/// no store inside the loop.
static bool storesAreContiguous(affine::AffineForOp loop) {
  bool ok = true;
  loop.walk([&](affine::AffineWriteOpInterface store) {
    int dim = -1;
    ok &= affine::isContiguousAccess(loop.getInductionVar(), store, &dim) &&
          dim == 0;
  });
  return ok;
}

namespace {
struct AffineVectorizePass
    : inhibitor::impl::InhibitorAffineVectorizeBase<AffineVectorizePass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (vectorBits <= 0) {
      func.emitError("inhibitor-affine-vectorize: vector-bits must be > 0");
      return signalPassFailure();
    }
    // One native vector of the widest stored element type.
    unsigned widest = 0;
    func.walk([&](affine::AffineStoreOp store) {
      widest = std::max(
          widest,
          store.getMemRefType().getElementType().getIntOrFloatBitWidth());
    });
    if (widest == 0)
      return;
    int64_t lanes = std::max<int64_t>(1, vectorBits / widest);

    // Candidate loops: parallel ones and reductions (as upstream's
    // affine-super-vectorize with vectorize-reductions), minus nests that
    // touch i1 memory.
    DenseSet<Operation *> loops;
    affine::ReductionLoopMap reductions;
    SmallVector<affine::AffineForOp> outermost;
    func.walk([&](affine::AffineForOp loop) {
      if (!loop->getParentOfType<affine::AffineForOp>())
        outermost.push_back(loop);
    });
    for (affine::AffineForOp nest : outermost) {
      if (touchesI1Memory(nest))
        continue;
      nest.walk([&](affine::AffineForOp loop) {
        SmallVector<affine::LoopReduction, 2> loopReductions;
        if (!affine::isLoopParallel(loop, &loopReductions) ||
            !storesAreContiguous(loop))
          return;
        loops.insert(loop);
        if (!loopReductions.empty())
          reductions[loop] = loopReductions;
      });
    }
    affine::vectorizeAffineLoops(func, loops, {lanes}, /*fastestVarying=*/{},
                                 reductions);

    // Never fall back to scalar code silently.
    func.walk([&](affine::AffineForOp loop) {
      if (loop->getParentOfType<affine::AffineForOp>() || touchesI1Memory(loop))
        return;
      if (!hasVectorValues(loop))
        loop.emitWarning("affine strategy: this loop nest was not "
                         "vectorized by the super-vectorizer");
    });
  }
};

} // namespace
