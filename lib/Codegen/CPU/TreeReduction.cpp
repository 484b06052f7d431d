//===- TreeReduction.cpp - Row reductions of several rows as one tree -----===//
//
// The horizontal sums of several rows at once (the decode score of up to 4
// queries: the sum over D of |q - k| for 4 keys per query per step).
// Upstream's lowering of `vector.multi_reduction` over the innermost dim
// either reduces each row on its own (log2(lanes) shuffle-and-add steps per
// row) or transposes the [rows, D] block and adds it column by column (one
// narrow vector per element of D, measured at 72% of the one-query decode
// kernel's time). Here
// each row is first added down to one native vector; pairs of those vectors
// are then merged, each merge one add of two shuffles that take the low and
// high halves of every lane group of both, so that after the merges one
// vector holds a lane group per row, and a few in-vector halving steps give
// the row sums in order (rows enter bit-reversed; only a padded group needs
// one more shuffle): about 3 vector ops per row where the rows fill a
// vector, instead of 2 log2(lanes).
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

namespace {

/// A vector whose lanes fall into groups of equal size, each holding
/// partial sums of one row (`rows[i]` for group i; -1 for padding).
struct Grouped {
  Value value;
  SmallVector<int64_t> rows;
};

struct TreeReduceInnermost
    : public OpRewritePattern<vector::MultiDimReductionOp> {
  TreeReduceInnermost(MLIRContext *ctx, int64_t vectorBits)
      : OpRewritePattern(ctx), vectorBits(vectorBits) {}

  LogicalResult matchAndRewrite(vector::MultiDimReductionOp op,
                                PatternRewriter &rewriter) const override {
    // A masked reduction is lowered with its mask (lower-vector-mask).
    if (isa_and_nonnull<vector::MaskingOpInterface>(op->getParentOp()))
      return rewriter.notifyMatchFailure(op, "masked");
    VectorType srcTy = op.getSourceVectorType();
    int64_t rank = srcTy.getRank();
    // Integer kinds only: every one is associative and commutative, so the
    // tree's order gives the same bits. Float sums would change.
    auto elt = dyn_cast<IntegerType>(srcTy.getElementType());
    if (!elt || srcTy.isScalable() || rank < 2 ||
        op.getReductionDims() != ArrayRef<int64_t>{rank - 1} ||
        !isa<VectorType>(op.getDestType()))
      return rewriter.notifyMatchFailure(op, "not an innermost reduction");
    int64_t width = srcTy.getShape().back();
    int64_t rows = srcTy.getNumElements() / width;
    int64_t lanes = std::max<int64_t>(1, vectorBits / elt.getWidth());
    // Rows shorter than a native vector are left alone: upstream lowers
    // them well, and the x86 passes match some of them (pair sums of
    // bytes, psadbw's groups of 8) after this.
    if (rows < 2 || lanes < 2 || !llvm::isPowerOf2_64(lanes) ||
        width % lanes != 0)
      return rewriter.notifyMatchFailure(op, "rows or width do not fit");

    Location loc = op.getLoc();
    vector::CombiningKind kind = op.getKind();
    auto combine = [&](Value a, Value b) {
      return vector::makeArithReduction(rewriter, loc, kind, a, b);
    };
    Value flat = vector::ShapeCastOp::create(
        rewriter, loc, VectorType::get({rows, width}, elt), op.getSource());
    // Each row added down to one native vector.
    SmallVector<Value> partial;
    for (int64_t r = 0; r < rows; ++r) {
      Value row = vector::ExtractOp::create(rewriter, loc, flat, r);
      Value sum;
      for (int64_t c = 0; c < width; c += lanes) {
        Value chunk = width == lanes
                          ? row
                          : vector::ExtractStridedSliceOp::create(
                                rewriter, loc, row, ArrayRef<int64_t>{c},
                                ArrayRef<int64_t>{lanes}, ArrayRef<int64_t>{1})
                                .getResult();
        sum = sum ? combine(sum, chunk) : chunk;
      }
      partial.push_back(sum);
    }

    // Groups of up to `lanes` rows, padded to a power of two (the padding
    // repeats a row; its lanes are dropped).
    int64_t group = std::min<int64_t>(llvm::PowerOf2Ceil(rows), lanes);
    SmallVector<Value> sums;
    for (int64_t first = 0; first < rows; first += group) {
      // A merge puts group i of its two inputs at 2i and 2i+1: inputs in
      // bit-reversed order come out with the rows in order.
      SmallVector<Grouped> level;
      for (int64_t i = 0; i < group; ++i) {
        int64_t reversed = 0;
        for (int64_t bit = 1, to = group / 2; bit < group; bit *= 2, to /= 2)
          if (i & bit)
            reversed |= to;
        int64_t r = first + reversed;
        level.push_back(r < rows ? Grouped{partial[r], {r - first}}
                                 : Grouped{partial[first], {-1}});
      }
      int64_t size = lanes; // lanes per group
      while (level.size() > 1) {
        SmallVector<Grouped> next;
        for (size_t p = 0; p + 1 < level.size(); p += 2) {
          const Grouped &a = level[p], &b = level[p + 1];
          // Group i of a and of b become groups 2i and 2i+1, each the sum
          // of the low and the high half of the group it came from.
          SmallVector<int64_t> low, high, merged;
          for (size_t g = 0; g < a.rows.size(); ++g)
            for (int64_t side = 0; side < 2; ++side) {
              int64_t base = side * lanes + g * size;
              for (int64_t t = 0; t < size / 2; ++t) {
                low.push_back(base + t);
                high.push_back(base + size / 2 + t);
              }
              merged.push_back(side ? b.rows[g] : a.rows[g]);
            }
          Value lo =
              vector::ShuffleOp::create(rewriter, loc, a.value, b.value, low);
          Value hi =
              vector::ShuffleOp::create(rewriter, loc, a.value, b.value, high);
          next.push_back(Grouped{combine(lo, hi), merged});
        }
        level = std::move(next);
        size /= 2;
      }
      Grouped &v = level.front();
      // Halve every group in place down to one lane.
      for (; size > 1; size /= 2) {
        SmallVector<int64_t> low, high;
        for (size_t g = 0; g < v.rows.size(); ++g)
          for (int64_t t = 0; t < size / 2; ++t) {
            low.push_back(g * size + t);
            high.push_back(g * size + size / 2 + t);
          }
        v.value = combine(
            vector::ShuffleOp::create(rewriter, loc, v.value, v.value, low),
            vector::ShuffleOp::create(rewriter, loc, v.value, v.value, high));
      }
      // Lane g holds row v.rows[g]: put the rows of this group in order.
      int64_t count = std::min(group, rows - first);
      SmallVector<int64_t> order(count);
      for (size_t g = 0; g < v.rows.size(); ++g)
        if (v.rows[g] >= 0)
          order[v.rows[g]] = g;
      if (count != group || !llvm::equal(order, llvm::seq<int64_t>(0, count)))
        v.value =
            vector::ShuffleOp::create(rewriter, loc, v.value, v.value, order);
      sums.push_back(v.value);
    }

    auto resultTy = VectorType::get({rows}, elt);
    Value result = sums.front();
    if (sums.size() > 1) {
      result = arith::ConstantOp::create(rewriter, loc, resultTy,
                                         rewriter.getZeroAttr(resultTy));
      for (auto [i, s] : llvm::enumerate(sums))
        result = vector::InsertStridedSliceOp::create(
            rewriter, loc, s, result, ArrayRef<int64_t>{int64_t(i) * group},
            ArrayRef<int64_t>{1});
    }
    Value acc =
        vector::ShapeCastOp::create(rewriter, loc, resultTy, op.getAcc());
    result = combine(result, acc);
    rewriter.replaceOpWithNewOp<vector::ShapeCastOp>(op, op.getDestType(),
                                                     result);
    return success();
  }

  int64_t vectorBits;
};

} // namespace

void mlir::inhibitor::populateTreeReductionPatterns(RewritePatternSet &patterns,
                                                    int64_t vectorBits) {
  patterns.add<TreeReduceInnermost>(patterns.getContext(), vectorBits);
}
