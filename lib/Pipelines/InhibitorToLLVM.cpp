//===- InhibitorToLLVM.cpp - The --inhibitor-to-llvm pipeline -------------===//
//
// Inhibitor (and upstream tensor-level) IR to the LLVM dialect for CPUs:
// inhibitor ops to linalg, tile and vectorize (linalg strategy) or affine
// loops super-vectorized (affine strategy), bufferize, lower to LLVM.
//
//===----------------------------------------------------------------------===//

#include "PipelineUtils.h"
#include "inhibitor/Analysis/Passes.h"
#include "inhibitor/Codegen/Passes.h"
#include "inhibitor/Conversion/Passes.h"
#include "inhibitor/Pipelines/Pipelines.h"
#include "inhibitor/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Affine/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Affine/Transforms/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/ControlFlow/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/SubsetInsertionOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/Dialect/MemRef/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/AllocationOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/IR/TensorTilingInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/SubsetInsertionOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/SubsetOpInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/X86TargetParser.h"

using namespace mlir;
using namespace mlir::inhibitor;

/// The widest integer vector of `cpu` ('host' = this machine's), in bits:
/// 512 with AVX-512BW (byte and word lanes), 256 with AVX2, 128 on any other
/// x86 CPU (SSE2); 0 for CPUs that are not x86. psadbw exists at each of
/// these widths.
static int64_t widestX86Vector(StringRef cpu) {
  std::string name =
      cpu == "host" ? llvm::sys::getHostCPUName().str() : cpu.str();
  if (llvm::X86::parseArchX86(name) == llvm::X86::CK_None)
    return 0;
  SmallVector<StringRef> features;
  llvm::X86::getFeaturesForCPU(name, features);
  if (llvm::is_contained(features, "avx512bw"))
    return 512;
  if (llvm::is_contained(features, "avx2"))
    return 256;
  return 128;
}

int64_t
mlir::inhibitor::resolveVectorBits(const InhibitorToLLVMOptions &options) {
  if (options.vectorBits != 0)
    return options.vectorBits;
  // Measured on a Zen 5 host: 512-bit vectors made the i16 kernel 1.4-1.9x
  // faster than 256-bit ones, so the target's full width is the default.
  int64_t widest = widestX86Vector(options.targetCpu);
  return widest ? widest : 128;
}

void mlir::inhibitor::buildInhibitorToLLVMPipeline(
    OpPassManager &pm, const InhibitorToLLVMOptions &options) {
  // The i8 score as a byte sum of absolute differences (linalg strategy):
  // psadbw of vector-bits, or of the widest the target has if narrower.
  int64_t vectorBits = resolveVectorBits(options);
  int64_t psadBits = 0;
  bool sad = false;
  if (options.strategy == CPUStrategy::Linalg && options.sad != SADMode::Off) {
    int64_t widest = widestX86Vector(options.targetCpu);
    sad = options.sad == SADMode::On || widest >= 256;
    psadBits = sad ? widest : 0;
    while (psadBits > 128 && psadBits > vectorBits)
      psadBits /= 2;
  }

  // The i8 inhibition in bytes (pmaddubsw: SSSE3; only where psadbw's
  // AVX2 is, the byte kernels' ISA), at vector-bits or the widest the
  // target has if narrower.
  int64_t byteBits = 0;
  if (options.strategy == CPUStrategy::Linalg && options.byteInhibition) {
    int64_t widest = widestX86Vector(options.targetCpu);
    byteBits = widest >= 256 ? std::min(widest, vectorBits) : 0;
    if (byteBits && byteBits < 128)
      byteBits = 0;
  }

  // 0a. A front end's TOSA (what the attention rewrite leaves) to linalg.
  addFrontEndToLinalg(pm);

  // 0a'. The approximate key filter (opt-in): a mask from a low-precision
  // score, before anything tiles or splits the attention.
  if (options.approximateFilter)
    pm.addPass(createInhibitorApproximateFilter());

  // 0b. Operand sizes the types leave open, checked at run time; integer
  // accumulators narrowed where the bounds prove it exact (the fused kernel
  // then runs on narrower vectors).
  if (options.runtimeChecks)
    pm.addPass(createInhibitorInsertRuntimeChecks());
  if (options.narrowAccumulators) {
    pm.addPass(createInhibitorNarrowAccumulators());
    pm.addPass(createCanonicalizerPass());
  }

  // 0c. Decode: the keys split into parallel parts (the ops'
  // PartialReductionOpInterface), each part then lowered as a whole op.
  if (options.keySplits > 1) {
    InhibitorTileOptions split;
    split.keySplits = options.keySplits;
    pm.addPass(createInhibitorTile(split));
    pm.addPass(createCanonicalizerPass());
  }

  // 1. Inhibitor ops (and elementwise arith/math on tensors) to linalg on
  // tensors.
  ConvertInhibitorToLinalgOptions toLinalg;
  // The fused kernel's scf tiles have bounds that are no affine symbols, so
  // the affine strategy lowers the composite unfused and tiles affine loops.
  toLinalg.fuseAttention =
      options.fuseAttention && options.strategy == CPUStrategy::Linalg;
  toLinalg.queryTile = options.queryTile;
  toLinalg.keyTile = options.keyTile;
  // With the affine strategy (no fused kernel) the conversion reports that
  // skip-keys needs fuse-attention.
  toLinalg.skipKeys = options.skipKeys;
  toLinalg.skipChunk = options.skipChunk;
  toLinalg.narrowTiles = options.narrowTiles;
  toLinalg.keyCopyLimit = options.keyCopyLimit;
  toLinalg.sadScore = sad;
  // sad=auto: only where whole psadbw vectors cover D (measured: 1.3-1.6x
  // faster than the i16-style score at D = 32 and 64, but 2.3x slower at
  // D = 16 and slower at D = 48; benchmarks/ and docs/Strategies.md).
  if (options.sad == SADMode::Auto)
    toLinalg.sadDimMultiple = psadBits / 8;
  pm.addNestedPass<func::FuncOp>(createConvertInhibitorToLinalg(toLinalg));
  // Keys prepared by --inhibitor-pack-keys (linalg.pack) as a pad and a
  // transpose that tile-and-vectorize blocks.
  pm.addNestedPass<func::FuncOp>(createInhibitorLowerPacks());
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  // Upstream aggregates next to inhibitor ops (a dot-product attention's
  // linalg.softmax has no lowering of its own).
  InhibitorDecomposeOptions decomposeSoftmax;
  decomposeSoftmax.opNames = {linalg::SoftmaxOp::getOperationName().str()};
  pm.addPass(createInhibitorDecompose(decomposeSoftmax));
  pm.addPass(createCanonicalizerPass());

  // 2a. linalg strategy: tile on tensors and vectorize each tile; byte SAD
  // reductions (the i8 score) first, with psadbw.
  if (options.strategy == CPUStrategy::Linalg) {
    // On other targets the SAD form goes through the generic tiling and
    // vectorizing below.
    if (psadBits) {
      InhibitorVectorizeSADOptions vectorizeSAD;
      vectorizeSAD.vectorBits = psadBits;
      pm.addNestedPass<func::FuncOp>(createInhibitorVectorizeSAD(vectorizeSAD));
    }
    if (byteBits) {
      InhibitorVectorizeByteInhibitionOptions byteInhibition;
      byteInhibition.vectorBits = byteBits;
      pm.addNestedPass<func::FuncOp>(
          createInhibitorVectorizeByteInhibition(byteInhibition));
    }
    InhibitorTileAndVectorizeOptions tiling;
    tiling.tileSizes.assign(options.tileSizes.begin(), options.tileSizes.end());
    tiling.vectorBits = vectorBits;
    tiling.peel = options.peelTiles;
    pm.addNestedPass<func::FuncOp>(createInhibitorTileAndVectorize(tiling));
    // Fold vector.mask into the masked ops before anything (the
    // canonicalizer) moves other ops into mask regions.
    pm.addNestedPass<func::FuncOp>(vector::createLowerVectorMaskPass());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    // Accumulator tiles stay in registers across the innermost reduction
    // loop: their transfer_read/transfer_write pair on the loop's iter_arg
    // moves out of it (upstream's subset hoisting, not asked about the
    // loops it cannot hoist from, such as those of split tiles).
    pm.addPass(createLoopInvariantCodeMotionPass());
    pm.addPass(createInhibitorHoistLoopInvariantSubsets());
    pm.addPass(createCanonicalizerPass());
  }

  // 2b. Tensors to buffers, function boundaries included.
  addOneShotBufferize(pm);
  // The sizes of dynamic tile buffers folded to the values they come from
  // and moved out of the loops (a memref.dim of a buffer made outside a
  // loop, a dim of the loop's iter_arg), so that buffer-loop-hoisting
  // below, which keeps an allocation below the ops its sizes depend on,
  // moves those buffers out of the key loop (dynamic N: a malloc per key
  // tile before).
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createLoopInvariantCodeMotionPass());
  // The fused kernel's scf.forall over (batch, query tiles): parallel loops
  // for OpenMP with several threads, a plain loop otherwise.
  bool parallel = options.threads > 1;
  if (parallel) {
    // Tile buffers of loop-invariant size inside the kernel's sequential
    // loops (a K tile per key tile) are allocated once per parallel
    // iteration, not once per key tile: upstream's hoisting stops at the
    // scf.forall (each thread needs its own), so it runs before that
    // becomes an scf.parallel, which it would hoist out of.
    pm.addNestedPass<func::FuncOp>(
        bufferization::createBufferLoopHoistingPass());
    pm.addNestedPass<func::FuncOp>(createForallToParallelLoopPass());
  } else {
    pm.addNestedPass<func::FuncOp>(createForallToForLoopPass());
    // Tile buffers of loop-invariant size (the fused kernel's Z tile) are
    // allocated once, not per iteration. Not across parallel iterations:
    // each thread needs its own.
    pm.addNestedPass<func::FuncOp>(
        bufferization::createBufferLoopHoistingPass());
  }
  addDeallocation(pm);
  // Failed heap allocations (the unfused kernel's [N, M] scores) reported.
  if (options.runtimeChecks)
    pm.addPass(createInhibitorCheckAllocations());

  // 2c. affine strategy: loops on buffers, scalar replacement of the
  // accumulators, super-vectorized, then tiled for the cache.
  if (options.strategy == CPUStrategy::Affine) {
    pm.addNestedPass<func::FuncOp>(createConvertLinalgToAffineLoopsPass());
    pm.addNestedPass<func::FuncOp>(affine::createAffineScalarReplacementPass());
    pm.addPass(createCanonicalizerPass());
    InhibitorAffineVectorizeOptions vectorize;
    vectorize.vectorBits = vectorBits;
    pm.addNestedPass<func::FuncOp>(createInhibitorAffineVectorize(vectorize));
    // Tiling after vectorizing: a tile of a vectorized loop spans whole
    // vectors and the last one ends where the loop does, so every vector
    // covers what it covered untiled. Tiled first, a loop's intra-tile
    // bound is no memref bound, and the vectors of one tile (whose
    // transfers mask only past the memref's end) would run into the next
    // tile's elements (issue 17: sums counted twice).
    if (options.affineTile)
      pm.addNestedPass<func::FuncOp>(affine::createLoopTilingPass());
    pm.addPass(createCanonicalizerPass());
  }

  // 3. What was not vectorized becomes loops; vectors become 1-D. The SAD
  // steps become psadbw first (after deallocation, which rejects intrinsic
  // calls).
  if (psadBits)
    pm.addNestedPass<func::FuncOp>(createInhibitorX86PSADBW());
  if (byteBits)
    pm.addNestedPass<func::FuncOp>(createInhibitorX86PMADDUBSW());
  // The 16-bit clamp sums' widening (pmaddwd: SSE2, so every x86-64
  // target), up to the target's widest vector; without it the portable
  // form (a shuffle and a sign extension per half) took 1.15x the time.
  if (options.strategy == CPUStrategy::Linalg &&
      widestX86Vector(options.targetCpu) >= 128) {
    InhibitorX86PMADDWDOptions pmaddwd;
    pmaddwd.maxBits = widestX86Vector(options.targetCpu);
    pm.addNestedPass<func::FuncOp>(createInhibitorX86PMADDWD(pmaddwd));
  }
  // The next tile of a loop streaming tiles (K and V of the fused kernel)
  // is read while the current one is computed.
  if (options.prefetch)
    pm.addNestedPass<func::FuncOp>(createInhibitorPrefetchTiles());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addNestedPass<func::FuncOp>(vector::createLowerVectorMultiReductionPass());
  VectorTransferToSCFOptions vectorToSCF;
  vectorToSCF.enableFullUnroll(); // no allocas in loops (MLIR22-NOTES)
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass(vectorToSCF));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // 4. Everything to the LLVM dialect.
  InhibitorLegalizeForLLVMOptions legalize;
  legalize.approximateMath = options.approximateMath;
  pm.addPass(createInhibitorLegalizeForLLVM(legalize));
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  if (parallel) {
    ConvertSCFToOpenMPPassOptions openmp;
    openmp.numThreads = options.threads;
    pm.addPass(createConvertSCFToOpenMPPass(openmp));
    // Inlines the memref.alloca_scope around each parallel iteration (the
    // kernel allocates no stack memory there), which scf-to-cf would break
    // into several blocks; a call (to the deallocation helper) inside it
    // too, which upstream's canonicalization does not inline.
    pm.addPass(createInhibitorInlineAllocaScopes());
    pm.addPass(createCanonicalizerPass());
  }
  addHostLLVMConversions(pm, /*openmp=*/parallel);
  InhibitorSetTargetCPUOptions target;
  target.cpu = options.targetCpu;
  pm.addPass(createInhibitorSetTargetCPU(target));
}

void mlir::inhibitor::registerInhibitorToLLVMDependencies(
    DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, func::FuncDialect, linalg::LinalgDialect,
                  tensor::TensorDialect>();
  // One-shot bufferization (function boundaries included) and deallocation.
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  cf::registerBufferizableOpInterfaceExternalModels(registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  vector::registerBufferizableOpInterfaceExternalModels(registry);
  arith::registerBufferDeallocationOpInterfaceExternalModels(registry);
  cf::registerBufferDeallocationOpInterfaceExternalModels(registry);
  scf::registerBufferDeallocationOpInterfaceExternalModels(registry);
  memref::registerAllocationOpInterfaceExternalModels(registry);
  linalg::registerSubsetOpInterfaceExternalModels(registry);
  // Ours first: the slices' and transfers' SubsetOpInterface without a
  // solver call for identical values (an op keeps the first model).
  registerSliceSubsetModels(registry);
  tensor::registerSubsetOpInterfaceExternalModels(registry);
  vector::registerSubsetOpInterfaceExternalModels(registry);
  // Tiling and (masked) vectorization of dynamic shapes.
  linalg::registerTilingInterfaceExternalModels(registry);
  tensor::registerTilingInterfaceExternalModels(registry);
  affine::registerValueBoundsOpInterfaceExternalModels(registry);
  arith::registerValueBoundsOpInterfaceExternalModels(registry);
  linalg::registerValueBoundsOpInterfaceExternalModels(registry);
  memref::registerValueBoundsOpInterfaceExternalModels(registry);
  scf::registerValueBoundsOpInterfaceExternalModels(registry);
  tensor::registerValueBoundsOpInterfaceExternalModels(registry);
  vector::registerValueBoundsOpInterfaceExternalModels(registry);
}
