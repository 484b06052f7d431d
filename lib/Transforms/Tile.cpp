//===- Tile.cpp - Tile the inhibitor ops through TilingInterface ----------===//
//
// --inhibitor-tile: upstream scf::tileUsingSCF on every inhibitor op, with
// tile sizes given by role (batch, query, value, key) rather than by
// position, so that one invocation fits ops of every rank. The tiling
// itself is the ops' TilingInterface (lib/IR/TilingInterfaceImpl.cpp).
//
//===----------------------------------------------------------------------===//

#include "inhibitor/IR/InhibitorOps.h"
#include "inhibitor/Transforms/Passes.h"

#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORTILE
#include "inhibitor/Transforms/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;

namespace {
struct InhibitorTilePass
    : inhibitor::impl::InhibitorTileBase<InhibitorTilePass> {
  using Base::Base;

  void runOnOperation() override {
    if (loop != "for" && loop != "forall") {
      emitError(getOperation()->getLoc())
          << "inhibitor-tile: loop must be 'for' or 'forall', not '" << loop
          << "'";
      return signalPassFailure();
    }
    if (keySplits < 0 ||
        (keySplits > 0 && (batchTile || queryTile || valueTile || keyTile))) {
      emitError(getOperation()->getLoc())
          << "inhibitor-tile: key-splits must be >= 0 and excludes the "
             "other tile sizes";
      return signalPassFailure();
    }
    for (int64_t t : {int64_t(batchTile), int64_t(queryTile),
                      int64_t(valueTile), int64_t(keyTile)}) {
      if (t < 0) {
        emitError(getOperation()->getLoc())
            << "inhibitor-tile: tile sizes must be >= 0 (0: whole dim)";
        return signalPassFailure();
      }
    }
    SmallVector<TilingInterface> ops;
    getOperation()->walk([&](Operation *op) {
      if (isa<ManhattanScoreOp, InhibitOp, AttentionOp>(op))
        ops.push_back(cast<TilingInterface>(op));
    });
    IRRewriter rewriter(&getContext());
    for (TilingInterface op : ops) {
      if (failed(tile(rewriter, op)))
        return signalPassFailure();
    }
  }

  /// The keys of inhibit/attention split into `keySplits` parallel parts
  /// (upstream's outer-parallel partial reduction).
  LogicalResult splitKeys(RewriterBase &rewriter, TilingInterface op) {
    if (isa<ManhattanScoreOp>(op))
      return success();                               // no reduction to split
    int64_t r = op.getLoopIteratorTypes().size() - 1; // the key dim
    SmallVector<OpFoldResult> threads(r, rewriter.getIndexAttr(0));
    threads.push_back(rewriter.getIndexAttr(keySplits));
    scf::SCFTilingOptions options;
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp)
        .setReductionTilingStrategy(
            ReductionTilingStrategy::PartialReductionOuterParallel)
        .setReductionDims({static_cast<unsigned>(r)})
        .setNumThreads(threads);
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled =
        scf::tileUsingSCF(rewriter, op, options);
    if (failed(tiled))
      return op->emitOpError("inhibitor-tile: splitting the keys failed");
    rewriter.replaceOp(op, tiled->replacements);
    ++numTiled;
    return success();
  }

  LogicalResult tile(RewriterBase &rewriter, TilingInterface op) {
    if (keySplits > 1)
      return splitKeys(rewriter, op);
    // [b..., N, M] for the score, [b..., N, E, M] for the others.
    SmallVector<utils::IteratorType> iterators = op.getLoopIteratorTypes();
    bool isScore = isa<ManhattanScoreOp>(op);
    int64_t nb = iterators.size() - (isScore ? 2 : 3);
    SmallVector<int64_t> sizes(nb, int64_t(batchTile));
    sizes.push_back(queryTile);
    if (!isScore)
      sizes.push_back(valueTile);
    sizes.push_back(keyTile);
    if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
      return success();
    // A grouped K/V head dim (g query heads per K/V head) tiles by 1 or
    // not at all (docs/Tiling.md); say so before upstream's generic error.
    if (batchTile > 1) {
      SmallVector<int64_t> g =
          TypeSwitch<Operation *, SmallVector<int64_t>>(op)
              .Case<ManhattanScoreOp, InhibitOp, AttentionOp>(
                  [](auto o) { return o.getHeadGroups(); })
              .Default([](Operation *) { return SmallVector<int64_t>(); });
      auto resultTy = cast<RankedTensorType>(op->getResult(0).getType());
      for (auto [d, factor] : llvm::enumerate(g)) {
        int64_t heads = resultTy.getDimSize(d);
        if (factor > 1 && factor != heads && batchTile < heads)
          return op->emitOpError("inhibitor-tile: batch dim ")
                 << d << " is grouped (" << factor
                 << " query heads per key/value head): batch-tile must be 1 "
                    "or at least "
                 << heads;
      }
    }
    scf::SCFTilingOptions options;
    if (loop == "forall") {
      if (!isScore && keyTile != 0)
        return op->emitOpError(
            "inhibitor-tile: the keys are a reduction here; loop=forall "
            "tiles only parallel dims (use loop=for, or key-tile=0)");
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    }
    options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled =
        scf::tileUsingSCF(rewriter, op, options);
    if (failed(tiled))
      return op->emitOpError("inhibitor-tile: tiling failed");
    rewriter.replaceOp(op, tiled->replacements);
    ++numTiled;
    return success();
  }
};
} // namespace
