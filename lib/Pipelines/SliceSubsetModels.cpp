//===- SliceSubsetModels.cpp - Subsets compared without a solver first ----===//
//
// One-shot bufferization asks, for every read and conflicting write of an
// alias set, whether an insert_slice writes back the subset an
// extract_slice read (`SubsetOpInterface::operatesOnEquivalentSubset`), and
// loop-invariant subset hoisting asks whether two subsets are disjoint.
// Upstream's models (libMLIR 22) answer through ValueBoundsConstraintSet for
// every offset, size and stride, even where both are the same SSA value: a
// loop's induction variable pulls in the bounds of every enclosing loop and
// `scf.if`, each compared again recursively, so a kernel of many nested,
// versioned loops with dynamic sizes spent most of its compile time in the
// Presburger solver (docs/Testing.md: 40 s for one dynamic grouped-heads i8
// kernel). These models (tensor slices, vector transfers) answer identical
// values (and equal constants) at once and fall back to the same
// value-bounds comparison per component for the rest, so every answer is
// the one upstream gives, sooner.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Pipelines/Pipelines.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Interfaces/SubsetOpInterface.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"

using namespace mlir;

/// Whether two components are equal: identical values or equal constants at
/// once, else as ValueBoundsConstraintSet proves it (unknown: not equal).
static bool provedEqual(OpFoldResult a, OpFoldResult b) {
  if (isEqualConstantIntOrValue(a, b))
    return true;
  FailureOr<bool> equal = ValueBoundsConstraintSet::areEqual(a, b);
  return succeeded(equal) && *equal;
}

/// Two different constants somewhere: not equal, without a solver call.
static bool differentConstants(ArrayRef<OpFoldResult> a,
                               ArrayRef<OpFoldResult> b) {
  return llvm::any_of(llvm::zip_equal(a, b), [](auto pair) {
    std::optional<int64_t> x = getConstantIntValue(std::get<0>(pair));
    std::optional<int64_t> y = getConstantIntValue(std::get<1>(pair));
    return x && y && *x != *y;
  });
}

/// A dimension whose constant intervals do not meet (upstream's test:
/// offset1 + size1 * stride1 <= offset2 or the other way round): disjoint.
static bool disjointConstants(const HyperrectangularSlice &a,
                              const HyperrectangularSlice &b) {
  for (auto [o1, s1, t1, o2, s2, t2] : llvm::zip_equal(
           a.getMixedOffsets(), a.getMixedSizes(), a.getMixedStrides(),
           b.getMixedOffsets(), b.getMixedSizes(), b.getMixedStrides())) {
    std::optional<int64_t> x1 = getConstantIntValue(o1),
                           n1 = getConstantIntValue(s1),
                           d1 = getConstantIntValue(t1),
                           x2 = getConstantIntValue(o2),
                           n2 = getConstantIntValue(s2),
                           d2 = getConstantIntValue(t2);
    if (x1 && n1 && d1 && x2 && n2 && d2 &&
        (*x1 + *n1 * *d1 <= *x2 || *x2 + *n2 * *d2 <= *x1))
      return true;
  }
  return false;
}

static bool identical(ArrayRef<OpFoldResult> a, ArrayRef<OpFoldResult> b) {
  return a.size() == b.size() &&
         llvm::all_of(llvm::zip_equal(a, b), [](auto pair) {
           return isEqualConstantIntOrValue(std::get<0>(pair),
                                            std::get<1>(pair));
         });
}

/// The subset `op` accesses, as upstream's models define it: a slice's
/// offsets, sizes and strides; a transfer's indices and the static chunk it
/// accesses (unit strides).
template <typename OpTy> static HyperrectangularSlice sliceOf(OpTy op) {
  if constexpr (std::is_same_v<OpTy, vector::TransferReadOp> ||
                std::is_same_v<OpTy, vector::TransferWriteOp>) {
    Builder b(op->getContext());
    SmallVector<OpFoldResult> offsets = llvm::map_to_vector(
        op.getIndices(), [](Value v) -> OpFoldResult { return v; });
    SmallVector<OpFoldResult> sizes = llvm::map_to_vector(
        op.getTransferChunkAccessed(),
        [&](int64_t size) -> OpFoldResult { return b.getIndexAttr(size); });
    return HyperrectangularSlice(offsets, sizes);
  } else {
    return HyperrectangularSlice(
        cast<OffsetSizeAndStrideOpInterface>(op.getOperation()));
  }
}

namespace {

template <typename OpTy>
struct FastSubsetModel
    : SubsetOpInterface::ExternalModel<FastSubsetModel<OpTy>, OpTy> {
  FailureOr<HyperrectangularSlice>
  getAccessedHyperrectangularSlice(Operation *op) const {
    return sliceOf(cast<OpTy>(op));
  }

  bool operatesOnEquivalentSubset(
      Operation *op, SubsetOpInterface candidate,
      function_ref<bool(Value, Value)> equivalenceFn) const {
    FailureOr<HyperrectangularSlice> other =
        candidate.getAccessedHyperrectangularSlice();
    if (failed(other))
      return false;
    if (!equivalenceFn(cast<SubsetOpInterface>(op).getTensorContainer(),
                       candidate.getTensorContainer()))
      return false;
    HyperrectangularSlice slice = sliceOf(cast<OpTy>(op));
    if (slice.getMixedOffsets().size() != other->getMixedOffsets().size())
      return false;
    if (differentConstants(slice.getMixedOffsets(), other->getMixedOffsets()) ||
        differentConstants(slice.getMixedSizes(), other->getMixedSizes()) ||
        differentConstants(slice.getMixedStrides(), other->getMixedStrides()))
      return false;
    auto allEqual = [](ArrayRef<OpFoldResult> a, ArrayRef<OpFoldResult> b) {
      return llvm::all_of(llvm::zip_equal(a, b), [](auto pair) {
        return provedEqual(std::get<0>(pair), std::get<1>(pair));
      });
    };
    return allEqual(slice.getMixedOffsets(), other->getMixedOffsets()) &&
           allEqual(slice.getMixedSizes(), other->getMixedSizes()) &&
           allEqual(slice.getMixedStrides(), other->getMixedStrides());
  }

  bool operatesOnDisjointSubset(
      Operation *op, SubsetOpInterface candidate,
      function_ref<bool(Value, Value)> equivalenceFn) const {
    // The same offsets and sizes, none of them a constant 0: the same
    // subset, not disjoint (for a size 0 at run time upstream cannot tell
    // either).
    FailureOr<HyperrectangularSlice> other =
        candidate.getAccessedHyperrectangularSlice();
    HyperrectangularSlice slice = sliceOf(cast<OpTy>(op));
    if (succeeded(other) &&
        slice.getMixedOffsets().size() == other->getMixedOffsets().size()) {
      if (identical(slice.getMixedOffsets(), other->getMixedOffsets()) &&
          identical(slice.getMixedSizes(), other->getMixedSizes()) &&
          llvm::none_of(slice.getMixedSizes(), isZeroInteger))
        return false;
      if (disjointConstants(slice, *other) &&
          equivalenceFn(cast<SubsetOpInterface>(op).getTensorContainer(),
                        candidate.getTensorContainer()))
        return true;
    }
    return detail::defaultOperatesOnDisjointSubset(op, candidate,
                                                   equivalenceFn);
  }
};

} // namespace

void mlir::inhibitor::registerSliceSubsetModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, tensor::TensorDialect *) {
    tensor::ExtractSliceOp::attachInterface<
        FastSubsetModel<tensor::ExtractSliceOp>>(*ctx);
    tensor::InsertSliceOp::attachInterface<
        FastSubsetModel<tensor::InsertSliceOp>>(*ctx);
    tensor::ParallelInsertSliceOp::attachInterface<
        FastSubsetModel<tensor::ParallelInsertSliceOp>>(*ctx);
  });
  registry.addExtension(+[](MLIRContext *ctx, vector::VectorDialect *) {
    vector::TransferReadOp::attachInterface<
        FastSubsetModel<vector::TransferReadOp>>(*ctx);
    vector::TransferWriteOp::attachInterface<
        FastSubsetModel<vector::TransferWriteOp>>(*ctx);
  });
}
