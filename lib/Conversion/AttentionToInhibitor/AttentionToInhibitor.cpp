//===- AttentionToInhibitor.cpp - Dot-product attention to inhibitor ------===//

#include "inhibitor/Conversion/Passes.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_CONVERTATTENTIONTOINHIBITOR
#include "inhibitor/Conversion/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

namespace {
struct ConvertAttentionToInhibitorPass
    : inhibitor::impl::ConvertAttentionToInhibitorBase<
          ConvertAttentionToInhibitorPass> {
  using Base::Base;
  void runOnOperation() override {
    getOperation()->emitError(
        "convert-attention-to-inhibitor is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
