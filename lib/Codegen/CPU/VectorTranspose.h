//===- VectorTranspose.h - Square transposes by shuffles --------*- C++ -*-===//
//
// Shared by the CPU vectorizing passes (VectorizeSAD.cpp,
// TileAndVectorize.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_LIB_CODEGEN_CPU_VECTORTRANSPOSE_H
#define INHIBITOR_LIB_CODEGEN_CPU_VECTORTRANSPOSE_H

#include "mlir/IR/Builders.h"

namespace mlir::inhibitor {

/// Transposes the square matrix whose rows are the 1-D vectors `rows` (n of
/// n lanes each, n a power of two) in place: log2(n) stages, each swapping
/// the off-diagonal blocks of side h within every 2h x 2h block, two
/// `vector.shuffle`s per pair of rows (n log2(n) shuffles in all).
void transposeSquare(OpBuilder &b, Location loc, SmallVectorImpl<Value> &rows);

} // namespace mlir::inhibitor

#endif // INHIBITOR_LIB_CODEGEN_CPU_VECTORTRANSPOSE_H
