//===- InhibitorToGPU.cpp - The --inhibitor-to-gpu pipeline ---------------===//
//
// Inhibitor (and upstream tensor-level) IR to host code launching NVVM
// kernels (docs/GPU.md), or, with emulate-on-cpu, to the same loop nests run
// sequentially on the host.
//
//===----------------------------------------------------------------------===//

#include "PipelineUtils.h"
#include "inhibitor/Codegen/Passes.h"
#include "inhibitor/Conversion/Passes.h"
#include "inhibitor/Pipelines/Pipelines.h"
#include "inhibitor/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::inhibitor;

void mlir::inhibitor::buildInhibitorToGPUPipeline(
    OpPassManager &pm, const InhibitorToGPUOptions &options) {
  // 0. A front end's TOSA (what the attention rewrite leaves) to linalg.
  addFrontEndToLinalg(pm);

  // 0'. The approximate key filter (opt-in): a mask from a low-precision
  // score (docs/KeySkipping.md).
  if (options.approximateFilter)
    pm.addPass(createInhibitorApproximateFilter());

  // 1. Inhibitor ops to linalg on tensors (K read in place: threads, not
  // vector lanes, walk the keys), then buffers (as on the CPU).
  ConvertInhibitorToLinalgOptions toLinalg;
  toLinalg.transposeKey = false;
  if (options.runtimeChecks)
    pm.addPass(createInhibitorInsertRuntimeChecks());
  pm.addNestedPass<func::FuncOp>(createConvertInhibitorToLinalg(toLinalg));
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  addOneShotBufferize(pm);
  addDeallocation(pm);

  // 2. One thread per output element, thread blocks of tile-sizes, mapped
  // innermost loop first so that threadIdx.x walks the contiguous dim.
  // With shared-memory, contraction-like reductions are staged instead:
  // grid-level scf.parallel, thread-level scf.forall loops around tiles.
  InhibitorGPUTileAndDistributeOptions tiling;
  tiling.tileSizes.assign(options.tileSizes.begin(), options.tileSizes.end());
  tiling.sharedMemory = options.sharedMemory;
  tiling.reductionTile = options.reductionTile;
  tiling.workgroupMemory = !options.emulateOnCPU;
  pm.addNestedPass<func::FuncOp>(createInhibitorGPUTileAndDistribute(tiling));
  // Folds the tile bounds to the constants convert-parallel-loops-to-gpu
  // needs for the block size.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  if (options.emulateOnCPU) {
    // The same loop nests, run sequentially on the host: thread loops one
    // after the other (the order stands for the barriers), grid loops as
    // plain loops.
    pm.addNestedPass<func::FuncOp>(createForallToForLoopPass());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createInhibitorLegalizeForLLVM());
    pm.addPass(memref::createExpandStridedMetadataPass());
    pm.addPass(createLowerAffinePass());
    addHostLLVMConversions(pm, /*openmp=*/false);
    return;
  }

  GpuMapParallelLoopsPassOptions mapping;
  mapping.mappingPolicyStr = "innermost-first";
  pm.addNestedPass<func::FuncOp>(createGpuMapParallelLoopsPass(mapping));
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  // Staged kernels: thread loops to threads and barriers, tiles to
  // workgroup attributions.
  pm.addNestedPass<func::FuncOp>(createInhibitorGPUMapThreads());
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
