//===- StageSharedMemory.cpp - Reductions staged through shared memory ----===//
//
// A contraction-like linalg.generic on buffers (the score, the inhibition)
// becomes a grid of thread blocks; per block, chunks of the reduction are
// copied cooperatively into tiles, then every thread accumulates its output
// element from them. The thread loops are sibling scf.forall loops mapped to
// #gpu.thread<y>, #gpu.thread<x>; inhibitor-gpu-map-threads later puts a
// barrier after each. Upstream promotion (linalg::promoteSubViews) copies a
// whole subview from every thread and knows no barriers, hence this file;
// docs/GPU.md tells the loop nest and its bank-conflict padding.
//
//===----------------------------------------------------------------------===//

#include "GPUDistribute.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

/// Role of a loop of a staged generic (reductions innermost): batch loops
/// (one per block), rows (threadIdx.y), cols (threadIdx.x), the reduction.
enum class LoopRole { Batch, Rows, Cols, Reduction };

static LoopRole roleOf(unsigned loop, unsigned numLoops) {
  if (loop + 1 == numLoops)
    return LoopRole::Reduction;
  if (loop + 2 == numLoops)
    return LoopRole::Cols;
  if (loop + 3 == numLoops)
    return LoopRole::Rows;
  return LoopRole::Batch;
}

/// Which of rows, cols and the reduction an indexing map reads.
struct LoopUse {
  bool rows = false, cols = false, reduction = false;
  /// Inputs shared by the threads of a block along rows or cols, read along
  /// the reduction, are the ones worth staging.
  bool sharedByBlock() const { return reduction && !(rows && cols); }
};

static LoopUse loopUseOf(AffineMap map, unsigned numLoops) {
  LoopUse use;
  for (AffineExpr e : map.getResults())
    if (auto d = dyn_cast<AffineDimExpr>(e)) {
      LoopRole role = roleOf(d.getPosition(), numLoops);
      use.rows |= role == LoopRole::Rows;
      use.cols |= role == LoopRole::Cols;
      use.reduction |= role == LoopRole::Reduction;
    }
  return use;
}

bool mlir::inhibitor::canStageThroughSharedMemory(linalg::GenericOp op) {
  unsigned numLoops = op.getNumLoops();
  if (numLoops < 3 || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() != 1 ||
      !linalg::isReductionIterator(op.getIteratorTypesArray().back()) ||
      !op.hasPureBufferSemantics())
    return false;
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getNumResults() != numLoops - 1 ||
      !outMap.isProjectedPermutation())
    return false;
  for (AffineExpr e : outMap.getResults())
    if (cast<AffineDimExpr>(e).getPosition() + 1 == numLoops)
      return false;
  bool shared = false;
  for (OpOperand *in : op.getDpsInputOperands()) {
    if (!isa<MemRefType>(in->get().getType()))
      return false;
    AffineMap map = op.getMatchingIndexingMap(in);
    for (AffineExpr e : map.getResults()) {
      if (auto c = dyn_cast<AffineConstantExpr>(e)) {
        if (c.getValue() < 0)
          return false;
        continue;
      }
      if (!isa<AffineDimExpr>(e))
        return false;
    }
    shared |= loopUseOf(map, numLoops).sharedByBlock();
  }
  return shared;
}

namespace {

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

/// Builds the staged loop nest of one generic; one method per part of it.
class ReductionStager {
public:
  ReductionStager(RewriterBase &rewriter, linalg::GenericOp op,
                  ArrayRef<int64_t> block, int64_t chunk, bool workgroupMemory);

  /// The whole nest; returns its grid-level scf.parallel.
  scf::ParallelOp build(int64_t &sharedBytes);

private:
  Value index(OpBuilder &b, int64_t v) const {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  int64_t extentOf(unsigned loop) const;
  /// Which inputs are staged, and their tile types; returns their bytes.
  int64_t planInputs(Attribute space);
  /// The grid: batch loops, rows and cols in steps of the block.
  scf::ParallelOp buildGrid();
  /// An `scf.forall (ty, tx) in (rows, cols)` mapped to
  /// (#gpu.thread<y>, #gpu.thread<x>); `body` fills it.
  void buildThreadLoop(OpBuilder &b,
                       function_ref<void(OpBuilder &, Value, Value)> body);
  /// `body` for the threads whose output element exists, given its global
  /// row and column.
  void
  buildForOwnElement(OpBuilder &b, Value ty, Value tx,
                     function_ref<void(OpBuilder &, Value i, Value j)> body);
  /// Global loop index of `loop` for the element (i, j) at reduction step r.
  Value loopIndex(unsigned loop, Value i, Value j, Value r) const;
  SmallVector<Value> applyMap(OpBuilder &b, AffineMap map, Value i, Value j,
                              Value r) const;
  /// Thread t copies elements t, t + rows * cols, ... of each tile, walking
  /// the operand's dims innermost first (coalesced), for the chunk at r0.
  void buildCooperativeCopy(OpBuilder &b, Value r0);
  /// Every thread accumulates its element over `len` steps from r0.
  void buildChunkAccumulation(OpBuilder &b, Value r0, Value len);

  RewriterBase &rewriter;
  linalg::GenericOp op;
  Location loc;
  bool workgroupMemory;
  unsigned numLoops, numPar, rowsLoop, colsLoop, redLoop;
  int64_t rows, cols, red;
  SmallVector<Value> sizes;
  SmallVector<int64_t> staticSizes;
  SmallVector<StagedInput> inputs;
  Value out, acc;
  AffineMap outMap;
  MemRefType accType;
  SmallVector<Value> ivs;   // of the grid
  SmallVector<Value> tiles; // allocated per block
};

} // namespace

ReductionStager::ReductionStager(RewriterBase &rewriter, linalg::GenericOp op,
                                 ArrayRef<int64_t> block, int64_t chunk,
                                 bool workgroupMemory)
    : rewriter(rewriter), op(op), loc(op.getLoc()),
      workgroupMemory(workgroupMemory), numLoops(op.getNumLoops()),
      numPar(numLoops - 1), rowsLoop(numPar - 2), colsLoop(numPar - 1),
      redLoop(numPar) {
  rewriter.setInsertionPoint(op);
  sizes = llvm::map_to_vector(
      cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(rewriter, loc),
      [&](const Range &r) {
        return getValueOrCreateConstantIndexOp(rewriter, loc, r.size);
      });
  staticSizes = op.getStaticLoopRanges();
  auto clamp = [&](int64_t tile, unsigned loop) {
    int64_t s = staticSizes[loop];
    return ShapedType::isDynamic(s) ? tile
                                    : std::max<int64_t>(1, std::min(tile, s));
  };
  rows = clamp(block[0], rowsLoop);
  cols = clamp(block[1], colsLoop);
  red = clamp(chunk, redLoop);
  out = op.getDpsInitOperand(0)->get();
  outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
}

int64_t ReductionStager::extentOf(unsigned loop) const {
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
}

static int64_t bytesOf(Type t) {
  return static_cast<int64_t>((t.getIntOrFloatBitWidth() + 7) / 8);
}

int64_t ReductionStager::planInputs(Attribute space) {
  int64_t bytes = 0;
  for (OpOperand *in : op.getDpsInputOperands()) {
    StagedInput s;
    s.map = op.getMatchingIndexingMap(in);
    s.staged = loopUseOf(s.map, numLoops).sharedByBlock();
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
      // The bank-conflict padding of a moved cols dim.
      if (colsDim && *colsDim + 1 != s.copyDims.size())
        shape.back() += 1;
      if (shape.empty())
        shape.push_back(1);
      Type elem = cast<MemRefType>(in->get().getType()).getElementType();
      s.tileType =
          MemRefType::get(shape, elem, MemRefLayoutAttrInterface(), space);
      bytes += s.tileType.getNumElements() * bytesOf(elem);
    }
    inputs.push_back(std::move(s));
  }
  Type accElem = cast<MemRefType>(out.getType()).getElementType();
  accType = MemRefType::get({rows, cols}, accElem, MemRefLayoutAttrInterface(),
                            space);
  return bytes + rows * cols * bytesOf(accElem);
}

scf::ParallelOp ReductionStager::buildGrid() {
  Value zero = index(rewriter, 0);
  SmallVector<Value> lbs(numPar, zero), steps(numPar, index(rewriter, 1));
  steps[rowsLoop] = index(rewriter, rows);
  steps[colsLoop] = index(rewriter, cols);
  SmallVector<Value> ubs(ArrayRef<Value>(sizes).take_front(numPar));
  // A grid of one block would be folded away by the canonicalizer (an
  // scf.parallel of one iteration is inlined), leaving the thread loops on
  // the host: give it a second block, whose threads are all out of range
  // along cols (the guards use the real sizes) and so only copy.
  bool oneBlock = true;
  for (unsigned l = 0; l < numPar; ++l) {
    int64_t step = l == rowsLoop ? rows : l == colsLoop ? cols : 1;
    oneBlock &=
        !ShapedType::isDynamic(staticSizes[l]) && staticSizes[l] <= step;
  }
  if (oneBlock)
    ubs[colsLoop] = index(rewriter, 2 * cols);
  auto grid = scf::ParallelOp::create(rewriter, loc, lbs, ubs, steps);
  // getInductionVars() returns a new vector each call: take one.
  SmallVector<Value> gridIvs = llvm::to_vector(grid.getInductionVars());
  ivs.assign(gridIvs.begin(), gridIvs.end());
  return grid;
}

void ReductionStager::buildThreadLoop(
    OpBuilder &b, function_ref<void(OpBuilder &, Value, Value)> body) {
  MLIRContext *ctx = b.getContext();
  ArrayAttr mapping = b.getArrayAttr(
      {gpu::GPUThreadMappingAttr::get(ctx, gpu::MappingId::DimY),
       gpu::GPUThreadMappingAttr::get(ctx, gpu::MappingId::DimX)});
  auto forall = scf::ForallOp::create(
      b, loc,
      ArrayRef<OpFoldResult>{b.getIndexAttr(rows), b.getIndexAttr(cols)},
      ValueRange{}, mapping);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getBody()->getTerminator());
  body(b, forall.getInductionVar(0), forall.getInductionVar(1));
}

/// `body` under `cond`.
static void buildGuarded(OpBuilder &b, Location loc, Value cond,
                         function_ref<void(OpBuilder &)> body) {
  auto ifOp = scf::IfOp::create(b, loc, cond, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
  body(b);
}

void ReductionStager::buildForOwnElement(
    OpBuilder &b, Value ty, Value tx,
    function_ref<void(OpBuilder &, Value, Value)> body) {
  Value i = arith::AddIOp::create(b, loc, ivs[rowsLoop], ty);
  Value j = arith::AddIOp::create(b, loc, ivs[colsLoop], tx);
  Value inRows = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, i,
                                       sizes[rowsLoop]);
  Value inCols = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, j,
                                       sizes[colsLoop]);
  Value exists = arith::AndIOp::create(b, loc, inRows, inCols);
  buildGuarded(b, loc, exists, [&](OpBuilder &b) { body(b, i, j); });
}

Value ReductionStager::loopIndex(unsigned loop, Value i, Value j,
                                 Value r) const {
  if (loop == rowsLoop)
    return i;
  if (loop == colsLoop)
    return j;
  if (loop == redLoop)
    return r;
  return ivs[loop];
}

SmallVector<Value> ReductionStager::applyMap(OpBuilder &b, AffineMap map,
                                             Value i, Value j, Value r) const {
  return llvm::map_to_vector(map.getResults(), [&](AffineExpr e) -> Value {
    if (auto c = dyn_cast<AffineConstantExpr>(e))
      return index(b, c.getValue());
    return loopIndex(cast<AffineDimExpr>(e).getPosition(), i, j, r);
  });
}

void ReductionStager::buildCooperativeCopy(OpBuilder &b, Value r0) {
  buildThreadLoop(b, [&](OpBuilder &b, Value ty, Value tx) {
    Value tid = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, ty, index(b, cols)), tx);
    for (auto [s, in] : llvm::zip(inputs, op.getDpsInputOperands())) {
      if (!s.staged)
        continue;
      int64_t count = 1;
      for (int64_t e : s.extents)
        count *= e;
      auto copy = scf::ForOp::create(b, loc, tid, index(b, count),
                                     index(b, rows * cols));
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(copy.getBody()->getTerminator());
      // The element's coordinates in the tile's copy dims.
      Value rest = copy.getInductionVar();
      SmallVector<Value> coords(s.copyDims.size());
      for (int64_t c = s.copyDims.size() - 1; c >= 0; --c) {
        Value e = index(b, s.extents[c]);
        coords[c] = c == 0 ? rest : arith::RemUIOp::create(b, loc, rest, e);
        if (c > 0)
          rest = arith::DivUIOp::create(b, loc, rest, e);
      }
      // Its global indices, and whether they are in bounds.
      SmallVector<Value> global;
      Value inBounds;
      unsigned c = 0;
      for (auto [k, e] : llvm::enumerate(s.map.getResults())) {
        if (auto k0 = dyn_cast<AffineConstantExpr>(e)) {
          global.push_back(index(b, k0.getValue()));
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
        Value ok = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, idx,
                                         sizes[loop]);
        inBounds = inBounds
                       ? arith::AndIOp::create(b, loc, inBounds, ok).getResult()
                       : ok;
      }
      SmallVector<Value> tileIdx;
      for (unsigned l : s.layout)
        tileIdx.push_back(coords[l]);
      if (tileIdx.empty())
        tileIdx.push_back(index(b, 0));
      // Named copies: lambdas capture structured bindings only from C++20.
      Value source = in->get(), tile = s.tile;
      auto copyElement = [&](OpBuilder &b) {
        Value v = memref::LoadOp::create(b, loc, source, global);
        memref::StoreOp::create(b, loc, v, tile, tileIdx);
      };
      if (inBounds)
        buildGuarded(b, loc, inBounds, copyElement);
      else
        copyElement(b);
    }
  });
}

void ReductionStager::buildChunkAccumulation(OpBuilder &b, Value r0,
                                             Value len) {
  buildThreadLoop(b, [&](OpBuilder &b, Value ty, Value tx) {
    buildForOwnElement(b, ty, tx, [&](OpBuilder &b, Value i, Value j) {
      Value init = memref::LoadOp::create(b, loc, acc, ValueRange{ty, tx});
      auto loop = scf::ForOp::create(b, loc, index(b, 0), len, index(b, 1),
                                     ValueRange{init});
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      Value step = loop.getInductionVar();
      Value r = arith::AddIOp::create(b, loc, r0, step);
      // The generic's body on the tiles (staged inputs) or on global memory.
      IRMapping mapping;
      Block *body = op.getBlock();
      for (auto [s, in] : llvm::zip(inputs, op.getDpsInputOperands())) {
        Value v;
        if (s.staged) {
          SmallVector<Value> tileIdx;
          for (unsigned l : s.layout) {
            unsigned loop = cast<AffineDimExpr>(s.map.getResult(s.copyDims[l]))
                                .getPosition();
            tileIdx.push_back(loop == rowsLoop   ? ty
                              : loop == colsLoop ? tx
                                                 : step);
          }
          if (tileIdx.empty())
            tileIdx.push_back(index(b, 0));
          v = memref::LoadOp::create(b, loc, s.tile, tileIdx);
        } else {
          v = memref::LoadOp::create(b, loc, in->get(),
                                     applyMap(b, s.map, i, j, r));
        }
        mapping.map(body->getArgument(in->getOperandNumber()), v);
      }
      mapping.map(body->getArguments().back(), loop.getRegionIterArgs()[0]);
      for (Operation &bodyOp : body->without_terminator()) {
        if (auto indexOp = dyn_cast<linalg::IndexOp>(bodyOp)) {
          mapping.map(indexOp.getResult(),
                      loopIndex(indexOp.getDim(), i, j, r));
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

scf::ParallelOp ReductionStager::build(int64_t &sharedBytes) {
  Attribute space;
  if (workgroupMemory)
    space = gpu::AddressSpaceAttr::get(op.getContext(),
                                       gpu::AddressSpace::Workgroup);
  sharedBytes += planInputs(space);
  scf::ParallelOp grid = buildGrid();
  OpBuilder b(grid.getBody()->getTerminator());

  // Tiles: stack allocations in workgroup memory (one per block on a GPU:
  // inhibitor-gpu-map-threads makes them workgroup attributions), or, for
  // host emulation, heap buffers freed at the end of each block (stack
  // allocations in a loop body would grow the host stack per iteration).
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
  acc = allocate(accType);

  // acc = out.
  buildThreadLoop(b, [&](OpBuilder &b, Value ty, Value tx) {
    buildForOwnElement(b, ty, tx, [&](OpBuilder &b, Value i, Value j) {
      Value v = memref::LoadOp::create(b, loc, out,
                                       applyMap(b, outMap, i, j, Value()));
      memref::StoreOp::create(b, loc, v, acc, ValueRange{ty, tx});
    });
  });

  // The reduction, one chunk of `red` at a time: copy, then accumulate.
  Value nRed = sizes[redLoop];
  auto chunks = scf::ForOp::create(b, loc, index(b, 0), nRed, index(b, red));
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(chunks.getBody()->getTerminator());
    Value r0 = chunks.getInductionVar();
    Value left = arith::SubIOp::create(b, loc, nRed, r0);
    Value len = arith::MinSIOp::create(b, loc, left, index(b, red));
    buildCooperativeCopy(b, r0);
    buildChunkAccumulation(b, r0, len);
  }

  // out = acc.
  buildThreadLoop(b, [&](OpBuilder &b, Value ty, Value tx) {
    buildForOwnElement(b, ty, tx, [&](OpBuilder &b, Value i, Value j) {
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

scf::ParallelOp mlir::inhibitor::stageReductionThroughSharedMemory(
    RewriterBase &rewriter, linalg::GenericOp op, ArrayRef<int64_t> block,
    int64_t chunk, bool workgroupMemory, int64_t &sharedBytes) {
  return ReductionStager(rewriter, op, block, chunk, workgroupMemory)
      .build(sharedBytes);
}
