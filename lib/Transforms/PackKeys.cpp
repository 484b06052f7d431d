//===- PackKeys.cpp - Keys prepared once for tiles of the attention -------===//
//
// --inhibitor-pack-keys: each inhibitor.attention gets `key_tiles`, its K
// packed tile by tile (upstream linalg.pack, inner tile on M), and with i8
// keys `biased_keys` (K xor 0x80, for the byte score), so that the tiles of
// the op made through its TilingInterface slice keys prepared once per call
// instead of each transposing or biasing its slice of K (docs/Tiling.md).
// --inhibitor-lower-packs: linalg.pack as pad + expand_shape + transpose
// (upstream linalg::lowerPack), for the CPU pipeline.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/IR/InhibitorOps.h"
#include "inhibitor/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORPACKKEYS
#define GEN_PASS_DEF_INHIBITORLOWERPACKS
#include "inhibitor/Transforms/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;

namespace {
struct InhibitorPackKeysPass
    : inhibitor::impl::InhibitorPackKeysBase<InhibitorPackKeysPass> {
  using Base::Base;

  void runOnOperation() override {
    if (keyTile <= 0) {
      emitError(getOperation()->getLoc())
          << "inhibitor-pack-keys: key-tile must be > 0";
      return signalPassFailure();
    }
    SmallVector<AttentionOp> ops;
    getOperation()->walk([&](AttentionOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (AttentionOp op : ops) {
      rewriter.setInsertionPoint(op);
      if (!op.getKeyTiles())
        packKeys(rewriter, op);
      if (biasedKeys && !op.getBiasedKeys() && readsBytes(op))
        biasKeys(rewriter, op);
    }
  }

  /// i8 keys under an integer accumulator of 16 bits or more: the domain of
  /// the byte score (whether a lowering uses it is its own choice).
  static bool readsBytes(AttentionOp op) {
    auto acc = dyn_cast<IntegerType>(op.getAccumulatorType());
    return cast<RankedTensorType>(op.getKey().getType())
               .getElementType()
               .isInteger(8) &&
           acc && acc.getWidth() >= 16;
  }

  /// biased_keys = K xor 0x80 (each i8 key as the unsigned byte x + 128).
  void biasKeys(IRRewriter &rewriter, AttentionOp op) {
    Value biased = offsetBytes(rewriter, op.getLoc(), op.getKey());
    rewriter.modifyOpInPlace(op,
                             [&] { op.getBiasedKeysMutable().assign(biased); });
    ++numBiased;
  }

  /// key_tiles = K packed tile by tile (linalg.pack, inner tile on M).
  void packKeys(IRRewriter &rewriter, AttentionOp op) {
    Location loc = op.getLoc();
    Value key = op.getKey();
    auto keyTy = cast<RankedTensorType>(key.getType());
    int64_t r = keyTy.getRank();
    SmallVector<OpFoldResult> tiles = {rewriter.getIndexAttr(keyTile)};
    SmallVector<int64_t> innerDims = {r - 2};
    Value dest = linalg::PackOp::createDestinationTensor(
        rewriter, loc, key, tiles, innerDims, /*outerDimsPerm=*/{});
    Value zero =
        arith::ConstantOp::create(rewriter, loc,
                                  rewriter.getZeroAttr(keyTy.getElementType()))
            .getResult();
    Value packed =
        linalg::PackOp::create(rewriter, loc, key, dest, innerDims, tiles, zero)
            .getResult();
    rewriter.modifyOpInPlace(op,
                             [&] { op.getKeyTilesMutable().assign(packed); });
    ++numPacked;
  }
};

struct InhibitorLowerPacksPass
    : inhibitor::impl::InhibitorLowerPacksBase<InhibitorLowerPacksPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::PackOp> packs;
    getOperation()->walk([&](linalg::PackOp pack) { packs.push_back(pack); });
    IRRewriter rewriter(&getContext());
    for (linalg::PackOp pack : packs) {
      rewriter.setInsertionPoint(pack);
      // A pack lowerPack does not take (dynamic inner tiles) stays as it is
      // for whatever comes next (its own lowering, or its own diagnostic).
      if (succeeded(linalg::lowerPack(rewriter, pack)))
        ++numLowered;
    }
  }
};
} // namespace
