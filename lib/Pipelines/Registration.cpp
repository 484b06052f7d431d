//===- Registration.cpp - The inhibitor pipelines, by name ----------------===//

#include "inhibitor/Pipelines/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace mlir::inhibitor;

void mlir::inhibitor::registerInhibitorPipelines() {
  PassPipelineRegistration<InhibitorToLLVMOptions>(
      "inhibitor-to-llvm",
      "Lower inhibitor (and upstream tensor-level) IR to the LLVM dialect: "
      "bufferize, tile, vectorize to SIMD loops",
      buildInhibitorToLLVMPipeline);
  PassPipelineRegistration<InhibitorToGPUOptions>(
      "inhibitor-to-gpu",
      "Lower inhibitor (and upstream tensor-level) IR to host code launching "
      "NVVM kernels serialized into a gpu.binary (PTX text by default)",
      buildInhibitorToGPUPipeline);
}
