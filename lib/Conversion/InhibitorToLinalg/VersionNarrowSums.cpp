//===- VersionNarrowSums.cpp - The narrow check once, before tiling -------===//
//
// --inhibitor-version-narrow-sums: the fused lowering's run-time check that
// 16-bit partial sums are exact (NarrowPartialSums.cpp), made once per
// inhibitor.attention on all of its data, with the op versioned under it:
// the `then` op carries `narrow_sums`, which its tiles keep, so that an op
// tiled through its TilingInterface does not check every tile.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "inhibitor/Conversion/Passes.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORVERSIONNARROWSUMS
#include "inhibitor/Conversion/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;

namespace {
struct InhibitorVersionNarrowSumsPass
    : inhibitor::impl::InhibitorVersionNarrowSumsBase<
          InhibitorVersionNarrowSumsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (keyTile <= 0) {
      emitError(getOperation()->getLoc())
          << "inhibitor-version-narrow-sums: key-tile must be > 0";
      return signalPassFailure();
    }
    SmallVector<std::pair<AttentionOp, NarrowPartialSums>> ops;
    getOperation()->walk([&](AttentionOp op) {
      if (op.getNarrowSums())
        return;
      int64_t nb = op.getResult().getType().getRank() - 2;
      int64_t queries = op.getStaticScoreShape()[nb];
      if (ShapedType::isDynamic(queries) || queries < minQueries)
        return;
      std::optional<NarrowPartialSums> plan =
          planNarrowPartialSums(op, keyTile);
      if (plan && !plan->proven)
        ops.push_back({op, *plan});
    });
    IRRewriter rewriter(&getContext());
    for (auto &[versioned, plan] : ops) {
      // Not captured by the lambdas below (a structured binding).
      AttentionOp op = versioned;
      Location loc = op.getLoc();
      rewriter.setInsertionPoint(op);
      Value fits = checkNarrowPartialSums(rewriter, loc, op, plan, keyTile);
      auto ifOp = scf::IfOp::create(
          rewriter, loc, fits,
          [&](OpBuilder &b, Location l) {
            auto narrow = cast<AttentionOp>(b.clone(*op));
            narrow.setNarrowSumsAttr(b.getI64IntegerAttr(keyTile));
            scf::YieldOp::create(b, l, narrow.getResult());
          },
          [&](OpBuilder &b, Location l) {
            scf::YieldOp::create(b, l, b.clone(*op)->getResults());
          });
      rewriter.replaceOp(op, ifOp.getResults());
      ++numVersioned;
    }
  }
};
} // namespace
