//===- PeelMode.h - Which tile loops are peeled -----------------*- C++ -*-===//
//
// The values of the `peel` option of --inhibitor-tile-and-vectorize and of
// `peel-tiles` of --inhibitor-to-llvm (a header of its own so that the
// pipeline options need not include the passes' dialects).
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_CODEGEN_PEELMODE_H
#define INHIBITOR_CODEGEN_PEELMODE_H

namespace mlir::inhibitor {

/// Which tile loops whose trip count does not divide by the tile size are
/// peeled: none; those of constant bounds (a ragged static dim); those, with
/// the loops of a dynamic dim split into a full and a partial tile under an
/// `scf.if` (no loop peeled); or those and the ones of a dynamic dim peeled.
enum class PeelMode { Off, Static, Split, All };

} // namespace mlir::inhibitor

#endif // INHIBITOR_CODEGEN_PEELMODE_H
