//===- Passes.td - Inhibitor code generation passes --------*- tablegen -*-===//
//
// Passes that act on upstream dialects (linalg, vector, scf, gpu, llvm) on
// the way from inhibitor ops to CPU or GPU code. Each has a summary and an
// example here; how and why they work is told once, in docs/Codegen.md.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_CODEGEN_PASSES_TD
#define INHIBITOR_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// CPU
//===----------------------------------------------------------------------===//

def InhibitorTileAndVectorize
    : Pass<"inhibitor-tile-and-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Tile linalg ops on tensors with scf.for and vectorize the "
                "tiles (the CPU strategy of --inhibitor-to-llvm)";
  let description = [{
    Tiles every `linalg` op on tensors through its `TilingInterface`
    (`scf::tileUsingSCF`) and vectorizes each tile with `linalg::vectorize`,
    masked where a tile is partial in a dynamic dim (`peel=split`, the
    default: the loops of a ragged static dim are peeled, so their full
    tiles and the static partial one need no masks, and the body of an op's
    one loop of a dynamic dim is an `scf.if` on a full tile, static and
    unmasked, or the partial one, masked; `peel=static` leaves the loops of
    dynamic dims as they are; `peel=all` peels them; `peel=off` masks every
    partial tile). Batch loops are
    tiled by 1, the last three by `tile-sizes` (inner 0 = one native vector
    of the accumulator type; default 4 rows, 1 middle step, two native
    vectors where they divide the inner extent); matmul-like contractions
    become rank-1
    updates; integer sums over the innermost dim of a tile's rows become
    one tree of shuffles across the rows (TreeReduction.cpp). Some ops of
    the fused kernel get their own loop nests instead: a K^T transpose of
    static tiles (blocks of shuffles), the 16-bit clamp sums (ClampSum.cpp)
    and the i16 scores `acc + |q - k|` with K transposed, computed as
    `sum q + sum k - 2 sum min(q, k)` (PairScore.cpp; 16-bit sums only
    where the op carries `inhibitor.exact_differences`). Ops the
    vectorizer rejects stay scalar with a remark; ops with
    `i1` tensor operands stay scalar silently. See docs/Codegen.md.

    ```sh
    inhibitor-opt --pass-pipeline='builtin.module(func.func(inhibitor-tile-and-vectorize{vector-bits=512}))'
    ```
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect", "::mlir::vector::VectorDialect"
  ];
  let options = [
    ListOption<"tileSizes", "tile-sizes", "int64_t",
               "Tile sizes of the (rows, middle, inner) loops; inner 0 = "
               "one native vector (default: 4, 1 and two native vectors, "
               "one where two do not divide the inner extent)">,
    Option<"vectorBits", "vector-bits", "int64_t", "256",
           "Native vector width in bits (256 for AVX2, 512 for AVX-512)">,
    Option<"peel", "peel", "::mlir::inhibitor::PeelMode",
           "::mlir::inhibitor::PeelMode::Split",
           "Which tile loops whose trip does not divide by the tile size to "
           "peel, so that full tiles vectorize without masks (docs/Codegen.md)",
           [{::llvm::cl::values(
             clEnumValN(::mlir::inhibitor::PeelMode::Off, "off",
                        "none: partial tiles masked"),
             clEnumValN(::mlir::inhibitor::PeelMode::Static, "static",
                        "loops of constant bounds (a ragged static dim); the "
                        "partial tile is static and unmasked"),
             clEnumValN(::mlir::inhibitor::PeelMode::Split, "split",
                        "those, and an op's one loop of a dynamic dim split "
                        "into the full tile (static, unmasked) and the "
                        "partial one (masked) under an scf.if"),
             clEnumValN(::mlir::inhibitor::PeelMode::All, "all",
                        "also those of a dynamic dim (their partial tile "
                        "masked); compile time grows with the dynamic dims"))}]>
  ];
  let statistics = [
    Statistic<"numVectorized", "num-vectorized", "Number of tiles vectorized">,
    Statistic<"numScalar", "num-scalar", "Number of ops left scalar">,
    Statistic<"numPeeled", "num-peeled",
              "Number of ops whose tile loops were peeled">,
    Statistic<"numSplit", "num-split",
              "Number of tile loops split into a full and a partial tile">
  ];
}

def InhibitorVectorizeSAD
    : Pass<"inhibitor-vectorize-sad", "::mlir::func::FuncOp"> {
  let summary = "Vectorize byte sum-of-absolute-differences reductions (the "
                "i8 score of --inhibitor-to-llvm) in the shape of x86 psadbw";
  let description = [{
    Rewrites each `linalg.generic` on tensors of the form

    ```
    Z[b..., i, j] += |extui(Q[b..., i, k]) - extui(K[b..., j, k])|
    ```

    (Q, K of `i8`, Z an integer of 16 bits or more: what
    `convert-inhibitor-to-linalg{sad-score}` emits) into `scf.for` loops over
    `b...`, the queries and groups of `vector-bits / 64` keys, whose inner
    step is psadbw's semantics in portable vector ops; the group's partial
    sums are combined by shuffles, never by a scalar horizontal reduction.
    Odd and dynamic sizes need no scalar remainder. See docs/Codegen.md.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", "256",
           "Bytes of a row per step, in bits: 128, 256 or 512 (groups of 2, "
           "4 or 8 keys)">
  ];
}

def InhibitorX86PSADBW : Pass<"inhibitor-x86-psadbw"> {
  let summary = "Emit x86 psadbw for the byte sum-of-absolute-differences "
                "step of --inhibitor-vectorize-sad";
  let description = [{
    Replaces

    ```
    extui(multi_reduction<add>(shape_cast(absi(extui(x) - extui(y))) : G x 8, 0) [1])
    ```

    on `x, y : vector<8G x i8>` by one `llvm.call_intrinsic` of
    `llvm.x86.sse2.psad.bw` (G = 2), `llvm.x86.avx2.psad.bw` (G = 4) or
    `llvm.x86.avx512.psad.bw.512` (G = 8). The target must have the
    instruction. Runs on buffers, after deallocation (which rejects ops with
    unknown memory effects such as intrinsic calls).
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def InhibitorVectorizeByteInhibition
    : Pass<"inhibitor-vectorize-byte-inhibition", "::mlir::func::FuncOp"> {
  let summary = "Vectorize the signed inhibition of i8 values in bytes, two "
                "keys per 16-bit lane (the shape of x86 pmaddubsw)";
  let description = [{
    Rewrites each `linalg.generic` on tensors of the form

    ```
    H[i, e] += max(min(extsi(V[j, e]), Z[i, j]), 0 - Z[i, j])
    ```

    (`V` of `i8`, `Z` and `H` of `i16`, `Z` the result of a generic that
    yields `max(., 0)`, static sizes with an even number of keys and value
    columns in whole vectors: the split signed inhibition of the fused
    kernel, docs/Lowering.md) into loops of byte vectors: for `Z >= 0` and
    `i8` values, `clamp(V, -Z, Z) = clamp(V, -min(Z, 128), min(Z, 127))`, so
    the clamp runs on 64 (AVX-512) byte lanes with byte bounds computed once
    per pair, on the values of two keys interleaved byte by byte, and each
    16-bit lane adds its two keys' clamped bytes (pmaddubsw's semantics with
    ones, in portable vector ops). See docs/Codegen.md.

    ```sh
    inhibitor-opt --pass-pipeline='builtin.module(func.func(inhibitor-vectorize-byte-inhibition{vector-bits=512}))'
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", "256",
           "Vector width in bits: 128, 256 or 512">
  ];
}

def InhibitorX86PMADDUBSW : Pass<"inhibitor-x86-pmaddubsw"> {
  let summary = "Emit x86 pmaddubsw for the pair sums of "
                "--inhibitor-vectorize-byte-inhibition";
  let description = [{
    Replaces

    ```
    multi_reduction<add>(extsi(shape_cast(x) : L x 2 x i8) : L x 2 x i16, 0) [1]
    ```

    on `x : vector<2L x i8>` (the sum of each two adjacent signed bytes,
    exact in `i16`) by one `llvm.call_intrinsic` of pmaddubsw with a vector
    of ones as its unsigned operand: `llvm.x86.ssse3.pmadd.ub.sw.128`
    (L = 8), `llvm.x86.avx2.pmadd.ub.sw` (L = 16) or
    `llvm.x86.avx512.pmaddubs.w.512` (L = 32). The target must have the
    instruction. Runs on buffers, after deallocation.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def InhibitorX86PMADDWD : Pass<"inhibitor-x86-pmaddwd"> {
  let summary = "Emit x86 pmaddwd for the sign extension of a vector's even "
                "or odd 16-bit lanes and for pairwise sums";
  let description = [{
    Replaces

    ```
    extsi(shuffle(x, x, [0, 2, 4, ...]) : vector<L x i16>) : vector<L x i32>
    ```

    on `x : vector<2L x i16>` (the even lanes; `[1, 3, 5, ...]`, the odd
    ones) by one `llvm.call_intrinsic` of pmaddwd with a multiplier of 1 in
    those lanes and 0 in the others: `llvm.x86.sse2.pmadd.wd` (L = 4),
    `llvm.x86.avx2.pmadd.wd` (L = 8) or `llvm.x86.avx512.pmaddw.d.512`
    (L = 16), exact (each product is the lane or 0). Where the sum is added
    to an accumulator, LLVM fuses the two into vpdpwssd on targets with
    AVX-512 VNNI (test/Pipelines/x86-i16-kernel.mlir). These are the 16-bit
    clamp sums of `--inhibitor-tile-and-vectorize` (docs/Codegen.md).

    A pairwise sum, the even lanes' extension plus the odd lanes' of the
    same `x` (either order), becomes one pmaddwd with 1 in every lane; such
    a sum times a splat constant c that fits 16 bits becomes pmaddwd with
    c, and `acc - sum` becomes `acc + pmaddwd(x, -1)`, which LLVM can fuse
    (it does not fuse a subtraction). All exact in i32's wrapping
    arithmetic. These are the i16 scores in pairs of D of
    `--inhibitor-tile-and-vectorize` (test/Codegen/CPU/pair-score.mlir).
    Vectors wider than `max-bits` are left as they are. `--inhibitor-to-llvm`
    runs it on buffers, after deallocation, as the other x86 passes, on
    every x86 target (pmaddwd is SSE2).

    ```mlir
    %even = vector.shuffle %c, %c [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
        : vector<32xi16>, vector<32xi16>
    %w = arith.extsi %even : vector<16xi16> to vector<16xi32>
    // becomes
    %w = llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"(%c, %mask)
        : (vector<32xi16>, vector<32xi16>) -> vector<16xi32>   // mask: 1, 0, 1, 0, ...
    ```
  }];
  let options = [
    Option<"maxBits", "max-bits", "int64_t", /*default=*/"512",
           "the widest vector the target's pmaddwd takes (128, 256 or 512)">
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def InhibitorAffineVectorize
    : Pass<"inhibitor-affine-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Super-vectorize affine loops with one native vector per "
                "accumulator (the affine strategy of --inhibitor-to-llvm)";
  let description = [{
    Runs upstream's affine super-vectorizer (reductions included) with a 1-D
    virtual vector of `vector-bits / w` lanes, `w` the widest element type
    the function stores. Loop nests touching `i1` memory are not vectorized;
    any other loop nest left scalar is reported with a warning.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::vector::VectorDialect"
  ];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", "256",
           "Native vector width in bits">
  ];
}

def InhibitorPrefetchTiles
    : Pass<"inhibitor-prefetch-tiles", "::mlir::func::FuncOp"> {
  let summary = "Prefetch the next tile of a loop that streams tiles of "
                "memory, spread over the loop body's hottest inner loop";
  let description = [{
    Finds each `scf.for` whose body takes a `memref.subview` tile of a
    buffer defined outside the loop, at offsets that are loop-invariant or
    computed from the induction variable by pure ops of the body, with unit
    strides, a contiguous innermost dim, static sizes or sizes with a
    constant bound (a partial last tile, `min(M - j, 128)`), and at least
    `min-tile-bytes` bytes: a loop streaming through the buffer one tile
    per iteration, as the fused attention kernel's loop over key tiles
    does with K and V. In the innermost loop nest of the body with the most
    iterations (static trip counts or their bounds; one nest in each branch
    of an `scf.if` whose branches both hold one), it adds
    `memref.prefetch`es of the tile `distance` iterations ahead (the
    offsets' computation cloned for that induction variable, clamped to
    the last iteration's; a bounded tile's indices clamped to the buffer),
    one cache line after the other, spread evenly over that nest's
    iterations, so the next tile's memory is read while this tile is
    computed rather than when it is first touched. A loop that itself
    contains such a loop is left alone (only the innermost streams
    prefetch). Nor is a stream that an enclosing loop reads again (its
    address does not depend on one of that loop's induction variables with
    more than one iteration) when its loop reads at most `reuse-bytes` in
    all: from the second time on its tiles come from cache, and prefetching
    them again only evicts the tile in use from L1 (the fused kernel's K/V
    tiles, read once per query tile, up to 4096 keys of i16 at d = 64).
    Prefetches are hints: results never change. Runs on buffers.

    ```sh
    inhibitor-opt --pass-pipeline='builtin.module(func.func(inhibitor-prefetch-tiles{distance=1}))'
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
  let options = [
    Option<"distance", "distance", "int64_t", "1",
           "Prefetch the tile this many iterations ahead">,
    Option<"minTileBytes", "min-tile-bytes", "int64_t", "2048",
           "Smallest tile (in bytes) that is prefetched">,
    Option<"reuseBytes", "reuse-bytes", "int64_t", "1048576",
           "A loop streaming at most this many bytes in all (static trip "
           "count), whose tiles an enclosing loop reads again, is left "
           "alone: its tiles are in cache from the second time on">,
    Option<"locality", "locality", "int64_t", "3",
           "memref.prefetch locality hint, 0 (none) to 3 (keep in all "
           "cache levels)">,
    Option<"lineBytes", "line-bytes", "int64_t", "64",
           "Cache line size in bytes: one prefetch per line">
  ];
  let statistics = [
    Statistic<"numStreams", "num-streams", "Number of tile streams prefetched">,
    Statistic<"numSites", "num-sites",
              "Number of inner loops that issue prefetches">
  ];
}

def InhibitorSetTargetCPU
    : Pass<"inhibitor-set-target-cpu", "::mlir::ModuleOp"> {
  let summary = "Set the target CPU on every llvm.func";
  let description = [{
    Sets `target_cpu` on every `llvm.func` (the "target-cpu" function
    attribute of the LLVM IR, honoured by `llc` and the JIT). `host` is the
    CPU of the machine that runs the pass. A named x86 CPU also sets
    `target_features` to that CPU's features (LLVM's list): LLVM takes a
    function's features from that attribute where it has one and from the
    target machine otherwise, so a named CPU's code compiled on a newer host
    (clang `-march=native`, a JIT) would otherwise use the host's
    instructions too (Zen 3 code with AVX-512 on a Zen 5 host). `host` and
    CPUs LLVM's x86 list does not know keep the target machine's features.
  }];
  let options = [
    Option<"cpu", "cpu", "std::string", "\"host\"",
           "Target CPU name ('host' = this machine's)">
  ];
}

//===----------------------------------------------------------------------===//
// CPU and GPU host code
//===----------------------------------------------------------------------===//

def InhibitorLegalizeForLLVM : Pass<"inhibitor-legalize-for-llvm"> {
  let summary = "Prepare arith/math on vectors for MLIR 22's LLVM conversions";
  let description = [{
    Unrolls `math.absi` on n-D vectors into 1-D ones (which become
    `llvm.intr.abs`) and expands `arith.floordivsi`/`ceildivsi`, keeping
    `maxsi`/`minsi` whole (unlike `arith-expand`), so they become
    `llvm.intr.smax`/`smin`. A `memref.copy` that upstream's
    `finalize-memref-to-llvm` would lower to a call of `memrefCopy` (from
    `libmlir_c_runner_utils`, which a kernel compiled ahead of time does not
    link: a layout that is neither the identity nor static and contiguous)
    becomes a loop nest of loads and stores.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
  let options = [
    Option<"approximateMath", "approximate-math", "bool", "false",
           "Rewrite f32 math.exp/log/tanh/erf... into upstream's polynomial "
           "approximations (populateMathPolynomialApproximationPatterns)">
  ];
}

//===----------------------------------------------------------------------===//
// GPU
//===----------------------------------------------------------------------===//

def InhibitorGPUTileAndDistribute
    : Pass<"inhibitor-gpu-tile-and-distribute", "::mlir::func::FuncOp"> {
  let summary = "Distribute linalg ops on buffers over a grid of thread "
                "blocks (scf.parallel), staging shared inputs in shared "
                "memory (the loop step of --inhibitor-to-gpu)";
  let description = [{
    Prepares buffer-level `linalg` ops for `gpu-map-parallel-loops` and
    `convert-parallel-loops-to-gpu`: reductions are interchanged innermost,
    each op becomes an `scf.parallel` of one thread per output element
    around `scf.for` reductions whose accumulator stays in a register, and
    the parallel loops are tiled into thread blocks of `tile-sizes` =
    (rows, cols). With `shared-memory`, contraction-like reductions are
    staged instead: per block, chunks of `reduction-tile` are copied
    cooperatively into tiles (sibling thread-level `scf.forall` loops mapped
    to `#gpu.thread<y>, #gpu.thread<x>`), then every thread accumulates from
    them. See docs/GPU.md for the loop nest and its bank-conflict padding.

    ```sh
    inhibitor-opt --pass-pipeline='builtin.module(func.func(inhibitor-gpu-tile-and-distribute{tile-sizes=4,16 reduction-tile=8}))'
    ```
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
  let options = [
    ListOption<"tileSizes", "tile-sizes", "int64_t",
               "Thread block shape (rows, cols) on the two innermost "
               "parallel loops (default 8, 32)">,
    Option<"sharedMemory", "shared-memory", "bool", "true",
           "Stage the inputs of contraction-like reductions through "
           "per-block tiles (GPU shared memory)">,
    Option<"reductionTile", "reduction-tile", "int64_t", "32",
           "Chunk of the reduction loop staged at a time">,
    Option<"workgroupMemory", "workgroup-memory", "bool", "true",
           "Allocate the staged tiles in #gpu.address_space<workgroup>; "
           "false keeps the default memory space (to run on a CPU)">
  ];
  let statistics = [
    Statistic<"numPromoted", "num-promoted",
              "Number of reduction accumulators kept in registers">,
    Statistic<"numStaged", "num-staged",
              "Number of reductions staged through shared-memory tiles">
  ];
}

def InhibitorGPUMapThreads
    : Pass<"inhibitor-gpu-map-threads", "::mlir::func::FuncOp"> {
  let summary = "Map the thread-level scf.forall loops inside gpu.launch "
                "ops to threads, with barriers, and their workgroup tiles "
                "to workgroup attributions";
  let description = [{
    Runs after `convert-parallel-loops-to-gpu` on the staged kernels of
    `inhibitor-gpu-tile-and-distribute`. In each `gpu.launch` holding
    `scf.forall` loops mapped to `#gpu.thread<...>`: sets the block size to
    their trip counts, maps them with upstream `mapNestedForallToThreadsImpl`
    (a `gpu.barrier` after each; a barrier under thread-dependent control
    flow is an error), and turns workgroup `memref.alloca`s into workgroup
    attributions.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::memref::MemRefDialect"];
}

def InhibitorGPUHostMemory
    : Pass<"inhibitor-gpu-host-memory", "::mlir::ModuleOp"> {
  let summary = "Host buffers to GPU-accessible (managed) memory";
  let description = [{
    After kernel outlining, in every function outside `gpu.module`s:
    `memref.alloc` becomes `gpu.alloc host_shared`, `memref.dealloc` becomes
    `gpu.dealloc` (waited for at once), and each `memref.get_global` is
    copied into a managed buffer. Rejects thread loops and workgroup
    allocations left in host code.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::memref::MemRefDialect"];
}

def InhibitorLegalizeForNVVM : Pass<"inhibitor-legalize-for-nvvm"> {
  let summary = "Rewrite math ops that convert-gpu-to-nvvm would turn into "
                "libdevice calls";
  let description = [{
    `math.absi(x)` becomes `maxsi(x, 0 - x)` (wrapping at the minimum value
    as `absi` does) and `math.absf(x)` clears the sign bit through an
    integer bitcast, so kernels never depend on libdevice, which
    `gpu-module-to-binary` links only where it finds the CUDA toolkit.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def InhibitorInsertRuntimeChecks
    : Pass<"inhibitor-insert-runtime-checks", "::mlir::ModuleOp"> {
  let summary = "Check at run time the operand sizes that the types leave "
                "open";
  let description = [{
    Before each `inhibitor.manhattan_score`, `inhibitor.inhibit` and
    `inhibitor.attention`, compares every pair of sizes the op requires to
    be equal (batch dims of all operands, D of Q and K, M of K and V or of
    Z and V, N and E of the destination, each mask dim that is not a static
    1 with its score dim) wherever one of the two is dynamic; the verifier
    has already proved the static pairs. A mismatch prints

        inhibitor run-time check failed: inhibitor.manhattan_score at
        file.mlir:3:8: D of query (100000) != D of key (8)

    on stderr (`dprintf(2, ...)`, declared in the module; libc only) and
    stops the program through `cf.assert` (`abort()` once lowered), instead
    of reading past the end of a buffer. `--inhibitor-to-llvm` and
    `--inhibitor-to-gpu` run it first unless `runtime-checks=false`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::cf::ControlFlowDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
  let statistics = [
    Statistic<"numChecks", "num-checks", "Number of size checks inserted">
  ];
}

def InhibitorCheckAllocations
    : Pass<"inhibitor-check-allocations", "::mlir::ModuleOp"> {
  let summary = "Report failed heap allocations instead of crashing";
  let description = [{
    After each `memref.alloc` of host code (not in a `gpu.module`), checks
    that the allocation did not fail (a null pointer for a non-empty
    buffer). A failure prints

        inhibitor run-time check failed: allocation of 17179869184 bytes
        (memref<?x?xi32>) at file.mlir:5:10 failed

    on stderr and stops the program (`cf.assert`), instead of writing
    through a null pointer (a segfault, or worse). `--inhibitor-to-llvm`
    runs it after bufferization unless `runtime-checks=false`. Runs on
    memrefs, after bufferization and deallocation.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::cf::ControlFlowDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
  let statistics = [
    Statistic<"numChecks", "num-checks", "Number of allocation checks inserted">
  ];
}

def InhibitorInlineAllocaScopes : Pass<"inhibitor-inline-alloca-scopes"> {
  let summary = "Inline memref.alloca_scope ops that allocate nothing on the "
                "stack, calls included";
  let description = [{
    `convert-scf-to-openmp` wraps the body of each parallel loop in a
    `memref.alloca_scope`, whose region must stay one block, so that
    `convert-scf-to-cf` cannot lower the loops inside it. Upstream's
    canonicalization inlines a scope whose body allocates nothing on the
    stack, but counts every op of unknown memory effects as a possible
    allocation, a `func.call` too: such as the call to `dealloc_helper` that
    `bufferization-lower-deallocations` emits where the ownership of a
    buffer yielded by an `scf.if` is known only at run time (a causal
    kernel's peeled key tile with `key-splits` and `threads`). A callee's
    stack allocations end when it returns, so a call extends no lifetime in
    the caller's scope. This pass inlines every scope whose body (outside
    nested allocation scopes) holds no op that allocates on the stack (an
    `Allocate` effect on the automatic allocation scope) and no op of
    unknown effects other than calls. A scope with a `memref.alloca` is left
    as it is. `--inhibitor-to-llvm` runs it after `convert-scf-to-openmp`.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
  let statistics = [
    Statistic<"numInlined", "num-inlined", "Number of alloca scopes inlined">
  ];
}

def InhibitorHoistLoopInvariantSubsets
    : Pass<"inhibitor-hoist-loop-invariant-subsets"> {
  let summary = "Upstream's loop-invariant subset hoisting, without the "
                "subset comparisons of loops it cannot hoist from";
  let description = [{
    Upstream's `--loop-invariant-subset-hoisting` walks, for each region
    iter_arg of each loop (innermost first), the use-def chain from the
    iter_arg to the loop's yield, and compares every subset op it meets
    with the ones met before (`SubsetOpInterface::operatesOnEquivalentSubset`,
    through `ValueBoundsConstraintSet`) while it walks, before it knows
    whether the chain qualifies at all. A chain that an `scf.if` splits
    (the full and the partial tile of `peel-tiles=split`: an extract and an
    insert in each branch) never does, and its comparisons of a dynamic
    tile size (`affine.min(N - i, 16)`) with a static one went to the
    Presburger solver: 5.4 of the 9.4 s of `--inhibitor-to-llvm` for a
    dynamic grouped-heads i8 kernel.

    This pass walks the loops in upstream's order and calls upstream's
    `hoistLoopInvariantSubsets` on every loop that has at least one iter_arg
    whose chain passes upstream's structural test (the same walk with
    nothing compared: the same uses, nested loops, insertion ops used as
    destinations, one path to the tied yield operand); it skips the loops
    that have none, from which upstream hoists nothing. The result is the
    IR that upstream's pass makes (`test/Codegen/Common/hoist-subsets.mlir`
    diffs the two; docs/Codegen.md compares whole test suites' kernels).
    `--inhibitor-to-llvm` runs it in place of upstream's pass.
  }];
  let statistics = [
    Statistic<"numSkipped", "num-skipped",
              "Number of loops skipped (no iter_arg upstream can hoist from)">
  ];
}

#endif // INHIBITOR_CODEGEN_PASSES_TD
