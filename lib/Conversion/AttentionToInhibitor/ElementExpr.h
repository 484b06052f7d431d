//===- ElementExpr.h - One element of a tensor as an expression -*- C++ -*-===//
//
// The one form the attention matcher reads. After normalization (see
// Normalize.cpp) a graph is linalg.generic ops on tensors; an ElementExpr
// describes one element of a tensor as an expression over the loop dims of
// the op that reads it: elementwise generics are inlined (so fused and
// unfused spellings, transposes, broadcasts, keepdim reshapes and casts all
// read the same), reductions become `Reduce` nodes with a fresh dim for the
// reduced index, constants are folded, and anything else (a function
// argument, a contraction) is a leaf read through an affine map.
// Private to lib/Conversion/AttentionToInhibitor.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_LIB_CONVERSION_ATTENTIONTOINHIBITOR_ELEMENTEXPR_H
#define INHIBITOR_LIB_CONVERSION_ATTENTIONTOINHIBITOR_ELEMENTEXPR_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"

#include <deque>
#include <optional>
#include <string>

namespace mlir::inhibitor::attention {

/// What an ElementExpr node is.
enum class ExprKind {
  Constant, // a float or integer constant (`constant`)
  Read,     // a leaf tensor read at `map` (space dims -> tensor indices)
  Scalar,   // a scalar SSA value that is not a constant (`value`)
  Index,    // a loop index: `index` is an affine expr of the space dims
  Op,       // `op` applied to `operands`
  Reduce,   // a reduction: operands = {init, body}, over `reducedDims`
};

/// The operations the matcher distinguishes. Float extensions/truncations and
/// index casts are transparent (the rewrite is not an equivalence; the
/// verifier of the new op decides which types it accepts).
enum class ExprOp {
  Add,
  Sub,
  Mul,
  Div,
  Max, // arith.maximumf / arith.maxnumf
  Neg,
  Exp,
  Log,
  Sqrt,
  Select,    // operands {condition, true value, false value}
  CmpF,      // `predicate` is an arith::CmpFPredicate
  CmpI,      // `predicate` is an arith::CmpIPredicate
  IntToFP,   // arith.uitofp / arith.sitofp
  XOrI,      // boolean negation arrives as xori with true
  Unhandled, // any other op (kept so the matcher can say what it saw)
};

struct ElementExpr {
  ExprKind kind;
  ExprOp op = ExprOp::Unhandled;
  int64_t predicate = 0;
  double constant = 0.0;
  Value value = {};   // Read: the tensor; Scalar: the value
  AffineMap map = {}; // Read: space dims -> tensor indices
  AffineExpr index = {};
  SmallVector<const ElementExpr *, 3> operands = {};
  SmallVector<unsigned, 1> reducedDims = {}; // Reduce only
  bool isMaxReduce = false;                  // Reduce: max (else sum)
  bool maxIgnoresNaN = false;                // Reduce: arith.maxnumf
  Type elementType = {};                     // the element type at this node
  /// The tensor (and the map reading it) this whole expression is one
  /// element of, when it is a result of an op in the IR: the matcher passes
  /// that tensor on (an additive bias) instead of recomputing it.
  Value origin = {};
  AffineMap originMap = {};
  /// The op whose body holds the arith/math op of an `Op` node (for debug
  /// output and remarks).
  Operation *definingOp = nullptr;

  bool isConstant() const { return kind == ExprKind::Constant; }
  bool isOp(ExprOp o) const { return kind == ExprKind::Op && op == o; }
};

/// Builds ElementExprs for the elements of tensors read in one loop space
/// (the loops of one contraction). Owns the nodes; remembers every op it
/// looked through (`getVisited`).
class ElementExprBuilder {
public:
  /// The maps of every node have this many dims: the space's own dims first,
  /// then one fresh dim per reduction.
  static constexpr unsigned kMaxDims = 64;

  /// `spaceSizes`: the static size of each dim of the space (or
  /// ShapedType::kDynamic), used to simplify reshape index arithmetic.
  ElementExprBuilder(MLIRContext *ctx, ArrayRef<int64_t> spaceSizes)
      : ctx(ctx), nextDim(spaceSizes.size()),
        dimSizes(spaceSizes.begin(), spaceSizes.end()) {
    dimSizes.resize(kMaxDims, ShapedType::kDynamic);
  }

  /// The element of `tensor` at `map` (space dims -> tensor indices; any
  /// number of dims up to kMaxDims).
  const ElementExpr *read(Value tensor, AffineMap map);

  /// The value of the scalar `v` (a constant, or computed from constants or
  /// from 0-d tensors).
  const ElementExpr *scalar(Value v);

  /// A dim not used so far (for the reduction loop of a contraction the
  /// matcher looks into), or nothing when all kMaxDims are taken.
  std::optional<unsigned> freshDim(int64_t size) {
    if (nextDim >= kMaxDims)
      return std::nullopt;
    dimSizes[nextDim] = size;
    return nextDim++;
  }

  /// The static size of each dim (kDynamic where unknown).
  ArrayRef<int64_t> getDimSizes() const { return dimSizes; }

  /// The dim `d` of the space as an affine expr.
  AffineExpr dim(unsigned d) const { return getAffineDimExpr(d, ctx); }

  /// `map` (any number of dims) with kMaxDims dims.
  AffineMap widen(AffineMap map) const;

  /// Ops looked through so far (elementwise, reduction, reshape, fill, ...).
  const llvm::SetVector<Operation *> &getVisited() const { return visited; }

  MLIRContext *getContext() const { return ctx; }

private:
  const ElementExpr *make(ElementExpr e);
  const ElementExpr *makeConstant(double v, Type t);
  const ElementExpr *leaf(Value tensor, AffineMap map);
  const ElementExpr *readGeneric(linalg::GenericOp generic, OpResult result,
                                 AffineMap map);
  const ElementExpr *inBody(linalg::GenericOp generic, Value v,
                            ArrayRef<AffineExpr> loops,
                            llvm::DenseMap<Value, const ElementExpr *> &memo);
  const ElementExpr *fold(ExprOp op, ArrayRef<const ElementExpr *> operands,
                          Type t, int64_t predicate, Operation *def);

  AffineExpr simplifyDivMod(AffineExpr e) const;
  std::optional<std::pair<int64_t, int64_t>> getRange(AffineExpr e) const;

  MLIRContext *ctx;
  unsigned nextDim;
  SmallVector<int64_t> dimSizes;
  std::deque<ElementExpr> nodes;
  llvm::DenseMap<std::pair<Value, AffineMap>, const ElementExpr *> reads;
  llvm::SetVector<Operation *> visited;
};

/// True when `a` and `b` compute the same thing, where `b` reads dim `to`
/// wherever `a` reads dim `from` (and the reduced dims of matching Reduce
/// nodes correspond).
bool isSameExprRenamed(const ElementExpr *a, const ElementExpr *b,
                       unsigned from, unsigned to);

/// True when the space dim `d` occurs in `e` (outside of its reductions'
/// own dims).
bool readsDim(const ElementExpr *e, unsigned d);

/// True when `e` contains a leaf read of `tensor`.
bool readsTensor(const ElementExpr *e, Value tensor);

/// The contraction generics `e` reads (leaves produced by a contraction).
void collectContractionReads(const ElementExpr *e,
                             SmallVectorImpl<const ElementExpr *> &reads);

/// True when `generic` is a contraction (upstream `isaContractionOpInterface`
/// on tensors).
bool isContraction(Operation *op);

/// A short description of `e` for remarks and debug output (three levels
/// deep, or `depth`).
std::string describe(const ElementExpr *e);
std::string describe(const ElementExpr *e, unsigned depth);

/// -inf or the lowest finite value of a float type (PyTorch's
/// `finfo(dtype).min`, f16's -65504): the values front ends use to mask.
bool isMaskingValue(double v);

} // namespace mlir::inhibitor::attention

#endif // INHIBITOR_LIB_CONVERSION_ATTENTIONTOINHIBITOR_ELEMENTEXPR_H
