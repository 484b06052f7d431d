//===- TileForGPU.cpp - linalg on buffers to tiled scf.parallel nests -----===//
//
// The loop step of --inhibitor-to-gpu: reductions innermost, one thread per
// output element, accumulators in registers, thread blocks of (rows, cols)
// on the two innermost parallel loops. With shared-memory, contraction-like
// reductions are staged instead: per block, chunks of the reduction are
// copied cooperatively into tiles, then every thread accumulates from them
// (sibling thread-level scf.forall loops; see stageReduction).
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Transforms/Passes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
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


//===----------------------------------------------------------------------===//
// Staging through shared-memory tiles
//===----------------------------------------------------------------------===//

/// Role of a loop of a staged generic (reductions innermost): batch loops
/// (one per block), rows (threadIdx.y), cols (threadIdx.x), the reduction.
enum class LoopRole { Batch, Rows, Cols, Reduction };

/// One input of a staged generic. A staged input is copied, one reduction
/// chunk at a time, into a tile whose dims are the operand dims of extent
/// > 1 (`copyDims`, operand order); the tile keeps the operand's dim order
/// except that the dim on `cols` goes last (threads with consecutive
/// threadIdx.x read consecutive words), padded by one element when it was
/// moved (the copy, which walks the operand's contiguous dim, then writes
/// with a stride of cols + 1 words: no bank conflicts either way).
struct StagedInput {
  AffineMap map;
  bool staged = false;
  SmallVector<unsigned> copyDims; // map results copied, operand order
  SmallVector<int64_t> extents;   // extent of each copyDims entry
  SmallVector<unsigned> layout;   // indices into copyDims, tile order
  MemRefType tileType;
  Value tile;
};

LoopRole roleOf(unsigned loop, unsigned numLoops) {
  if (loop + 1 == numLoops)
    return LoopRole::Reduction;
  if (loop + 2 == numLoops)
    return LoopRole::Cols;
  if (loop + 3 == numLoops)
    return LoopRole::Rows;
  return LoopRole::Batch;
}

/// Whether `op` (reductions already innermost) is a contraction-like
/// reduction worth staging: parallel loops (at least 2) then exactly one
/// reduction loop; an output indexed by all the parallel loops; inputs
/// indexed by loops and constants only; and at least one input that uses
/// the reduction and is shared by the threads of a block (does not use
/// rows, or does not use cols).
bool canStage(linalg::GenericOp op) {
  unsigned numLoops = op.getNumLoops();
  if (numLoops < 3 || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() != 1 ||
      !linalg::isReductionIterator(op.getIteratorTypesArray().back()) ||
      !op.hasPureBufferSemantics())
    return false;
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getNumResults() != numLoops - 1 || !outMap.isProjectedPermutation())
    return false;
  for (AffineExpr e : outMap.getResults())
    if (cast<AffineDimExpr>(e).getPosition() + 1 == numLoops)
      return false;
  bool shared = false;
  for (OpOperand *in : op.getDpsInputOperands()) {
    if (!isa<MemRefType>(in->get().getType()))
      return false;
    AffineMap map = op.getMatchingIndexingMap(in);
    bool usesRows = false, usesCols = false, usesRed = false;
    for (AffineExpr e : map.getResults()) {
      if (auto c = dyn_cast<AffineConstantExpr>(e)) {
        if (c.getValue() < 0)
          return false;
        continue;
      }
      auto d = dyn_cast<AffineDimExpr>(e);
      if (!d)
        return false;
      LoopRole role = roleOf(d.getPosition(), numLoops);
      usesRows |= role == LoopRole::Rows;
      usesCols |= role == LoopRole::Cols;
      usesRed |= role == LoopRole::Reduction;
    }
    shared |= usesRed && !(usesRows && usesCols);
  }
  return shared;
}

Value cst(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// An `scf.forall (ty, tx) in (rows, cols)` mapped to
/// (#gpu.thread<y>, #gpu.thread<x>); `body` fills it.
void threadLoop(OpBuilder &b, Location loc, int64_t rows, int64_t cols,
                function_ref<void(OpBuilder &, Value, Value)> body) {
  MLIRContext *ctx = b.getContext();
  ArrayAttr mapping = b.getArrayAttr(
      {gpu::GPUThreadMappingAttr::get(ctx, gpu::MappingId::DimY),
       gpu::GPUThreadMappingAttr::get(ctx, gpu::MappingId::DimX)});
  auto forall = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(rows), b.getIndexAttr(cols)},
      ValueRange{}, mapping);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getBody()->getTerminator());
  body(b, forall.getInductionVar(0), forall.getInductionVar(1));
}

/// `then` under `cond`.
void ifThen(OpBuilder &b, Location loc, Value cond,
            function_ref<void(OpBuilder &)> then) {
  auto ifOp = scf::IfOp::create(b, loc, cond, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
  then(b);
}

/// Replaces `op` (see canStage) by the staged loop nest documented on the
/// pass; returns its grid-level scf.parallel.
scf::ParallelOp stageReduction(RewriterBase &rewriter, linalg::GenericOp op,
                               ArrayRef<int64_t> block, int64_t chunk,
                               bool workgroupMemory, int64_t &sharedBytes) {
  Location loc = op.getLoc();
  MLIRContext *ctx = op.getContext();
  rewriter.setInsertionPoint(op);
  unsigned numLoops = op.getNumLoops();
  unsigned numPar = numLoops - 1;
  unsigned rowsLoop = numPar - 2, colsLoop = numPar - 1, redLoop = numPar;

  SmallVector<Value> sizes = llvm::map_to_vector(
      cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(rewriter, loc),
      [&](const Range &r) {
        return getValueOrCreateConstantIndexOp(rewriter, loc, r.size);
      });
  SmallVector<int64_t> staticSizes = op.getStaticLoopRanges();
  auto clamp = [&](int64_t tile, unsigned loop) {
    int64_t s = staticSizes[loop];
    return ShapedType::isDynamic(s) ? tile
                                    : std::max<int64_t>(1, std::min(tile, s));
  };
  int64_t rows = clamp(block[0], rowsLoop), cols = clamp(block[1], colsLoop);
  int64_t red = clamp(chunk, redLoop);
  auto extentOf = [&](unsigned loop) -> int64_t {
    switch (roleOf(loop, numLoops)) {
    case LoopRole::Batch:
      return 1;
    case LoopRole::Rows:
      return rows;
    case LoopRole::Cols:
      return cols;
    case LoopRole::Reduction:
      return red;
    }
    llvm_unreachable("loop role");
  };

  Attribute space;
  if (workgroupMemory)
    space = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  auto bytes = [](Type t) {
    return static_cast<int64_t>((t.getIntOrFloatBitWidth() + 7) / 8);
  };

  // Which inputs are staged, and their tile shapes.
  SmallVector<StagedInput> inputs;
  for (OpOperand *in : op.getDpsInputOperands()) {
    StagedInput s;
    s.map = op.getMatchingIndexingMap(in);
    bool usesRows = false, usesCols = false, usesRed = false;
    for (AffineExpr e : s.map.getResults())
      if (auto d = dyn_cast<AffineDimExpr>(e)) {
        LoopRole role = roleOf(d.getPosition(), numLoops);
        usesRows |= role == LoopRole::Rows;
        usesCols |= role == LoopRole::Cols;
        usesRed |= role == LoopRole::Reduction;
      }
    s.staged = usesRed && !(usesRows && usesCols);
    if (s.staged) {
      std::optional<unsigned> colsDim;
      for (auto [k, e] : llvm::enumerate(s.map.getResults())) {
        auto d = dyn_cast<AffineDimExpr>(e);
        if (!d || extentOf(d.getPosition()) == 1)
          continue;
        if (d.getPosition() == colsLoop)
          colsDim = s.copyDims.size();
        s.copyDims.push_back(k);
        s.extents.push_back(extentOf(d.getPosition()));
      }
      SmallVector<int64_t> shape;
      for (unsigned c = 0; c < s.copyDims.size(); ++c)
        if (!colsDim || c != *colsDim)
          s.layout.push_back(c);
      if (colsDim)
        s.layout.push_back(*colsDim);
      for (unsigned c : s.layout)
        shape.push_back(s.extents[c]);
      if (colsDim && *colsDim + 1 != s.copyDims.size())
        shape.back() += 1;
      if (shape.empty())
        shape.push_back(1);
      Type elem = cast<MemRefType>(in->get().getType()).getElementType();
      s.tileType = MemRefType::get(shape, elem, MemRefLayoutAttrInterface(),
                                   space);
      sharedBytes += s.tileType.getNumElements() * bytes(elem);
    }
    inputs.push_back(std::move(s));
  }
  Value out = op.getDpsInitOperand(0)->get();
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  Type accElem = cast<MemRefType>(out.getType()).getElementType();
  auto accType = MemRefType::get({rows, cols}, accElem,
                                 MemRefLayoutAttrInterface(), space);
  sharedBytes += rows * cols * bytes(accElem);

  // The grid: batch loops, rows and cols in steps of the block.
  Value zero = cst(rewriter, loc, 0);
  SmallVector<Value> lbs(numPar, zero), steps(numPar, cst(rewriter, loc, 1));
  steps[rowsLoop] = cst(rewriter, loc, rows);
  steps[colsLoop] = cst(rewriter, loc, cols);
  SmallVector<Value> ubs(ArrayRef<Value>(sizes).take_front(numPar));
  // A grid of one block would be folded away by the canonicalizer (an
  // scf.parallel of one iteration is inlined), leaving the thread loops on
  // the host: give it a second block, whose threads are all out of range
  // along cols (the guards use the real sizes) and so only copy.
  bool oneBlock = true;
  for (unsigned l = 0; l < numPar; ++l) {
    int64_t step = l == rowsLoop ? rows : l == colsLoop ? cols : 1;
    oneBlock &= !ShapedType::isDynamic(staticSizes[l]) &&
                staticSizes[l] <= step;
  }
  if (oneBlock)
    ubs[colsLoop] = cst(rewriter, loc, 2 * cols);
  auto grid = scf::ParallelOp::create(rewriter, loc, lbs, ubs, steps);
  OpBuilder b(grid.getBody()->getTerminator());
  SmallVector<Value> ivs(grid.getInductionVars());

  // Tiles: stack allocations in workgroup memory (one per block on a GPU:
  // inhibitor-gpu-map-threads makes them workgroup attributions), or, for
  // host emulation, heap buffers freed at the end of each block (stack
  // allocations in a loop body would grow the host stack per iteration).
  SmallVector<Value> tiles;
  auto allocate = [&](MemRefType type) -> Value {
    Value tile = workgroupMemory
                     ? memref::AllocaOp::create(b, loc, type).getResult()
                     : memref::AllocOp::create(b, loc, type).getResult();
    tiles.push_back(tile);
    return tile;
  };
  for (StagedInput &s : inputs)
    if (s.staged)
      s.tile = allocate(s.tileType);
  Value acc = allocate(accType);

  Value nRows = sizes[rowsLoop], nCols = sizes[colsLoop];
  Value nRed = sizes[redLoop];
  // Global indices of this thread's output element, and whether it exists.
  auto rowCol = [&](OpBuilder &b, Value ty, Value tx) {
    Value i = arith::AddIOp::create(b, loc, ivs[rowsLoop], ty);
    Value j = arith::AddIOp::create(b, loc, ivs[colsLoop], tx);
    Value inRows =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, i, nRows);
    Value inCols =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, j, nCols);
    Value in = arith::AndIOp::create(b, loc, inRows, inCols);
    return std::make_tuple(i, j, in);
  };
  // Global loop index -> value, for the output and for unstaged inputs.
  auto loopIndex = [&](unsigned loop, Value i, Value j, Value r) {
    if (loop == rowsLoop)
      return i;
    if (loop == colsLoop)
      return j;
    if (loop == redLoop)
      return r;
    return ivs[loop];
  };
  auto applyMap = [&](OpBuilder &b, AffineMap map, Value i, Value j,
                      Value r) {
    return llvm::map_to_vector(map.getResults(), [&](AffineExpr e) -> Value {
      if (auto c = dyn_cast<AffineConstantExpr>(e))
        return cst(b, loc, c.getValue());
      return loopIndex(cast<AffineDimExpr>(e).getPosition(), i, j, r);
    });
  };

  // acc = out.
  threadLoop(b, loc, rows, cols, [&](OpBuilder &b, Value ty, Value tx) {
    auto [i, j, in] = rowCol(b, ty, tx);
    ifThen(b, loc, in, [&](OpBuilder &b) {
      Value v = memref::LoadOp::create(b, loc, out,
                                       applyMap(b, outMap, i, j, Value()));
      memref::StoreOp::create(b, loc, v, acc, ValueRange{ty, tx});
    });
  });

  // The reduction, one chunk of `red` at a time.
  auto chunks = scf::ForOp::create(b, loc, zero, nRed, cst(b, loc, red));
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(chunks.getBody()->getTerminator());
    Value r0 = chunks.getInductionVar();
    Value left = arith::SubIOp::create(b, loc, nRed, r0);
    Value len = arith::MinSIOp::create(b, loc, left, cst(b, loc, red));

    // Cooperative copy: thread t copies elements t, t + rows*cols, ... of
    // each tile, walking the operand's dims innermost first (coalesced).
    threadLoop(b, loc, rows, cols, [&](OpBuilder &b, Value ty, Value tx) {
      Value tid = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, ty, cst(b, loc, cols)), tx);
      for (auto [s, in] : llvm::zip(inputs, op.getDpsInputOperands())) {
        if (!s.staged)
          continue;
        int64_t count = 1;
        for (int64_t e : s.extents)
          count *= e;
        auto copy = scf::ForOp::create(b, loc, tid, cst(b, loc, count),
                                       cst(b, loc, rows * cols));
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(copy.getBody()->getTerminator());
        Value rest = copy.getInductionVar();
        SmallVector<Value> coords(s.copyDims.size());
        for (int64_t c = s.copyDims.size() - 1; c >= 0; --c) {
          Value e = cst(b, loc, s.extents[c]);
          coords[c] = c == 0 ? rest : arith::RemUIOp::create(b, loc, rest, e);
          if (c > 0)
            rest = arith::DivUIOp::create(b, loc, rest, e);
        }
        SmallVector<Value> global;
        Value inBounds;
        unsigned c = 0;
        for (auto [k, e] : llvm::enumerate(s.map.getResults())) {
          if (auto k0 = dyn_cast<AffineConstantExpr>(e)) {
            global.push_back(cst(b, loc, k0.getValue()));
            continue;
          }
          unsigned loop = cast<AffineDimExpr>(e).getPosition();
          Value base = loop == redLoop ? r0 : ivs[loop];
          if (c == s.copyDims.size() || s.copyDims[c] != k) {
            global.push_back(base);
            continue;
          }
          Value idx = arith::AddIOp::create(b, loc, base, coords[c++]);
          global.push_back(idx);
          Value bound = loop == redLoop ? nRed : sizes[loop];
          Value ok = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                           idx, bound);
          inBounds = inBounds ? arith::AndIOp::create(b, loc, inBounds, ok)
                                    .getResult()
                              : ok;
        }
        SmallVector<Value> tileIdx;
        for (unsigned l : s.layout)
          tileIdx.push_back(coords[l]);
        if (tileIdx.empty())
          tileIdx.push_back(cst(b, loc, 0));
        auto doCopy = [&](OpBuilder &b) {
          Value v = memref::LoadOp::create(b, loc, in->get(), global);
          memref::StoreOp::create(b, loc, v, s.tile, tileIdx);
        };
        if (inBounds)
          ifThen(b, loc, inBounds, doCopy);
        else
          doCopy(b);
      }
    });

    // Every thread accumulates its element over the chunk, from the tiles.
    threadLoop(b, loc, rows, cols, [&](OpBuilder &b, Value ty, Value tx) {
      auto [i, j, in] = rowCol(b, ty, tx);
      ifThen(b, loc, in, [&](OpBuilder &b) {
        Value init =
            memref::LoadOp::create(b, loc, acc, ValueRange{ty, tx});
        auto loop = scf::ForOp::create(b, loc, zero, len, cst(b, loc, 1),
                                       ValueRange{init});
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(loop.getBody());
        Value rr = loop.getInductionVar();
        Value r = arith::AddIOp::create(b, loc, r0, rr);
        IRMapping mapping;
        Block *body = op.getBlock();
        for (auto [s, in] : llvm::zip(inputs, op.getDpsInputOperands())) {
          Value v;
          if (s.staged) {
            SmallVector<Value> tileIdx;
            for (unsigned l : s.layout) {
              unsigned loop =
                  cast<AffineDimExpr>(s.map.getResult(s.copyDims[l]))
                      .getPosition();
              tileIdx.push_back(loop == rowsLoop   ? ty
                                : loop == colsLoop ? tx
                                                   : rr);
            }
            if (tileIdx.empty())
              tileIdx.push_back(zero);
            v = memref::LoadOp::create(b, loc, s.tile, tileIdx);
          } else {
            v = memref::LoadOp::create(b, loc, in->get(),
                                       applyMap(b, s.map, i, j, r));
          }
          mapping.map(body->getArgument(in->getOperandNumber()), v);
        }
        mapping.map(body->getArguments().back(), loop.getRegionIterArgs()[0]);
        for (Operation &bodyOp : body->without_terminator()) {
          if (auto index = dyn_cast<linalg::IndexOp>(bodyOp)) {
            mapping.map(index.getResult(),
                        loopIndex(index.getDim(), i, j, r));
            continue;
          }
          b.clone(bodyOp, mapping);
        }
        Value next = mapping.lookupOrDefault(
            cast<linalg::YieldOp>(body->getTerminator()).getOperand(0));
        scf::YieldOp::create(b, loc, next);
        b.setInsertionPointAfter(loop);
        memref::StoreOp::create(b, loc, loop.getResult(0), acc,
                                ValueRange{ty, tx});
      });
    });
  }

  // out = acc.
  threadLoop(b, loc, rows, cols, [&](OpBuilder &b, Value ty, Value tx) {
    auto [i, j, in] = rowCol(b, ty, tx);
    ifThen(b, loc, in, [&](OpBuilder &b) {
      Value v = memref::LoadOp::create(b, loc, acc, ValueRange{ty, tx});
      memref::StoreOp::create(b, loc, v, out,
                              applyMap(b, outMap, i, j, Value()));
    });
  });
  if (!workgroupMemory)
    for (Value tile : tiles)
      memref::DeallocOp::create(b, loc, tile);
  rewriter.eraseOp(op);
  return grid;
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

    // 2. linalg to scf.parallel + scf.for, or staged through shared-memory
    // tiles (already tiled into thread blocks).
    if (reductionTile <= 0) {
      func->emitError("inhibitor-tile-for-gpu: reduction-tile must be "
                      "positive");
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> linalgOps;
    func.walk([&](linalg::LinalgOp op) { linalgOps.push_back(op); });
    DenseSet<Operation *> staged;
    for (linalg::LinalgOp op : linalgOps) {
      if (!op.hasPureBufferSemantics()) {
        op->emitError("inhibitor-tile-for-gpu: expected a linalg op on "
                      "buffers (bufferize first)");
        return signalPassFailure();
      }
      auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      if (sharedMemory && generic && canStage(generic)) {
        int64_t bytes = 0;
        scf::ParallelOp grid = stageReduction(
            rewriter, generic, block, reductionTile, workgroupMemory, bytes);
        // The static shared memory of one block on every CUDA GPU.
        if (bytes > 48 * 1024) {
          grid->emitError("inhibitor-tile-for-gpu: staged tiles need ")
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
