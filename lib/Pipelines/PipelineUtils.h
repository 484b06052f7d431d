//===- PipelineUtils.h - Steps shared by the inhibitor pipelines -*- C++
//-*-===//
//
// Internal to lib/Pipelines.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_LIB_PIPELINES_PIPELINEUTILS_H
#define INHIBITOR_LIB_PIPELINES_PIPELINEUTILS_H

namespace mlir {
class OpPassManager;
namespace inhibitor {

/// Front-end dialects to linalg on tensors: TOSA through upstream's
/// tosa-to-linalg pipeline, then tosa-to-tensor and tosa-to-arith (what the
/// attention rewrite leaves of a front end's module). No-ops without TOSA.
void addFrontEndToLinalg(OpPassManager &pm);

/// One-shot bufferization of the whole module, function boundaries
/// included, with identity layouts at the boundaries (plain memref
/// descriptors at the C interface).
void addOneShotBufferize(OpPassManager &pm);

/// Ownership-based deallocation; results written in place into an argument
/// are returned through bufferization.clone, lowered here too.
void addDeallocation(OpPassManager &pm);

/// The host code's last steps: structured control flow, vector, math,
/// memref, arith, index, cf, ub, func (and OpenMP) to the LLVM dialect.
void addHostLLVMConversions(OpPassManager &pm, bool openmp);

} // namespace inhibitor
} // namespace mlir

#endif // INHIBITOR_LIB_PIPELINES_PIPELINEUTILS_H
