//===- Pipelines.cpp - Inhibitor pass pipelines ---------------------------===//

#include "inhibitor/Pipelines/Pipelines.h"
#include "inhibitor/Conversion/Passes.h"
#include "inhibitor/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::inhibitor;

void mlir::inhibitor::buildInhibitorToLLVMPipeline(
    OpPassManager &pm, const InhibitorToLLVMOptions &options) {
  if (options.strategy == CPUStrategy::Affine) {
    InhibitorNotImplementedOptions notImplemented;
    notImplemented.what = "--inhibitor-to-llvm strategy 'affine'";
    pm.addPass(createInhibitorNotImplemented(notImplemented));
    return;
  }

  // 1. Inhibitor ops (and elementwise arith/math on tensors) to linalg on
  // tensors, tiled and vectorized.
  pm.addNestedPass<func::FuncOp>(createConvertInhibitorToLinalg());
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  InhibitorTileAndVectorizeOptions tiling;
  tiling.tileSizes.assign(options.tileSizes.begin(), options.tileSizes.end());
  tiling.vectorBits = options.vectorBits;
  pm.addNestedPass<func::FuncOp>(createInhibitorTileAndVectorize(tiling));
  // Fold vector.mask into the masked ops before anything (the canonicalizer)
  // moves other ops into mask regions.
  pm.addNestedPass<func::FuncOp>(vector::createLowerVectorMaskPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // 2. Tensors to buffers, function boundaries included.
  bufferization::OneShotBufferizePassOptions bufferization;
  bufferization.bufferizeFunctionBoundaries = true;
  bufferization.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  bufferization::buildBufferDeallocationPipeline(pm);
  // Results written in place into an argument are returned through
  // bufferization.clone.
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(createCanonicalizerPass());

  // 3. What was not vectorized becomes loops; vectors become 1-D.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addNestedPass<func::FuncOp>(vector::createLowerVectorMultiReductionPass());
  VectorTransferToSCFOptions vectorToSCF;
  vectorToSCF.enableFullUnroll(); // no allocas in loops (MLIR22-NOTES)
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass(vectorToSCF));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // 4. Everything to the LLVM dialect.
  pm.addPass(createInhibitorLegalizeForLLVM());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  InhibitorSetTargetCpuOptions target;
  target.cpu = options.targetCpu;
  pm.addPass(createInhibitorSetTargetCpu(target));
}

void mlir::inhibitor::buildInhibitorToGPUPipeline(
    OpPassManager &pm, const InhibitorToGPUOptions &options) {
  // 1. Inhibitor ops to linalg on tensors, then buffers (as on the CPU).
  pm.addNestedPass<func::FuncOp>(createConvertInhibitorToLinalg());
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  bufferization::OneShotBufferizePassOptions bufferization;
  bufferization.bufferizeFunctionBoundaries = true;
  bufferization.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(createCanonicalizerPass());

  // 2. One thread per output element, thread blocks of tile-sizes, mapped
  // innermost loop first so that threadIdx.x walks the contiguous dim.
  InhibitorTileForGPUOptions tiling;
  tiling.tileSizes.assign(options.tileSizes.begin(), options.tileSizes.end());
  pm.addNestedPass<func::FuncOp>(createInhibitorTileForGPU(tiling));
  // Folds the tile bounds to the constants convert-parallel-loops-to-gpu
  // needs for the block size.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  GpuMapParallelLoopsPassOptions mapping;
  mapping.mappingPolicyStr = "innermost-first";
  pm.addNestedPass<func::FuncOp>(createGpuMapParallelLoopsPass(mapping));
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  pm.addPass(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createInhibitorGPUHostMemory());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // 3. Kernels to NVVM and a gpu.binary, host code to LLVM (upstream).
  pm.addPass(createInhibitorLegalizeForLLVM());
  // No libdevice calls: it is linked only where the CUDA toolkit is found.
  pm.addNestedPass<gpu::GPUModuleOp>(createInhibitorLegalizeForNVVM());
  gpu::GPUToNVVMPipelineOptions nvvm;
  nvvm.cubinChip = options.chip;
  nvvm.cubinFeatures = options.features;
  nvvm.cubinFormat = options.format;
  nvvm.optLevel = options.optLevel;
  gpu::buildLowerToNVVMPassPipeline(pm, nvvm);
}

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
