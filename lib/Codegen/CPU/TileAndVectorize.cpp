//===- TileAndVectorize.cpp - Tile linalg ops and vectorize the tiles -----===//

#include "ClampSum.h"
#include "PairScore.h"
#include "VectorTranspose.h"
#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/AffineCanonicalizationUtils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORTILEANDVECTORIZE
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

/// A matmul-like contraction (multiply-add body, one reduction loop,
/// innermost, after two parallel loops) whose operands read the
/// second-to-last loop, the output columns, only as their last, contiguous
/// dim: it vectorizes along the columns as rank-1 updates.
static bool isRankOneUpdateContraction(linalg::LinalgOp op) {
  SmallVector<utils::IteratorType> its = op.getIteratorTypesArray();
  int64_t n = its.size();
  if (n < 3 || op.getNumReductionLoops() != 1 ||
      its[n - 1] != utils::IteratorType::reduction ||
      its[n - 2] != utils::IteratorType::parallel ||
      its[n - 3] != utils::IteratorType::parallel ||
      !linalg::isaContractionOpInterface(op))
    return false;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    for (unsigned r = 0; r < map.getNumResults(); ++r)
      if (map.getResult(r).isFunctionOfDim(n - 2) &&
          (r + 1 != map.getNumResults() ||
           map.getResult(r) != getAffineDimExpr(n - 2, op->getContext())))
        return false;
  }
  return true;
}

/// A linalg.transpose that swaps the last two dims of a static tensor of
/// `n`-lane vectors (n = vectorBits / element bits, a power of two) whose
/// last two dims are multiples of n, as n x n blocks: per block, n
/// contiguous rows read as vectors, transposed by shuffles
/// (transposeSquare: n log2(n) of them), n contiguous rows written. The
/// generic path reads a column of n elements with a stride per vector,
/// which LLVM lowers element by element (4.8 ns per i16 element measured,
/// against about 0.3 ns this way). Returns failure for other transposes.
static FailureOr<Value> blockTranspose(RewriterBase &rewriter,
                                       linalg::TransposeOp op,
                                       int64_t vectorBits) {
  auto inTy = dyn_cast<RankedTensorType>(op.getInput().getType());
  auto outTy = dyn_cast<RankedTensorType>(op.getInit().getType());
  if (!inTy || !outTy || !inTy.hasStaticShape() || inTy.getRank() < 2 ||
      !inTy.getElementType().isIntOrFloat())
    return failure();
  int64_t r = inTy.getRank();
  ArrayRef<int64_t> perm = op.getPermutation();
  for (int64_t d = 0; d < r - 2; ++d)
    if (perm[d] != d)
      return failure();
  if (perm[r - 2] != r - 1 || perm[r - 1] != r - 2)
    return failure();
  int64_t bits = inTy.getElementType().getIntOrFloatBitWidth();
  // 16-bit floats stay at 256 bits, as in computeTileSizes.
  if (isa<BFloat16Type, Float16Type>(inTy.getElementType()))
    vectorBits = std::min<int64_t>(vectorBits, 256);
  if (bits < 8 || vectorBits % bits != 0)
    return failure();
  int64_t n = vectorBits / bits;
  int64_t rows = inTy.getDimSize(r - 2), cols = inTy.getDimSize(r - 1);
  if (n < 2 || !llvm::isPowerOf2_64(n) || rows % n != 0 || cols % n != 0)
    return failure();
  Location loc = op.getLoc();
  auto rowVec = VectorType::get({n}, inTy.getElementType());
  Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value c1 = arith::ConstantIndexOp::create(rewriter, loc, 1);
  Value cn = arith::ConstantIndexOp::create(rewriter, loc, n);
  // Loops (batch..., column blocks, row blocks): for one block of columns,
  // the blocks of rows in order, so that each of the n rows written grows
  // contiguously.
  SmallVector<Value> lbs(r, c0), ubs, steps(r - 2, c1);
  for (int64_t d = 0; d < r - 2; ++d)
    ubs.push_back(
        arith::ConstantIndexOp::create(rewriter, loc, inTy.getDimSize(d)));
  ubs.push_back(arith::ConstantIndexOp::create(rewriter, loc, cols));
  ubs.push_back(arith::ConstantIndexOp::create(rewriter, loc, rows));
  steps.append({cn, cn});
  Value pad = arith::ConstantOp::create(
      rewriter, loc, rewriter.getZeroAttr(inTy.getElementType()));
  scf::LoopNest nest = scf::buildLoopNest(
      rewriter, loc, lbs, ubs, steps, ValueRange{op.getInit()},
      [&](OpBuilder &b, Location l, ValueRange ivs,
          ValueRange iters) -> scf::ValueVector {
        Value col = ivs[r - 2], row = ivs[r - 1];
        SmallVector<Value> block;
        for (int64_t i = 0; i < n; ++i) {
          SmallVector<Value> idx(ivs.take_front(r - 2));
          idx.push_back(arith::AddIOp::create(
              b, l, row, arith::ConstantIndexOp::create(b, l, i)));
          idx.push_back(col);
          block.push_back(vector::TransferReadOp::create(
              b, l, rowVec, op.getInput(), idx, pad, ArrayRef<bool>{true}));
        }
        inhibitor::transposeSquare(b, l, block);
        Value out = iters[0];
        for (int64_t i = 0; i < n; ++i) {
          SmallVector<Value> idx(ivs.take_front(r - 2));
          idx.push_back(arith::AddIOp::create(
              b, l, col, arith::ConstantIndexOp::create(b, l, i)));
          idx.push_back(row);
          out = vector::TransferWriteOp::create(b, l, block[i], out, idx,
                                                ArrayRef<bool>{true})
                    .getResult();
        }
        return {out};
      });
  return nest.results.front();
}

/// Splits the body of the tile loop `forOp` (dynamic bounds, a constant step
/// above 1, a tile size that depends on its iv) into
///
///   scf.if (iv + step <= ub) { the full tile } else { the partial tile }
///
/// The full tile keeps the loop's ops, its tile sizes (`affine.min(step, ub -
/// iv)`) simplified to the step under that condition (upstream's
/// scf::rewritePeeledMinMaxOp, as for a peeled main loop); the partial tile
/// is a clone of the body as it was. No loop bound changes, so unlike
/// peeling (scf::peelForLoopAndSimplifyBounds) nothing later reasons about a
/// split point of dynamic bounds (value-bounds queries of the hoisting and
/// bufferization: compile time, docs/Codegen.md). Returns the scf.if, or
/// failure where the loop does not qualify.
static FailureOr<scf::IfOp> splitFullTiles(RewriterBase &rewriter,
                                           scf::ForOp forOp) {
  std::optional<int64_t> step = getConstantIntValue(forOp.getStep());
  Value iv = forOp.getInductionVar();
  if (!step || *step <= 1 || forOp.getNumResults() == 0)
    return failure();
  bool sizeDependsOnIv = false;
  forOp.getBody()->walk([&](affine::AffineMinOp min) {
    if (llvm::is_contained(min.getOperands(), iv))
      sizeDependsOnIv = true;
  });
  if (!sizeDependsOnIv)
    return failure();
  Block *body = forOp.getBody();
  auto yield = cast<scf::YieldOp>(body->getTerminator());
  SmallVector<Operation *> bodyOps;
  for (Operation &op : body->without_terminator())
    bodyOps.push_back(&op);
  Location loc = forOp.getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointToStart(body);
  Value end = arith::AddIOp::create(rewriter, loc, iv, forOp.getStep());
  Value full = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sle,
                                     end, forOp.getUpperBound());
  auto ifOp = scf::IfOp::create(rewriter, loc, yield.getOperandTypes(), full,
                                /*addThenBlock=*/true, /*addElseBlock=*/true);
  Block *thenBlock = ifOp.thenBlock(), *elseBlock = ifOp.elseBlock();
  // The partial tile: a clone of the body (created first, so that the
  // clone's operands map from the ops still in place).
  IRMapping map;
  rewriter.setInsertionPointToEnd(elseBlock);
  for (Operation *op : bodyOps)
    rewriter.clone(*op, map);
  SmallVector<Value> partialResults;
  for (Value v : yield.getOperands())
    partialResults.push_back(map.lookupOrDefault(v));
  scf::YieldOp::create(rewriter, loc, partialResults);
  // The full tile: the body's own ops, moved (the tiled ops and inner tile
  // loops the caller holds stay valid).
  for (Operation *op : bodyOps)
    rewriter.moveOpBefore(op, thenBlock, thenBlock->end());
  rewriter.setInsertionPointToEnd(thenBlock);
  scf::YieldOp::create(rewriter, loc, yield.getOperands());
  rewriter.modifyOpInPlace(
      yield, [&] { yield.getResultsMutable().assign(ifOp.getResults()); });
  SmallVector<Operation *> minMax;
  thenBlock->walk([&](Operation *op) {
    if (isa<affine::AffineMinOp, affine::AffineMaxOp>(op))
      minMax.push_back(op);
  });
  for (Operation *op : minMax)
    (void)scf::rewritePeeledMinMaxOp(rewriter, op, iv, forOp.getUpperBound(),
                                     forOp.getStep(), /*insideLoop=*/true);
  return ifOp;
}

namespace {
struct TileAndVectorizePass
    : inhibitor::impl::InhibitorTileAndVectorizeBase<TileAndVectorizePass> {
  using Base::Base;

  /// Tile sizes for `op`, clamped to its static loop sizes.
  SmallVector<int64_t> computeTileSizes(linalg::LinalgOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    int64_t n = ranges.size();
    SmallVector<int64_t> tiles(n, 1);
    if (n == 0)
      return tiles;
    SmallVector<int64_t> sizes(tileSizes.begin(), tileSizes.end());
    // The default register tile: 4 rows x 2 native vectors, one step of the
    // middle loop at a time (the score's D, the inhibition's keys): each
    // broadcast row element feeds two vector ops, each vector load four,
    // and a row element is a single broadcast from memory (more steps of
    // the middle loop load a [rows, steps] block into general registers and
    // broadcast each element from there). One vector where the static inner
    // extent is not a multiple of two (a partial tile would be masked).
    bool defaultSizes = sizes.empty();
    if (defaultSizes)
      sizes = {4, 1, 0};
    while (sizes.size() < 3)
      sizes.insert(sizes.begin(), 1);
    Type acc = getElementTypeOrSelf(op.getDpsInitOperand(0)->get().getType());
    // LLVM 22's X86 backend aborts on some 512-bit vectors of bf16 ("Do not
    // know how to soft promote this operator's operand", seen with
    // +avx512bf16): ops that touch 16-bit floats stay at 256 bits.
    int64_t bits = vectorBits;
    if (llvm::any_of(op->getOperandTypes(), [](Type t) {
          return isa<BFloat16Type, Float16Type>(getElementTypeOrSelf(t));
        }))
      bits = std::min<int64_t>(bits, 256);
    int64_t lanes = std::max<int64_t>(
        1, bits / std::max<int64_t>(1, acc.getIntOrFloatBitWidth()));
    if (sizes[2] == 0) {
      sizes[2] = lanes;
      // The loop in vector lanes: the columns of a rank-1-update
      // contraction (below), else the innermost.
      int64_t inner = ranges[isRankOneUpdateContraction(op) ? n - 2 : n - 1];
      if (defaultSizes && !ShapedType::isDynamic(inner) &&
          inner % (2 * lanes) == 0)
        sizes[2] = 2 * lanes;
    }
    bool allParallel = op.getNumReductionLoops() == 0;
    for (int64_t k = 0; k < std::min<int64_t>(3, n); ++k) {
      int64_t loop = n - 1 - k;
      // All-parallel ops only get the inner (vector) tile.
      tiles[loop] = (allParallel && k > 0) ? 1 : sizes[2 - k];
    }
    SmallVector<utils::IteratorType> its = op.getIteratorTypesArray();
    bool innermostReduction = n >= 2 &&
                              its[n - 1] == utils::IteratorType::reduction &&
                              its[n - 2] == utils::IteratorType::parallel;
    if (defaultSizes && innermostReduction && !isRankOneUpdateContraction(op)) {
      // A reduction innermost (a row sum, the decode score over D): 4 rows
      // of the middle loop at a time, each up to 4 vectors long, so that
      // the horizontal sums of a step work on 4 rows together (measured on
      // the decode score, i16 data, i32 sums: 1.4x faster than 1 x 2
      // vectors).
      tiles[n - 2] = 4;
      int64_t inner = ranges[n - 1];
      for (int64_t v : {4, 2})
        if (!ShapedType::isDynamic(inner) && inner % (v * lanes) == 0) {
          tiles[n - 1] = v * lanes;
          break;
        }
    }
    if (isRankOneUpdateContraction(op)) {
      // (rows, one vector of columns, 1): each step of the reduction loop
      // is a rank-1 update of a register tile (broadcast A, load a row of
      // B, multiply-add), with no horizontal reductions.
      tiles[n - 3] = sizes[0];
      tiles[n - 2] = sizes[2];
      tiles[n - 1] = 1;
    }
    for (int64_t i = 0; i < n; ++i)
      if (!ShapedType::isDynamic(ranges[i]))
        tiles[i] = std::max<int64_t>(1, std::min(tiles[i], ranges[i]));
    return tiles;
  }

  /// Peels the tile loops of `tiling` whose trip count does not divide by
  /// their step (upstream's scf::peelForLoopAndSimplifyBounds), outermost
  /// first, so that the main loops run full tiles only: those of constant
  /// bounds (a ragged static dim) always, those of a dynamic dim with
  /// `PeelMode::All`; with `PeelMode::Split` the latter are split into a
  /// full and a partial tile under an scf.if instead (splitFullTiles; the
  /// full tile keeps the original inner tile loops, which are then handled
  /// like the others). The copies of inner loops in
  /// a partial loop or a partial tile are peeled where their bounds are
  /// constants. A partial loop of constant bounds (one iteration) is
  /// inlined. The now constant tile sizes are then folded into the slices'
  /// and the tiles' types. Returns the tiled ops of all copies: the full
  /// tile (static where the op's other dims are) and each partial one
  /// (static where its bounds are).
  SmallVector<Operation *> peelTileLoops(RewriterBase &rewriter,
                                         scf::SCFTilingResult &tiling,
                                         inhibitor::PeelMode mode) {
    using inhibitor::PeelMode;
    // Peeling a loop of dynamic bounds multiplies the value-bounds queries
    // of the later hoisting and bufferization (compile time,
    // docs/Codegen.md); constant bounds fold away.
    auto hasConstantBounds = [](scf::ForOp forOp) {
      return getConstantIntValue(forOp.getLowerBound()) &&
             getConstantIntValue(forOp.getUpperBound()) &&
             getConstantIntValue(forOp.getStep());
    };
    SmallVector<scf::ForOp> partials;
    bool split = false;
    // Each loop with what may be done to it if its bounds are dynamic.
    SmallVector<std::pair<scf::ForOp, PeelMode>> worklist;
    // Split only the tiles of one dynamic dim (the fused kernel's register
    // tiles of a dynamic query count): nested splits multiply the
    // value-bounds queries of the hoisting and bufferization (an all-dynamic
    // decode kernel took 12.7 s to lower with every dynamic loop split, 5.7 s
    // this way, 2.7 s with none; docs/Codegen.md). Tiles of several dynamic
    // dims stay masked. (Splitting only the reductions, where a masked tile
    // costs in every step of the reduction loop, saved 13% of the compile
    // time but lost most of the gain on a dynamic prefill of 100 queries:
    // 1.02x over `static` instead of 1.16x.)
    if (mode == PeelMode::Split &&
        llvm::count_if(tiling.loops, [&](LoopLikeOpInterface loop) {
          auto forOp = dyn_cast<scf::ForOp>(loop.getOperation());
          return forOp && !hasConstantBounds(forOp);
        }) > 1)
      mode = PeelMode::Static;
    for (LoopLikeOpInterface loop : tiling.loops)
      if (auto forOp = dyn_cast<scf::ForOp>(loop.getOperation()))
        worklist.push_back({forOp, mode});
    for (size_t i = 0; i < worklist.size(); ++i) {
      auto [forOp, loopMode] = worklist[i];
      bool constant = hasConstantBounds(forOp);
      if (!constant && loopMode == PeelMode::Split) {
        FailureOr<scf::IfOp> ifOp = splitFullTiles(rewriter, forOp);
        if (failed(ifOp))
          continue;
        split = true;
        ++numSplit;
        // The partial tile's copies of the inner tile loops (the full
        // tile's are the originals, on the worklist already).
        ifOp->elseBlock()->walk([&](scf::ForOp inner) {
          worklist.push_back({inner, PeelMode::Static});
        });
        continue;
      }
      scf::ForOp partial;
      if ((!constant && loopMode != PeelMode::All) ||
          failed(scf::peelForLoopAndSimplifyBounds(rewriter, forOp, partial)))
        continue;
      partials.push_back(partial);
      // The partial loop's copies of the inner tile loops.
      partial.getBody()->walk([&](scf::ForOp inner) {
        worklist.push_back({inner, PeelMode::Static});
      });
    }
    if (partials.empty() && !split)
      return {tiling.tiledOps.back()};
    if (!partials.empty())
      ++numPeeled;
    // The ops to fold and the tiles among them: everything in the loop nest
    // and in the partial loops (nested or after it), but the loops.
    llvm::SetVector<Operation *> ops, tiles;
    SmallVector<Operation *> roots = {tiling.loops.front()};
    llvm::append_range(roots, partials);
    // Not the loops' scf.yields, which promoting a partial loop erases (they
    // would dangle in the greedy driver's worklist). Skipped by op class as
    // well as by trait: run from Python (libInhibitorCAPI.so),
    // hasTrait<IsTerminator> was false for them (narrow-accumulators.test).
    for (Operation *root : roots)
      root->walk([&](Operation *op) {
        if (isa<LoopLikeOpInterface, scf::YieldOp>(op) ||
            op->hasTrait<OpTrait::IsTerminator>())
          return;
        ops.insert(op);
        if (isa<linalg::LinalgOp>(op))
          tiles.insert(op);
      });
    for (scf::ForOp partial : partials)
      if (getConstantIntValue(partial.getLowerBound()) &&
          getConstantIntValue(partial.getUpperBound()))
        (void)partial.promoteIfSingleIteration(rewriter);
    // Fold the constant tile sizes (upstream canonicalization patterns of
    // these ops and the tensor and linalg dialects'): the extract_slices
    // get static types, and the tensor.cast folding into destination-style
    // ops clones each tile with them. The listener follows a tile to its
    // clone.
    struct FollowTiles : RewriterBase::Listener {
      llvm::SetVector<Operation *> &tiles;
      explicit FollowTiles(llvm::SetVector<Operation *> &tiles)
          : tiles(tiles) {}
      void notifyOperationReplaced(Operation *op,
                                   ValueRange replacement) override {
        if (!tiles.remove(op))
          return;
        for (Value v : replacement) {
          Operation *def = v.getDefiningOp();
          while (auto cast = dyn_cast_or_null<tensor::CastOp>(def))
            def = cast.getSource().getDefiningOp();
          if (isa_and_nonnull<linalg::LinalgOp>(def))
            tiles.insert(def);
        }
      }
      void notifyOperationErased(Operation *op) override { tiles.remove(op); }
    } follow(tiles);
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
    affine::AffineMinOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExtractSliceOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::InsertSliceOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::CastOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::DimOp::getCanonicalizationPatterns(patterns, ctx);
    ctx->getLoadedDialect<tensor::TensorDialect>()->getCanonicalizationPatterns(
        patterns);
    ctx->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(
        patterns);
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    config.setListener(&follow);
    (void)applyOpPatternsGreedily(ops.getArrayRef(), std::move(patterns),
                                  config);
    return SmallVector<Operation *>(tiles.begin(), tiles.end());
  }

  /// Vectorizes one tile `tiledOp` of tile sizes `tiles` (masked where its
  /// shape is dynamic).
  void vectorizeTile(RewriterBase &rewriter, linalg::LinalgOp tiledOp,
                     ArrayRef<int64_t> tiles) {
    Operation *tiled = tiledOp;
    SmallVector<int64_t> vectorTiles(tiles);
    if (isRankOneUpdateContraction(tiledOp)) {
      // The tile's unit reduction dim (and unit batch dims) dropped: the
      // vectorizer then emits a broadcast multiply-add on [rows, columns]
      // vectors rather than a reduction over a trailing unit dim, which
      // LLVM lowering would unroll element by element.
      SmallVector<int64_t> ranges = tiledOp.getStaticLoopRanges();
      rewriter.setInsertionPoint(tiled);
      FailureOr<linalg::GenericOp> generic =
          linalg::generalizeNamedOp(rewriter, tiledOp);
      linalg::ControlDropUnitDims control;
      control.rankReductionStrategy = linalg::ControlDropUnitDims::
          RankReductionStrategy::ExtractInsertSlice;
      FailureOr<linalg::DropUnitDimsResult> dropped = failure();
      if (succeeded(generic))
        dropped = linalg::dropUnitDims(rewriter, *generic, control);
      if (succeeded(dropped)) {
        rewriter.replaceOp(*generic, dropped->replacements);
        tiled = dropped->resultOp;
        // A float multiply-add may become one fused multiply-add, as
        // upstream's contraction lowering (vector.outerproduct) does.
        tiled->walk([](Operation *op) {
          if (auto fm = dyn_cast<arith::ArithFastMathInterface>(op))
            if (isa<arith::MulFOp, arith::AddFOp>(op))
              op->setAttr(
                  fm.getFastMathAttrName(),
                  arith::FastMathFlagsAttr::get(
                      op->getContext(), fm.getFastMathFlagsAttr().getValue() |
                                            arith::FastMathFlags::contract));
        });
        tiledOp = cast<linalg::LinalgOp>(tiled);
        vectorTiles.clear();
        for (auto [range, tile] : llvm::zip(ranges, tiles))
          if (range != 1)
            vectorTiles.push_back(tile);
      } else if (succeeded(generic)) {
        tiled = *generic;
        tiledOp = *generic;
      }
    }
    // Partial tiles and dynamic dims vectorize with masks of the tile size.
    SmallVector<int64_t> vectorSizes;
    if (tiledOp.hasDynamicShape())
      vectorSizes = vectorTiles;
    if (failed(linalg::vectorizeOpPrecondition(tiled, vectorSizes))) {
      tiled->emitRemark("left scalar: the linalg vectorizer rejects it");
      ++numScalar;
      return;
    }
    rewriter.setInsertionPoint(tiled);
    SmallVector<bool> scalable(vectorSizes.size(), false);
    FailureOr<linalg::VectorizationResult> vectorized =
        linalg::vectorize(rewriter, tiled, vectorSizes, scalable);
    if (failed(vectorized)) {
      tiled->emitRemark("left scalar: vectorization failed");
      ++numScalar;
      return;
    }
    if (tiled->getNumResults())
      rewriter.replaceOp(tiled, vectorized->replacements);
    else
      rewriter.eraseOp(tiled);
    ++numVectorized;
  }

  void runOnOperation() override {
    if (tileSizes.size() > 3 || vectorBits <= 0 ||
        llvm::any_of(llvm::enumerate(tileSizes), [&](auto it) {
          bool isInner = it.index() + 1 == tileSizes.size();
          return it.value() < 0 || (!isInner && it.value() == 0);
        })) {
      getOperation()->emitError()
          << "inhibitor-tile-and-vectorize: expected at most 3 tile sizes "
             "(rows, middle, inner), each positive (inner may be 0 = one "
             "native vector), and vector-bits > 0";
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> ops;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() &&
          !op->getParentOfType<linalg::LinalgOp>())
        ops.push_back(op);
    });
    llvm::SmallPtrSet<Operation *, 8> earlier;
    getOperation()->walk(
        [&](vector::MultiDimReductionOp red) { earlier.insert(red); });
    IRRewriter rewriter(&getContext());
    // The i16 score in pairs of D (PairScore.h) first: it reads at 16 bits
    // the query that the plain tiles widened once, so it must see that
    // widening before it is vectorized; the widening, then dead, goes.
    bool pairScores = false;
    for (linalg::LinalgOp &op : ops) {
      auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      if (!generic)
        continue;
      FailureOr<Value> scores =
          inhibitor::vectorizePairScore16(rewriter, generic, vectorBits);
      if (failed(scores))
        continue;
      rewriter.replaceOp(generic, *scores);
      op = nullptr;
      pairScores = true;
      ++numVectorized;
    }
    if (pairScores) {
      SmallVector<tensor::ExtractSliceOp> slices;
      getOperation()->walk([&](tensor::ExtractSliceOp slice) {
        if (slice->use_empty())
          slices.push_back(slice);
      });
      for (tensor::ExtractSliceOp slice : slices)
        rewriter.eraseOp(slice);
      for (linalg::LinalgOp &op : ops)
        if (op && isOpTriviallyDead(op)) {
          rewriter.eraseOp(op);
          op = nullptr;
        }
      llvm::erase(ops, nullptr);
    }
    for (linalg::LinalgOp op : ops) {
      if (auto transpose = dyn_cast<linalg::TransposeOp>(op.getOperation())) {
        rewriter.setInsertionPoint(transpose);
        FailureOr<Value> blocked =
            blockTranspose(rewriter, transpose, vectorBits);
        if (succeeded(blocked)) {
          rewriter.replaceOp(transpose, *blocked);
          ++numVectorized;
          continue;
        }
      }
      // The 16-bit clamp sum (ClampSum.h): its own loop nest.
      if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation())) {
        FailureOr<Value> sums =
            inhibitor::vectorizeClampSum16(rewriter, generic, vectorBits);
        if (succeeded(sums)) {
          rewriter.replaceOp(generic, *sums);
          ++numVectorized;
          continue;
        }
      }
      // LLVM stores vectors of i1 bit-packed, memrefs of i1 a byte per
      // element: a vector load or store of i1 memory would be wrong.
      if (llvm::any_of(op->getOperandTypes(), [](Type t) {
            return getElementTypeOrSelf(t).isInteger(1);
          })) {
        ++numScalar;
        continue;
      }
      SmallVector<int64_t> tiles = computeTileSizes(op);
      rewriter.setInsertionPoint(op);
      scf::SCFTilingOptions options;
      options.setTileSizes(getAsIndexOpFoldResult(&getContext(), tiles));
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
      // A reduction in the middle (score over D, inhibition over keys) runs
      // innermost, so the accumulator tile stays in registers across it
      // (the transfers are hoisted below).
      SmallVector<utils::IteratorType> its = op.getIteratorTypesArray();
      int64_t n = its.size();
      if (n >= 3 && its[n - 2] == utils::IteratorType::reduction &&
          its[n - 1] == utils::IteratorType::parallel) {
        SmallVector<int64_t> interchange =
            llvm::to_vector(llvm::seq<int64_t>(0, n));
        std::swap(interchange[n - 2], interchange[n - 1]);
        options.setInterchange(interchange);
      }
      FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
      if (failed(result)) {
        vectorizeTile(rewriter, op, tiles);
        continue;
      }
      rewriter.replaceOp(op, result->replacements);
      SmallVector<Operation *> tiledOps =
          peel == inhibitor::PeelMode::Off
              ? SmallVector<Operation *>{result->tiledOps.back()}
              : peelTileLoops(rewriter, *result, peel);
      for (Operation *tiled : tiledOps)
        vectorizeTile(rewriter, cast<linalg::LinalgOp>(tiled), tiles);
    }
    // The horizontal sums of a tile's rows as one tree (TreeReduction.cpp),
    // on the reductions vectorized here only: the earlier byte passes'
    // reductions are matched by the x86 passes after this.
    SmallVector<Operation *> reductions;
    getOperation()->walk([&](vector::MultiDimReductionOp red) {
      if (!earlier.contains(red))
        reductions.push_back(red);
    });
    RewritePatternSet patterns(&getContext());
    inhibitor::populateTreeReductionPatterns(patterns, vectorBits);
    if (failed(applyOpPatternsGreedily(reductions, std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
