//===- TransformUtils.h - Builders shared by the rewrites -------*- C++ -*-===//
//
// Shared by Quantize.cpp and ApproximateFilter.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_LIB_TRANSFORMS_TRANSFORMUTILS_H
#define INHIBITOR_LIB_TRANSFORMS_TRANSFORMUTILS_H

#include "mlir/IR/Builders.h"

namespace mlir::inhibitor {

/// An elementwise linalg.generic applying `fn` to each element of `src`,
/// into a fresh tensor of `element`.
Value mapElements(OpBuilder &b, Location loc, Value src, Type element,
                  function_ref<Value(OpBuilder &, Location, Value)> fn);

} // namespace mlir::inhibitor

#endif // INHIBITOR_LIB_TRANSFORMS_TRANSFORMUTILS_H
