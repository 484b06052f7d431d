//===- AffineVectorize.cpp - Super-vectorize affine loops -----------------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/Affine/Analysis/AffineAnalysis.h"
#include "mlir/Dialect/Affine/Analysis/LoopAnalysis.h"
#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

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

using SizeKey = std::pair<Value, int64_t>;

static SizeKey memrefDimKey(Value memref, int64_t dim);

/// A canonical name of the index value `v`: (memref, dim) when it is the
/// size of a memref's dim (`memref.dim`, through allocations' dynamic
/// sizes), else (v, -1).
static SizeKey sizeKey(Value v) {
  if (auto dimOp = v.getDefiningOp<memref::DimOp>())
    if (std::optional<int64_t> index = dimOp.getConstantIndex())
      return memrefDimKey(dimOp.getSource(), *index);
  return {v, -1};
}

/// The canonical name of dim `dim` of `memref`: an allocation's dynamic
/// size is named after the value it was allocated with.
static SizeKey memrefDimKey(Value memref, int64_t dim) {
  auto type = cast<MemRefType>(memref.getType());
  if (type.isDynamicDim(dim)) {
    Operation *def = memref.getDefiningOp();
    if (auto alloc = dyn_cast_or_null<memref::AllocOp>(def))
      return sizeKey(alloc.getDynamicSizes()[type.getDynamicDimIndex(dim)]);
    if (auto alloca = dyn_cast_or_null<memref::AllocaOp>(def))
      return sizeKey(alloca.getDynamicSizes()[type.getDynamicDimIndex(dim)]);
  }
  return {memref, dim};
}

/// Whether `v` is at least the size of dim `dim` of `memref`: a constant
/// no smaller than its static size, or the same size by name (sizeKey).
static bool isSizeOf(Value v, Value memref, int64_t dim) {
  auto type = cast<MemRefType>(memref.getType());
  if (std::optional<int64_t> c = getConstantIntValue(v))
    return !type.isDynamicDim(dim) && *c >= type.getDimSize(dim);
  return sizeKey(v) == memrefDimKey(memref, dim);
}

/// Whether vectorizing `loop` by `lanes` writes only what the scalar loop
/// writes. The super-vectorizer turns each store along the loop into a
/// transfer_write of `lanes` elements that masks only the lanes past the
/// memref's end, not those past the loop's upper bound; so unless the trip
/// count is a multiple of `lanes`, the loop must end where the stored dim
/// ends and store at exactly its induction variable there. A loop that ends
/// earlier (an intra-tile loop of affine-loop-tile, a loop over part of a
/// buffer) would have its last vector write into elements of later
/// iterations -- read-modify-write reductions then count them twice
/// (issue 17).
static bool vectorStoresStayInLoop(affine::AffineForOp loop, int64_t lanes) {
  std::optional<uint64_t> trip = affine::getConstantTripCount(loop);
  if (trip && *trip % lanes == 0)
    return true;
  AffineMap ub = loop.getUpperBoundMap();
  if (ub.getNumResults() != 1)
    return false;
  AffineExpr bound = ub.getResult(0);
  Value boundValue;
  if (auto d = dyn_cast<AffineDimExpr>(bound))
    boundValue = loop.getUpperBoundOperands()[d.getPosition()];
  else if (auto sym = dyn_cast<AffineSymbolExpr>(bound))
    boundValue =
        loop.getUpperBoundOperands()[ub.getNumDims() + sym.getPosition()];
  else if (!isa<AffineConstantExpr>(bound))
    return false;
  bool ok = true;
  loop.walk([&](affine::AffineWriteOpInterface store) {
    MemRefType type = store.getMemRefType();
    int64_t last = type.getRank() - 1;
    if (last < 0) {
      ok = false;
      return;
    }
    // The stored index of the fastest-varying dim is the loop's IV.
    AffineMap map = store.getAffineMap();
    auto index = dyn_cast<AffineDimExpr>(map.getResult(last));
    if (!index ||
        store.getMapOperands()[index.getPosition()] != loop.getInductionVar()) {
      ok = false;
      return;
    }
    if (auto c = dyn_cast<AffineConstantExpr>(bound)) {
      ok &= !type.isDynamicDim(last) && c.getValue() >= type.getDimSize(last);
      return;
    }
    ok &= isSizeOf(boundValue, store.getMemRef(), last);
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
            !storesAreContiguous(loop) || !vectorStoresStayInLoop(loop, lanes))
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
