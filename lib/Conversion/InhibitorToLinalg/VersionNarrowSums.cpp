//===- VersionNarrowSums.cpp - The narrow check once, before tiling -------===//
//
// --inhibitor-version-narrow-sums: the fused lowering's run-time check that
// 16-bit partial sums are exact (NarrowPartialSums.cpp), made once per
// inhibitor.attention on all of its data, with the op versioned under it:
// the `then` op carries `narrow_sums`, which its tiles keep, so that an op
// tiled through its TilingInterface does not check every tile. Likewise
// the check that no q - k of i16 data wraps, for an i16 accumulator
// (`exact_differences`, the score through min(q, k)).
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
    SmallVector<AttentionOp> differenceOps;
    getOperation()->walk([&](AttentionOp op) {
      if (op.getNarrowSums())
        return;
      int64_t nb = op.getResult().getType().getRank() - 2;
      int64_t queries = op.getStaticScoreShape()[nb];
      if (ShapedType::isDynamic(queries) || queries < minQueries)
        return;
      std::optional<NarrowPartialSums> plan =
          planNarrowPartialSums(op, keyTile);
      if (plan && !plan->proven) {
        ops.push_back({op, *plan});
        return;
      }
      // i16 data under an i16 accumulator: the score through min(q, k)
      // where no q - k wraps (FusedAttentionToLinalg.cpp).
      auto data =
          dyn_cast<IntegerType>(getElementTypeOrSelf(op.getQuery().getType()));
      auto acc = dyn_cast<IntegerType>(op.getAccumulatorType());
      if (!op.getExactDifferences() && data && acc && data.getWidth() == 16 &&
          acc.getWidth() == 16)
        differenceOps.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    // The op under `fits`, the copy in the `then` branch marked by `mark`.
    auto version = [&](AttentionOp op, Value fits,
                       function_ref<void(OpBuilder &, AttentionOp)> mark) {
      auto ifOp = scf::IfOp::create(
          rewriter, op.getLoc(), fits,
          [&](OpBuilder &b, Location l) {
            auto marked = cast<AttentionOp>(b.clone(*op));
            mark(b, marked);
            scf::YieldOp::create(b, l, marked.getResult());
          },
          [&](OpBuilder &b, Location l) {
            scf::YieldOp::create(b, l, b.clone(*op)->getResults());
          });
      rewriter.replaceOp(op, ifOp.getResults());
      ++numVersioned;
    };
    for (auto &[op, plan] : ops) {
      rewriter.setInsertionPoint(op);
      Value fits =
          checkNarrowPartialSums(rewriter, op.getLoc(), op, plan, keyTile);
      version(op, fits, [&](OpBuilder &b, AttentionOp narrow) {
        narrow.setNarrowSumsAttr(b.getI64IntegerAttr(keyTile));
      });
    }
    for (AttentionOp op : differenceOps) {
      rewriter.setInsertionPoint(op);
      Value fits = checkExactDifferences(rewriter, op.getLoc(), op);
      version(op, fits, [&](OpBuilder &, AttentionOp exact) {
        exact.setExactDifferences(true);
      });
    }
  }
};
} // namespace
