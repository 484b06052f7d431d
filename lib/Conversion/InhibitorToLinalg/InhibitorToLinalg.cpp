//===- InhibitorToLinalg.cpp - Lower inhibitor ops to linalg --------------===//
//
// --convert-inhibitor-to-linalg: every inhibitor op to linalg.generic ops on
// tensors computing in the accumulator type (ScoreToLinalg.cpp,
// SADScoreToLinalg.cpp, InhibitToLinalg.cpp), or the composite fused and
// tiled (FusedAttentionToLinalg.cpp).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "inhibitor/Conversion/Passes.h"
#include "inhibitor/IR/InhibitorDialect.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Analysis/DataFlow/IntegerRangeAnalysis.h"
#include "mlir/Analysis/DataFlow/Utils.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_CONVERTINHIBITORTOLINALG
#include "inhibitor/Conversion/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;

namespace {
struct ConvertInhibitorToLinalgPass
    : inhibitor::impl::ConvertInhibitorToLinalgBase<
          ConvertInhibitorToLinalgPass> {
  using Base::Base;
  void runOnOperation() override {
    ConversionTarget target(getContext());
    target.addIllegalDialect<InhibitorDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (fuseAttention && (queryTile <= 0 || keyTile <= 0)) {
      getOperation()->emitError()
          << "convert-inhibitor-to-linalg: query-tile and key-tile must be "
             "positive";
      return signalPassFailure();
    }
    if (keyCopyLimit < 0) {
      getOperation()->emitError()
          << "convert-inhibitor-to-linalg: key-copy-limit must be >= 0 (0: "
             "no limit)";
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    if (sadDimMultiple < 0) {
      getOperation()->emitError()
          << "convert-inhibitor-to-linalg: sad-dim-multiple must be >= 0";
      return signalPassFailure();
    }
    if (skipChunk < 0 || (skipKeys && !fuseAttention)) {
      getOperation()->emitError()
          << "convert-inhibitor-to-linalg: skip-keys needs fuse-attention, "
             "and skip-chunk must be >= 0";
      return signalPassFailure();
    }
    // A dynamic query count: one query tile where it is small (decode).
    // Not with skip-keys, whose element ranges are of the ops' operands.
    if (fuseAttention && splitDynamicQueries && !skipKeys)
      splitDynamicQueryCounts(getOperation(), queryTile);
    // skip-keys: element ranges of the attention operands (e.g. i8 data
    // sign-extended), so that the bounds can prove more than the types do.
    DenseMap<Value, ConstantIntRanges> ranges;
    if (skipKeys) {
      DataFlowSolver solver;
      dataflow::loadBaselineAnalyses(solver);
      solver.load<dataflow::IntegerRangeAnalysis>();
      if (succeeded(solver.initializeAndRun(getOperation())))
        getOperation()->walk([&](AttentionOp op) {
          for (Value v : op->getOperands()) {
            const auto *lattice =
                solver.lookupState<dataflow::IntegerValueRangeLattice>(v);
            if (lattice && !lattice->getValue().isUninitialized())
              ranges.try_emplace(v, lattice->getValue().getValue());
          }
        });
    }
    populateInhibitorToLinalgPatterns(patterns, transposeKey, sadScore,
                                      sadDimMultiple);
    if (fuseAttention) {
      FusedAttentionOptions fused;
      fused.queryTile = queryTile;
      fused.keyTile = keyTile;
      fused.sadScore = sadScore;
      fused.sadDimMultiple = sadDimMultiple;
      fused.skipKeys = skipKeys;
      fused.skipChunk = skipChunk;
      fused.skipRanges = &ranges;
      fused.narrowTiles = narrowTiles;
      fused.keyCopyLimit = keyCopyLimit;
      populateFusedAttentionToLinalgPatterns(patterns, fused);
    }
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::inhibitor::populateInhibitorToLinalgPatterns(
    RewritePatternSet &patterns, bool transposeKey, bool sadScore,
    int64_t sadDimMultiple) {
  ScoreLowering scoreLowering{transposeKey, sadScore, sadDimMultiple};
  populateGroupedHeadsToLinalgPatterns(patterns);
  populateScoreToLinalgPatterns(patterns, scoreLowering);
  populateInhibitToLinalgPatterns(patterns, scoreLowering);
}
