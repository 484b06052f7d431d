//===- PrefetchTiles.cpp - Prefetch the next tile of a streaming loop ----===//
//
// The fused attention kernel's loop over key tiles reads each K and V tile
// when it first touches it: the first loads of a tile miss, the hardware
// prefetcher restarts on every tile, and compute and memory take turns
// (with 16 queries against 64K keys, one thread: 1.40 ns per pair in cache,
// 2.43 from memory). This pass prefetches the next tile while the current
// one is computed, one cache line at a time, spread over the iterations of
// the loop body's hottest inner loop nest. See docs/Codegen.md.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORPREFETCHTILES
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

namespace {

/// The most prefetches of one tile that an iteration of a site issues.
constexpr int64_t kMaxPerIteration = 8;

/// A tile that a loop takes of a buffer defined outside it, at offsets that
/// depend on the induction variable (through side-effect-free ops of the
/// loop body) or not at all.
struct Stream {
  mutable memref::SubViewOp tile; // op handles are not const-correct
  /// The ops of the loop body that compute the offsets from the induction
  /// variable, in order.
  SmallVector<Operation *> offsetOps;
  SmallVector<int64_t> sizes;
  /// Whether a size is a bound (the last tile of a ragged or dynamic extent
  /// is partial): indices are then clamped to the buffer.
  bool bounded;
  /// Cache lines per row of the innermost dim, and elements per line.
  int64_t rowLines, lineElems;
  /// Cache lines of one tile (rows times rowLines).
  int64_t lines;
};

/// The value itself where it is a constant, else its constant upper bound
/// (a partial last tile's size, `min(M - j, 128)`), if any.
std::optional<int64_t> constantOrBound(OpFoldResult value) {
  if (std::optional<int64_t> c = getConstantIntValue(value))
    return c;
  // min(x, c) <= c (the canonical form of a partial tile's size).
  if (auto v = dyn_cast<Value>(value)) {
    if (auto min = v.getDefiningOp<arith::MinSIOp>()) {
      std::optional<int64_t> a = getConstantIntValue(min.getLhs());
      std::optional<int64_t> b = getConstantIntValue(min.getRhs());
      if (a || b)
        return a && b ? std::min(*a, *b) : a ? *a : *b;
    }
  }
  FailureOr<int64_t> bound = ValueBoundsConstraintSet::computeConstantBound(
      presburger::BoundType::UB, ValueBoundsConstraintSet::Variable(value),
      /*stopCondition=*/nullptr, /*closedUB=*/true);
  if (failed(bound))
    return std::nullopt;
  return *bound;
}

std::optional<Stream> matchStream(scf::ForOp loop, memref::SubViewOp tile,
                                  int64_t minTileBytes, int64_t lineBytes) {
  Value source = tile.getSource();
  if (!loop.isDefinedOutsideOfLoop(source))
    return std::nullopt;
  MemRefType type = tile.getSourceType();
  Type elem = type.getElementType();
  if (!elem.isIntOrFloat() || elem.getIntOrFloatBitWidth() % 8)
    return std::nullopt;
  int64_t elemBytes = elem.getIntOrFloatBitWidth() / 8;
  if (lineBytes % elemBytes)
    return std::nullopt;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) || strides.empty() ||
      strides.back() != 1)
    return std::nullopt;
  if (!llvm::all_of(tile.getMixedStrides(),
                    [](OpFoldResult s) { return isConstantIntValue(s, 1); }))
    return std::nullopt;
  // Static sizes, or the bound of a partial tile's (its prefetches are then
  // clamped to the buffer).
  SmallVector<int64_t> sizes;
  bool bounded = false;
  for (OpFoldResult size : tile.getMixedSizes()) {
    std::optional<int64_t> bound = constantOrBound(size);
    if (!bound || *bound < 1)
      return std::nullopt;
    bounded |= !getConstantIntValue(size);
    sizes.push_back(*bound);
  }
  // The offsets: loop-invariant, or computed from the induction variable
  // by pure ops of the loop body (the tile of iteration i + d is then
  // theirs for i + d), one of them at least.
  SetVector<Operation *> offsetOps;
  bool moves = false;
  SmallVector<Value> work(tile.getOffsets());
  while (!work.empty()) {
    Value value = work.pop_back_val();
    if (value == loop.getInductionVar()) {
      moves = true;
      continue;
    }
    if (loop.isDefinedOutsideOfLoop(value))
      continue;
    Operation *def = value.getDefiningOp();
    if (!def || def->getBlock() != loop.getBody() || !isPure(def) ||
        def->getNumRegions())
      return std::nullopt;
    if (offsetOps.insert(def))
      llvm::append_range(work, def->getOperands());
  }
  if (!moves)
    return std::nullopt;
  int64_t elems = 1;
  for (int64_t size : sizes) {
    if (size > (int64_t(1) << 31) / elems) // tiles of 2^31 elements at most
      return std::nullopt;
    elems *= size;
  }
  if (elems * elemBytes < minTileBytes)
    return std::nullopt;
  SmallVector<Operation *> ordered(offsetOps.begin(), offsetOps.end());
  llvm::sort(ordered,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  Stream stream{tile, std::move(ordered),    sizes, bounded,
                0,    lineBytes / elemBytes, 0};
  stream.rowLines = llvm::divideCeil(sizes.back(), stream.lineElems);
  stream.lines = elems / sizes.back() * stream.rowLines;
  return stream;
}

/// Whether an enclosing loop of `loop` reads the stream's tiles again: one
/// with more than one iteration (or an unknown number) in an induction
/// variable that the tile's address does not depend on, as the fused
/// kernel's loop over query tiles does with the K/V tiles of one head.
bool reread(scf::ForOp loop, const Stream &stream) {
  // The block arguments the tile's source and offsets depend on.
  DenseSet<Value> args;
  SmallVector<Value> work{stream.tile.getSource()};
  for (Value offset : stream.tile.getOffsets())
    if (offset != loop.getInductionVar())
      work.push_back(offset);
  DenseSet<Operation *> seen;
  while (!work.empty()) {
    Value value = work.pop_back_val();
    if (auto arg = dyn_cast<BlockArgument>(value)) {
      args.insert(arg);
      continue;
    }
    Operation *def = value.getDefiningOp();
    if (seen.insert(def).second)
      llvm::append_range(work, def->getOperands());
  }
  for (Operation *op = loop->getParentOp(); op; op = op->getParentOp()) {
    auto outer = dyn_cast<LoopLikeOpInterface>(op);
    if (!outer)
      continue;
    std::optional<SmallVector<Value>> ivs = outer.getLoopInductionVars();
    std::optional<SmallVector<OpFoldResult>> lbs = outer.getLoopLowerBounds();
    std::optional<SmallVector<OpFoldResult>> ubs = outer.getLoopUpperBounds();
    std::optional<SmallVector<OpFoldResult>> steps = outer.getLoopSteps();
    if (!ivs || !lbs || !ubs || !steps)
      return true; // a loop of unknown shape (scf.while): assume it does
    for (auto [iv, lb, ub, step] : llvm::zip_equal(*ivs, *lbs, *ubs, *steps)) {
      std::optional<int64_t> l = getConstantIntValue(lb),
                             u = getConstantIntValue(ub),
                             s = getConstantIntValue(step);
      bool once = l && u && s && *s > 0 && *u - *l <= *s;
      if (!once && !args.contains(iv))
        return true;
    }
  }
  return false;
}

/// The trip count of an inner loop with a constant lower bound and step:
/// static, or at most (a loop over a partial tile).
std::optional<int64_t> boundedTrips(scf::ForOp f) {
  std::optional<int64_t> lb = getConstantIntValue(f.getLowerBound());
  std::optional<int64_t> step = getConstantIntValue(f.getStep());
  std::optional<int64_t> ub = constantOrBound(f.getUpperBound());
  if (!lb || !step || !ub || *step <= 0 || *ub <= *lb ||
      *ub - *lb > (int64_t(1) << 31))
    return std::nullopt;
  return llvm::divideCeil(*ub - *lb, *step);
}

/// Iterations of the loop nest from `loop`'s body down to `inner` (static
/// trip counts or their bounds; scf.if in between is fine, any other region
/// op is not).
std::optional<int64_t> nestTrips(scf::ForOp inner, scf::ForOp loop) {
  int64_t trips = 1;
  for (Operation *op = inner; op != loop; op = op->getParentOp()) {
    if (auto f = dyn_cast<scf::ForOp>(op)) {
      std::optional<int64_t> count = boundedTrips(f);
      // At most 2^31 iterations in all: the prefetch arithmetic multiplies
      // an iteration number by a tile's lines.
      if (!count || *count > (int64_t(1) << 31) / trips)
        return std::nullopt;
      trips *= *count;
    } else if (!isa<scf::IfOp>(op)) {
      return std::nullopt;
    }
  }
  return trips;
}

/// The innermost loops that prefetch: on every path through `block`, the
/// innermost loop nest with the most iterations. Where an scf.if's two
/// branches each hold a nest with more iterations than any nest outside it,
/// the two are chosen; `trips` is the smaller of their iteration counts.
struct Sites {
  SmallVector<scf::ForOp> loops;
  int64_t trips = 0;
};

Sites chooseSites(Block &block, scf::ForOp loop) {
  Sites best;
  for (Operation &op : block) {
    if (auto f = dyn_cast<scf::ForOp>(op)) {
      f->walk([&](scf::ForOp candidate) {
        bool innermost =
            !candidate.getBody()
                 ->walk([](scf::ForOp) { return WalkResult::interrupt(); })
                 .wasInterrupted();
        if (!innermost)
          return;
        std::optional<int64_t> trips = nestTrips(candidate, loop);
        if (trips && *trips > best.trips)
          best = Sites{{candidate}, *trips};
      });
    } else if (auto ifOp = dyn_cast<scf::IfOp>(op)) {
      if (ifOp.getElseRegion().empty())
        continue;
      Sites a = chooseSites(*ifOp.thenBlock(), loop);
      Sites b = chooseSites(*ifOp.elseBlock(), loop);
      if (a.loops.empty() || b.loops.empty())
        continue;
      int64_t trips = std::min(a.trips, b.trips);
      if (trips > best.trips) {
        best.loops = a.loops;
        best.loops.append(b.loops);
        best.trips = trips;
      }
    }
  }
  return best;
}

struct PrefetchTilesPass
    : inhibitor::impl::InhibitorPrefetchTilesBase<PrefetchTilesPass> {
  using Base::Base;

  void runOnOperation() override {
    if (distance < 1 || minTileBytes < 0 || locality < 0 || locality > 3 ||
        lineBytes < 1) {
      getOperation().emitError()
          << "inhibitor-prefetch-tiles: distance must be at least 1, "
             "locality 0 to 3, line-bytes at least 1 and min-tile-bytes "
             "not negative";
      return signalPassFailure();
    }
    // Loops that stream tiles, with their streams.
    SmallVector<std::pair<scf::ForOp, SmallVector<Stream>>> loops;
    getOperation().walk([&](scf::ForOp loop) {
      SmallVector<Stream> streams;
      for (auto tile : loop.getBody()->getOps<memref::SubViewOp>()) {
        std::optional<Stream> stream =
            matchStream(loop, tile, minTileBytes, lineBytes);
        if (!stream)
          continue;
        // The same tile taken twice is prefetched once.
        bool seen = llvm::any_of(streams, [&](const Stream &s) {
          return s.tile.getSource() == tile.getSource() &&
                 s.tile.getMixedOffsets() == tile.getMixedOffsets() &&
                 s.tile.getMixedSizes() == tile.getMixedSizes();
        });
        if (!seen)
          streams.push_back(*stream);
      }
      if (!streams.empty())
        loops.emplace_back(loop, std::move(streams));
    });
    for (auto &entry : loops) {
      // (Named, not structured bindings: lambdas below capture them.)
      scf::ForOp loop = entry.first;
      SmallVector<Stream> &streams = entry.second;
      // Only the innermost streams: an outer stream's next tile would be
      // prefetched again in every iteration of the inner streaming loop.
      bool outer = llvm::any_of(loops, [&](auto &other) {
        return other.first != loop && loop->isProperAncestor(other.first);
      });
      if (outer)
        continue;
      // A loop that reads at most `reuse-bytes` in all, whose tiles an
      // enclosing loop reads again, finds them in cache from the second
      // time on (the fused kernel's K/V tiles for each query tile, with
      // up to a few thousand keys); prefetching them again only evicts the
      // tile in use from L1.
      std::optional<APInt> trips = loop.getStaticTripCount();
      if (trips && trips->getActiveBits() < 32) {
        int64_t bytes = 0;
        for (const Stream &s : streams)
          bytes += s.lines * lineBytes;
        if (bytes * trips->getSExtValue() <= reuseBytes)
          llvm::erase_if(streams,
                         [&](const Stream &s) { return reread(loop, s); });
      }
      if (streams.empty())
        continue;
      Sites sites = chooseSites(*loop.getBody(), loop);
      if (sites.loops.empty())
        continue;
      prefetch(loop, streams, sites);
      numStreams += streams.size();
      numSites += sites.loops.size();
    }
  }

  /// Prefetches the tile `distance` iterations ahead of each stream of
  /// `loop`, spread over the iterations of each site.
  void prefetch(scf::ForOp loop, ArrayRef<Stream> streams, const Sites &sites) {
    Location loc = loop.getLoc();
    OpBuilder b(loop.getBody(), loop.getBody()->begin());
    auto cst = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    // The induction variable `distance` iterations ahead, at most the last
    // iteration's, and each stream's offsets there.
    Value iv = loop.getInductionVar();
    Value lb = loop.getLowerBound(), step = loop.getStep();
    Value lastIv = arith::AddIOp::create(
        b, loc, lb,
        arith::MulIOp::create(
            b, loc,
            arith::DivUIOp::create(
                b, loc,
                arith::SubIOp::create(
                    b, loc,
                    arith::SubIOp::create(b, loc, loop.getUpperBound(), lb),
                    cst(1)),
                step),
            step));
    Value aheadIv = arith::MinSIOp::create(
        b, loc,
        arith::AddIOp::create(
            b, loc, iv, arith::MulIOp::create(b, loc, step, cst(distance))),
        lastIv);
    SmallVector<SmallVector<Value>> ahead;
    for (const Stream &s : streams) {
      IRMapping map;
      map.map(iv, aheadIv);
      for (Operation *op : s.offsetOps)
        b.clone(*op, map);
      SmallVector<Value> offsets;
      for (OpFoldResult offset : s.tile.getMixedOffsets())
        offsets.push_back(
            isa<Value>(offset)
                ? map.lookupOrDefault(cast<Value>(offset))
                : getValueOrCreateConstantIndexOp(b, loc, offset));
      ahead.push_back(std::move(offsets));
    }

    for (scf::ForOp site : sites.loops) {
      int64_t trips = *nestTrips(site, loop);
      b.setInsertionPointToStart(site.getBody());
      // The nest's linear iteration number, 0 .. trips - 1.
      SmallVector<scf::ForOp> chain;
      for (Operation *op = site; op != loop; op = op->getParentOp())
        if (auto f = dyn_cast<scf::ForOp>(op))
          chain.push_back(f);
      Value iteration = cst(0);
      for (scf::ForOp f : llvm::reverse(chain)) {
        int64_t count = *boundedTrips(f);
        Value normalized = arith::DivUIOp::create(
            b, loc,
            arith::SubIOp::create(b, loc, f.getInductionVar(),
                                  f.getLowerBound()),
            f.getStep());
        iteration = arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, iteration, cst(count)),
            normalized);
      }
      for (auto [s, offsets] : llvm::zip_equal(streams, ahead)) {
        // k slots per iteration, slot i * k + j taking line
        // (i * k + j) * lines / (trips * k): evenly spaced, every line at
        // least once. Where the tile has fewer lines than the nest has
        // iterations, only the iterations where that line number changes
        // prefetch ((i * lines) mod trips < lines), each line once.
        int64_t k = llvm::divideCeil(s.lines, trips);
        if (k > kMaxPerIteration)
          continue; // a nest too short for the tile: not here
        OpBuilder::InsertionGuard guard(b);
        if (s.lines < trips) {
          Value product =
              arith::MulIOp::create(b, loc, iteration, cst(s.lines));
          Value changes = arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::ult,
              arith::RemUIOp::create(b, loc, product, cst(trips)),
              cst(s.lines));
          auto ifOp = scf::IfOp::create(b, loc, changes);
          b.setInsertionPointToStart(ifOp.thenBlock());
        }
        for (int64_t j = 0; j < k; ++j) {
          Value slot = arith::AddIOp::create(
              b, loc, arith::MulIOp::create(b, loc, iteration, cst(k)), cst(j));
          Value line = arith::DivUIOp::create(
              b, loc, arith::MulIOp::create(b, loc, slot, cst(s.lines)),
              cst(trips * k));
          Value row = arith::DivUIOp::create(b, loc, line, cst(s.rowLines));
          Value col = arith::MulIOp::create(
              b, loc, arith::RemUIOp::create(b, loc, line, cst(s.rowLines)),
              cst(s.lineElems));
          // The row number over the tile's outer dims, innermost first.
          unsigned rank = s.sizes.size();
          SmallVector<Value> within(rank);
          within[rank - 1] = col;
          for (int d = rank - 2; d >= 0; --d) {
            within[d] =
                s.sizes[d] == 1
                    ? cst(0)
                    : arith::RemUIOp::create(b, loc, row, cst(s.sizes[d]));
            if (d > 0 && s.sizes[d] != 1)
              row = arith::DivUIOp::create(b, loc, row, cst(s.sizes[d]));
          }
          SmallVector<Value> indices;
          for (auto [d, offset, in] : llvm::enumerate(offsets, within)) {
            Value index = arith::AddIOp::create(b, loc, offset, in);
            // A bounded tile's rows past the buffer's end: its last row.
            if (s.bounded) {
              Value last = arith::SubIOp::create(
                  b, loc, memref::DimOp::create(b, loc, s.tile.getSource(), d),
                  cst(1));
              index = arith::MinSIOp::create(b, loc, index, last);
            }
            indices.push_back(index);
          }
          memref::PrefetchOp::create(b, loc, s.tile.getSource(), indices,
                                     /*isWrite=*/false, locality,
                                     /*isDataCache=*/true);
        }
      }
    }
  }
};

} // namespace
