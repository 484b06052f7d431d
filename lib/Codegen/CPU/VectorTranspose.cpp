//===- VectorTranspose.cpp - Square transposes by shuffles ----------------===//

#include "VectorTranspose.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

void mlir::inhibitor::transposeSquare(OpBuilder &b, Location loc,
                                      SmallVectorImpl<Value> &rows) {
  int64_t n = rows.size();
  for (int64_t h = n / 2; h >= 1; h /= 2) {
    SmallVector<int64_t> lo, hi;
    for (int64_t x = 0; x < n; ++x) {
      bool low = (x & h) == 0;
      lo.push_back(low ? x : n + x - h);
      hi.push_back(low ? x + h : n + x);
    }
    for (int64_t r = 0; r < n; ++r) {
      if (r & h)
        continue;
      Value a = rows[r], c = rows[r + h];
      rows[r] = vector::ShuffleOp::create(b, loc, a, c, lo);
      rows[r + h] = vector::ShuffleOp::create(b, loc, a, c, hi);
    }
  }
}
