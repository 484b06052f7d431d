//===- Passes.h - Inhibitor code generation passes --------------*- C++ -*-===//
//
// Passes on upstream dialects (linalg, vector, scf, gpu, llvm) that generate
// CPU and GPU code for inhibitor ops; see docs/Codegen.md.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_CODEGEN_PASSES_H
#define INHIBITOR_CODEGEN_PASSES_H

#include "inhibitor/Codegen/PeelMode.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace inhibitor {

#define GEN_PASS_DECL
#include "inhibitor/Codegen/Passes.h.inc"

/// The pattern of `--inhibitor-vectorize-sad`: byte sum-of-absolute-
/// differences reductions (linalg.generic on tensors) to loops of vectors of
/// `vectorBits` (128, 256 or 512) bits whose inner step has the semantics of
/// x86 psadbw, in portable vector ops.
void populateVectorizeSADPatterns(RewritePatternSet &patterns,
                                  int64_t vectorBits);

/// The pattern of `--inhibitor-x86-psadbw`: that inner step to
/// `llvm.x86.{sse2,avx2,avx512}.psad.bw*` calls.
void populateX86PSADBWPatterns(RewritePatternSet &patterns);

/// The pattern of `--inhibitor-vectorize-byte-inhibition`: the split signed
/// inhibition of i8 values (linalg.generic on tensors) to loops of byte
/// vectors of `vectorBits` (128, 256 or 512) bits, two keys per 16-bit lane.
void populateVectorizeByteInhibitionPatterns(RewritePatternSet &patterns,
                                             int64_t vectorBits);

/// The pattern of `--inhibitor-x86-pmaddubsw`: the pair sums of adjacent
/// bytes to `llvm.x86.*.pmadd*ub*` calls.
void populateX86PMADDUBSWPatterns(RewritePatternSet &patterns);

/// The pattern of `--inhibitor-x86-pmaddwd`: the sign extension of the
/// even or odd 16-bit lanes of vectors of up to `maxBits` bits to
/// `llvm.x86.*.pmadd*wd*` calls.
void populateX86PMADDWDPatterns(RewritePatternSet &patterns, int64_t maxBits);

/// Part of `--inhibitor-tile-and-vectorize`: integer
/// `vector.multi_reduction`s over the innermost dim of two or more rows to
/// one tree of shuffles and combines over all the rows (each row added down
/// to one native vector of `vectorBits` bits, pairs of those merged by
/// halves, then in-vector halving), instead of a horizontal reduction per
/// row or a transpose of the block.
void populateTreeReductionPatterns(RewritePatternSet &patterns,
                                   int64_t vectorBits);

#define GEN_PASS_REGISTRATION
#include "inhibitor/Codegen/Passes.h.inc"

} // namespace inhibitor
} // namespace mlir

#endif // INHIBITOR_CODEGEN_PASSES_H
