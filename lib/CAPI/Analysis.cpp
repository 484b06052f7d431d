//===- Analysis.cpp - C API of the inhibitor integer bounds ---------------===//

#include "inhibitor-c/Analysis.h"

#include "inhibitor/Analysis/IntegerBounds.h"

using namespace mlir::inhibitor;

unsigned inhibitorAttentionAccumulatorBits(const InhibitorAttentionShape *s) {
  auto validWidth = [](unsigned bits) { return bits >= 1 && bits <= 64; };
  if (!s || !validWidth(s->queryKeyBits) || !validWidth(s->valueBits) ||
      (s->biasBits && !validWidth(s->biasBits)) || s->queries < 0 ||
      s->keys < 0 || s->headDim < 0 || s->gamma <= 0 || s->alpha < 0)
    return 0;
  bounds::ScoreInputs score{bounds::Interval::ofSignedWidth(s->queryKeyBits),
                            bounds::Interval::ofSignedWidth(s->queryKeyBits)};
  if (s->biasBits)
    score.bias = bounds::Interval::ofSignedWidth(s->biasBits);
  score.reduction = s->headDim;
  score.gamma = llvm::APInt(64, s->gamma, /*isSigned=*/true);
  score.alpha = llvm::APInt(64, s->alpha, /*isSigned=*/true);
  bounds::KeyCount keys =
      bounds::attendedKeys(s->queries, s->keys, s->causal, s->masked);
  unsigned widest = std::max({s->queryKeyBits, s->valueBits, s->biasBits});
  for (unsigned width : {8u, 16u, 32u, 64u}) {
    if (width < widest)
      continue;
    // The constants are values of the accumulator type.
    if (!llvm::APInt(64, s->gamma).isSignedIntN(width) ||
        !llvm::APInt(64, s->alpha).isSignedIntN(width))
      continue;
    bounds::OpBounds b = bounds::boundAttention(
        score, bounds::Interval::ofSignedWidth(s->valueBits), keys, s->isSigned,
        width);
    if (b.fitsSignedWidth(width))
      return width;
  }
  return 0;
}
