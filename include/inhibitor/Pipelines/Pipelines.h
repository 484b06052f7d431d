//===- Pipelines.h - Inhibitor pass pipelines -------------------*- C++ -*-===//
//
// Whole pipelines, registered by name for inhibitor-opt and exposed as
// builder functions so that other compilers run the same passes.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_PIPELINES_PIPELINES_H
#define INHIBITOR_PIPELINES_PIPELINES_H

#include "inhibitor/Codegen/PeelMode.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir {
class DialectRegistry;
class OpPassManager;
namespace inhibitor {

/// How `--inhibitor-to-llvm` vectorizes for the CPU.
enum class CPUStrategy { Linalg, Affine };

/// Whether `--inhibitor-to-llvm` computes i8 scores as byte sums of absolute
/// differences (x86 psadbw).
enum class SADMode { Auto, On, Off };

/// Options of `--inhibitor-to-llvm`.
struct InhibitorToLLVMOptions
    : public PassPipelineOptions<InhibitorToLLVMOptions> {
  PassOptions::Option<CPUStrategy> strategy{
      *this, "strategy", llvm::cl::desc("CPU lowering strategy"),
      llvm::cl::init(CPUStrategy::Linalg),
      llvm::cl::values(
          clEnumValN(CPUStrategy::Linalg, "linalg",
                     "tile + upstream linalg vectorizer"),
          clEnumValN(CPUStrategy::Affine, "affine",
                     "affine loops, cache tiling + super-vectorizer"))};
  PassOptions::Option<bool> fuseAttention{
      *this, "fuse-attention",
      llvm::cl::desc("linalg strategy: lower inhibitor.attention fused and "
                     "tiled (Z exists one [query-tile, key-tile] tile at a "
                     "time)"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> queryTile{
      *this, "query-tile", llvm::cl::desc("fuse-attention: queries per tile"),
      llvm::cl::init(32)};
  PassOptions::Option<int64_t> keyTile{
      *this, "key-tile", llvm::cl::desc("fuse-attention: keys per tile"),
      llvm::cl::init(128)};
  PassOptions::Option<bool> skipKeys{
      *this, "skip-keys",
      llvm::cl::desc("fuse-attention: skip exactly the key tiles whose pairs "
                     "are all extinguished and stop summing an integer score "
                     "tile once they all are; not provably exact: a remark "
                     "and no skipping (docs/KeySkipping.md)"),
      llvm::cl::init(false)};
  PassOptions::Option<int64_t> skipChunk{
      *this, "skip-chunk",
      llvm::cl::desc("skip-keys: D elements summed between two checks of an "
                     "integer score tile (0: one check, after all of D; the i8 "
                     "score as psadbw rounds it up to whole psadbw vectors)"),
      llvm::cl::init(16)};
  PassOptions::Option<bool> approximateFilter{
      *this, "approximate-filter",
      llvm::cl::desc("Run --inhibitor-approximate-filter first: each "
                     "inhibitor.attention carrying inhibitor.approx_thresholds "
                     "drops the pairs whose low-precision score exceeds its "
                     "head's threshold (approximate, opt-in; without it the "
                     "attributes are ignored: docs/KeySkipping.md)"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> narrowTiles{
      *this, "narrow-tiles",
      llvm::cl::desc("fuse-attention: i8/i16 data under an i32/i64 "
                     "accumulator computes each key tile in i16 and widens "
                     "its sum once, where a run-time check on max|Q|, max|K| "
                     "and max|V| shows it exact (docs/Lowering.md)"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> keyCopyLimit{
      *this, "key-copy-limit",
      llvm::cl::desc("fuse-attention: no copy of all of K (K^T, or K offset "
                     "for the byte score) of this many bytes or more where a "
                     "static N has at most 16 query tiles; each query tile "
                     "prepares its K tiles in the key loop instead. The "
                     "default, 32 MiB, is glibc's largest mmap threshold "
                     "(docs/Tiling.md); 0: no limit"),
      llvm::cl::init(int64_t(32) << 20)};
  PassOptions::Option<int64_t> threads{
      *this, "threads",
      llvm::cl::desc("Threads for the fused kernel's loop over batch and "
                     "query tiles (OpenMP through convert-scf-to-openmp; "
                     "the program then links libomp). 1 = no OpenMP"),
      llvm::cl::init(1)};
  PassOptions::Option<int64_t> keySplits{
      *this, "key-splits",
      llvm::cl::desc("Split the keys of each attention/inhibit into this "
                     "many parts, computed in parallel (with `threads`) and "
                     "added afterwards: decode, few queries against many "
                     "keys (inhibitor-tile{key-splits}). 0 = none"),
      llvm::cl::init(0)};
  PassOptions::Option<bool> approximateMath{
      *this, "approximate-math",
      llvm::cl::desc("Polynomial approximations of f32 math.exp and friends "
                     "(for upstream code next to inhibitor ops, e.g. a "
                     "softmax); inhibitor ops use no transcendental"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> affineTile{
      *this, "affine-tile",
      llvm::cl::desc("affine strategy: tile loop nests for the cache "
                     "(affine-loop-tile with its cache-size heuristic)"),
      llvm::cl::init(false)};
  PassOptions::ListOption<int64_t> tileSizes{
      *this, "tile-sizes",
      llvm::cl::desc("Tile sizes of the (rows, middle, inner) loops; inner 0 "
                     "= one native vector")};
  PassOptions::Option<int64_t> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Vector width in bits (256: AVX2, 512: AVX-512); 0 = "
                     "the widest the target CPU has (512 with AVX-512BW, "
                     "256 with AVX2, else 128)"),
      llvm::cl::init(0)};
  PassOptions::Option<SADMode> sad{
      *this, "sad",
      llvm::cl::desc("linalg strategy: the score of i8 Q/K in an integer "
                     "accumulator of 16 bits or more as a byte sum of "
                     "absolute differences (x86 psadbw)"),
      llvm::cl::init(SADMode::Auto),
      llvm::cl::values(
          clEnumValN(SADMode::Auto, "auto",
                     "when the target CPU has AVX2 (psadbw of vector-bits, "
                     "at most the widest the target has) and the static D "
                     "is a multiple of the psadbw width in bytes"),
          clEnumValN(SADMode::On, "on",
                     "always the SAD form; psadbw on any x86 target, the "
                     "generic vectorizer elsewhere"),
          clEnumValN(SADMode::Off, "off",
                     "the default score form (K^T, keys in lanes) for every "
                     "type"))};
  PassOptions::Option<bool> byteInhibition{
      *this, "byte-inhibition",
      llvm::cl::desc("linalg strategy, x86 with AVX2: the fused kernel's "
                     "signed inhibition of i8 values in bytes, two keys per "
                     "16-bit lane (pmaddubsw), where the tile's sizes allow "
                     "(--inhibitor-vectorize-byte-inhibition)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> narrowAccumulators{
      *this, "narrow-accumulators",
      llvm::cl::desc("Run --inhibitor-narrow-accumulators first: each integer "
                     "op computes in the narrowest accumulator proven exact "
                     "(never changes a result)"),
      llvm::cl::init(false)};
  PassOptions::Option<PeelMode> peelTiles{
      *this, "peel-tiles",
      llvm::cl::desc("Which register-tile loops whose trip does not divide "
                     "by the tile to peel, so that full tiles run without "
                     "masks (the `peel` option of "
                     "--inhibitor-tile-and-vectorize, docs/Codegen.md)"),
      llvm::cl::init(PeelMode::Split),
      llvm::cl::values(
          clEnumValN(PeelMode::Off, "off", "none: partial tiles masked"),
          clEnumValN(PeelMode::Static, "static",
                     "loops of constant bounds (a ragged static dim)"),
          clEnumValN(PeelMode::Split, "split",
                     "those, and an op's one loop of a dynamic dim split "
                     "into its full tile (unmasked) and the partial one "
                     "(masked) under an scf.if"),
          clEnumValN(PeelMode::All, "all",
                     "also those of a dynamic dim: compile time grows with "
                     "the dynamic dims"))};
  PassOptions::Option<bool> prefetch{
      *this, "prefetch",
      llvm::cl::desc("Prefetch the next K/V tile of the fused kernel's loop "
                     "over key tiles while the current one is computed "
                     "(--inhibitor-prefetch-tiles; any loop streaming tiles "
                     "of 2 KiB or more)"),
      llvm::cl::init(true)};
  PassOptions::Option<std::string> targetCpu{
      *this, "target-cpu",
      llvm::cl::desc("CPU the code is generated for ('host' = this machine's, "
                     "e.g. znver3, znver4, x86-64-v3)"),
      llvm::cl::init("host")};
  PassOptions::Option<bool> runtimeChecks{
      *this, "runtime-checks",
      llvm::cl::desc("Check at run time the operand sizes the types leave "
                     "open (--inhibitor-insert-runtime-checks) and every heap "
                     "allocation (--inhibitor-check-allocations); a failure "
                     "prints the op and the sizes and stops the program"),
      llvm::cl::init(true)};
};

/// The vector width `--inhibitor-to-llvm` generates code for: the
/// `vector-bits` option, or where it is 0, the widest integer vector of the
/// target CPU.
int64_t resolveVectorBits(const InhibitorToLLVMOptions &options);

/// Inhibitor (and upstream tensor-level) IR to the LLVM dialect.
void buildInhibitorToLLVMPipeline(OpPassManager &pm,
                                  const InhibitorToLLVMOptions &options);

/// Adds to `registry` what `--inhibitor-to-llvm` needs besides the inhibitor
/// dialect: the dialects of its input (func, arith, tensor, linalg) and the
/// external interface models its passes use (bufferization, deallocation,
/// tiling, value bounds). For embedders that do not register every upstream
/// dialect and extension, as inhibitor-opt and mlir-opt do.
void registerInhibitorToLLVMDependencies(DialectRegistry &registry);

/// Adds `SubsetOpInterface` models of tensor.extract_slice, insert_slice,
/// parallel_insert_slice, vector.transfer_read and transfer_write that give
/// upstream's answers but compare identical offsets, sizes and strides
/// without the value-bounds solver (the compile time of dynamically shaped
/// kernels: lib/Pipelines/SliceSubsetModels.cpp). An op keeps the first
/// model registered for an interface, so this must come before upstream's
/// (registerAllDialects, tensor::registerSubsetOpInterfaceExternalModels);
/// registered later it changes nothing.
void registerSliceSubsetModels(DialectRegistry &registry);

/// Options of `--inhibitor-to-gpu`.
struct InhibitorToGPUOptions
    : public PassPipelineOptions<InhibitorToGPUOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("NVIDIA GPU the kernels are compiled for"),
      llvm::cl::init("sm_80")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX features (sm_80 needs +ptx70 or later)"),
      llvm::cl::init("+ptx80")};
  PassOptions::Option<std::string> format{
      *this, "format",
      llvm::cl::desc("What gpu-module-to-binary embeds: isa (PTX text, no "
                     "CUDA toolkit needed; the driver JIT-compiles it), bin "
                     "(cubin, needs ptxas) or fatbin (needs ptxas and "
                     "fatbinary)"),
      llvm::cl::init("isa")};
  PassOptions::ListOption<int64_t> tileSizes{
      *this, "tile-sizes",
      llvm::cl::desc("Thread block shape (rows, cols) on the two innermost "
                     "parallel loops (default 8,32)")};
  PassOptions::Option<int> optLevel{
      *this, "opt-level",
      llvm::cl::desc("LLVM optimization level of the "
                     "kernels"),
      llvm::cl::init(3)};
  PassOptions::Option<bool> sharedMemory{
      *this, "shared-memory",
      llvm::cl::desc("Stage the Q/K tiles of the score and the V/Z (and "
                     "mask) tiles of the inhibition in workgroup (shared) "
                     "memory, one reduction chunk at a time; false: every "
                     "thread reads global memory directly"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> reductionTile{
      *this, "reduction-tile",
      llvm::cl::desc("Reduction chunk staged at a time (D for the score, "
                     "keys for the inhibition)"),
      llvm::cl::init(32)};
  PassOptions::Option<bool> emulateOnCPU{
      *this, "emulate-on-cpu",
      llvm::cl::desc("Testing without a GPU: stop before GPU mapping and "
                     "lower the grid and thread loops of the kernels to "
                     "sequential host code (LLVM dialect, runs under "
                     "mlir-runner); staged tiles in host memory"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> approximateFilter{
      *this, "approximate-filter",
      llvm::cl::desc("Run --inhibitor-approximate-filter first (as "
                     "--inhibitor-to-llvm's option of that name)"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> runtimeChecks{
      *this, "runtime-checks",
      llvm::cl::desc("Check at run time, on the host, the operand sizes the "
                     "types leave open (--inhibitor-insert-runtime-checks); a "
                     "mismatch prints the op and the sizes and stops the "
                     "program"),
      llvm::cl::init(true)};
};

/// Inhibitor (and upstream tensor-level) IR to host code launching NVVM
/// kernels, serialized into a `gpu.binary`. The context must have the LLVM
/// IR translations registered (`registerAllToLLVMIRTranslations`):
/// `gpu-module-to-binary` translates the kernels.
void buildInhibitorToGPUPipeline(OpPassManager &pm,
                                 const InhibitorToGPUOptions &options);

/// Registers `--inhibitor-to-llvm` and `--inhibitor-to-gpu`.
void registerInhibitorPipelines();

} // namespace inhibitor
} // namespace mlir

#endif // INHIBITOR_PIPELINES_PIPELINES_H
