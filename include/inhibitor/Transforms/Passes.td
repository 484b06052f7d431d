//===- Passes.td - Inhibitor within-dialect passes ---------*- tablegen -*-===//

#ifndef INHIBITOR_TRANSFORMS_PASSES_TD
#define INHIBITOR_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def InhibitorDecompose : Pass<"inhibitor-decompose"> {
  let summary = "Split unmasked inhibitor.attention into manhattan_score + "
                "inhibit";
  let description = [{
    Rewrites each `inhibitor.attention` without a `mask` operand and without
    `causal` into `inhibitor.manhattan_score` followed by `inhibitor.inhibit`,
    both in the attention's accumulator type (bit-exact). It uses the op's
    `AggregatedOpInterface::decomposeOperation`, so upstream's
    `transform.structured.decompose_interface` does the same. Masked
    attention cannot be expressed by the two parts and is left as it is.
    The canonicalizer performs the inverse fold.
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
  let statistics = [
    Statistic<"numDecomposed", "num-decomposed",
              "Number of attention ops decomposed">
  ];
}

def InhibitorQuantize : Pass<"inhibitor-quantize"> {
  let summary = "Float inhibitor ops to integer ones between quantize and "
                "dequantize, one scale per op, with an error bound";
  let description = [{
    Rewrites every `inhibitor.attention`, `inhibitor.manhattan_score` and
    `inhibitor.inhibit` with a float accumulator into the same op on
    `bits`-bit integers (`i8` or `i16` Q, K, V) with an integer
    accumulator, between elementwise `linalg.generic` ops that quantize the
    float inputs and dequantize the result back to the op's float type.
    Integer ops are left alone. The ops are positively homogeneous (scaling
    Q, K, V and alpha by s > 0 scales Z and H by s), so one scale per op
    loses only rounding:

    - `s` (the scale): one integer unit of V, Z, H and alpha, from the
      op's `inhibitor.quant_scale` attribute (an `f64`, e.g. written by a
      calibration), else the `scale` option; an op with neither is an
      error. `H = s * H_int`.
    - `t` (the Q/K step): scaling Q, K and gamma by the same factor leaves
      Z unchanged, so gamma becomes the integer `g = floor(gamma * s / t0)`
      (at least 1) for the wanted step `t0` (`inhibitor.quant_qk_scale`,
      else `qk-scale`, else `s`), and Q, K are quantized with
      `t = gamma * s / g >= t0` (the calibrated range never saturates).
      Where `gamma * s / t0 < 1` the pass warns: `t = gamma * s` is then
      finer than wanted and large Q, K saturate.
    - `alpha_int = round(alpha / s)`; the integer score divides by `g`
      with floor division, exactly as SPEC section 2 defines it.

    Quantizing is `clamp(round(x / step), -qmax, qmax)` with
    `qmax = 2^(bits-1) - 1`, computed in f32 (f64 for an f64 op), with the
    `rounding` mode: `nearest` (ties to even, `math.roundeven`),
    `nearest-away` (`math.round`), `floor`, `toward-zero`.

    The accumulator is `acc-bits` wide, or with `acc-bits=0` (default) the
    narrowest of i16, i32, i64 that holds every intermediate for the static
    sizes (`2 qmax D` for the score's sum, `M qmax` for H); i32 where D or M
    is dynamic. An explicit width that static sizes prove too narrow is an
    error.

    Error bound, in units of s, for inputs within the calibrated range (no
    saturation), with `r` the rounding bound of one element (1/2 for the
    nearest modes, 1 otherwise, plus `2 qmax u` for the float rounding of
    `x / step` in the compute type with unit roundoff `u`) and
    `e_a = |alpha / s - alpha_int|`:

    ```
    |Z_int - Z / s| <= e_a + (2 r D + g - 1) / g                 (score)
    |H_int - H / s| <= M (r + e_a + (2 r D + g - 1) / g)         (attention)
    |H_int - H / s| <= 2 r M                                      (inhibit)
    ```

    For static D and M the integer op carries the bound as
    `inhibitor.quant_error_bound` (units of s) next to
    `inhibitor.quant_scale` and `inhibitor.quant_qk_scale`.
    docs/Quantization.md derives it. NaN inputs quantize to `-qmax`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
  let options = [
    Option<"bits", "bits", "unsigned", "8",
           "Width of the integer Q, K and V: 8 or 16">,
    Option<"accBits", "acc-bits", "unsigned", "0",
           "Accumulator width: 16, 32 or 64; 0 = the narrowest the static "
           "sizes prove exact (i32 for dynamic ones)">,
    Option<"scale", "scale", "double", "0.0",
           "Scale s of ops without an inhibitor.quant_scale attribute (0: "
           "none, such an op is an error)">,
    Option<"qkScale", "qk-scale", "double", "0.0",
           "Wanted Q/K step of ops without an inhibitor.quant_qk_scale "
           "attribute (0: the scale)">,
    Option<"rounding", "rounding", "std::string", "\"nearest\"",
           "Rounding of x / step: nearest (ties to even), nearest-away, "
           "floor or toward-zero">
  ];
  let statistics = [
    Statistic<"numQuantized", "num-quantized", "Number of ops quantized">
  ];
}

def InhibitorTileAndVectorize
    : Pass<"inhibitor-tile-and-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Tile linalg ops on tensors with scf.for and vectorize the "
                "tiles (the CPU strategy of --inhibitor-to-llvm)";
  let description = [{
    Tiles every `linalg` op on tensors in the function through its
    `TilingInterface` (`scf::tileUsingSCF`) and vectorizes each tile with the
    upstream linalg vectorizer (`linalg::vectorize`), masked where a tile is
    partial or a dim is dynamic, so odd and dynamic sizes still run on
    vectors.

    Loops are tiled as follows: batch loops by 1; the last three loops
    (rows, middle, inner) by `tile-sizes`, where an inner size of 0 means one
    native vector: `vector-bits` divided by the bit width of the op's
    accumulator (e.g. 16 lanes of i16 on AVX2). All-parallel ops of rank
    two or more are tiled by 1 except the inner loop. Matmul-like
    contractions (multiply-add body, the only reduction innermost after two
    parallel loops, the output columns read contiguously by every operand)
    are tiled (rows, inner, 1) instead: each reduction step is a rank-1
    update of the [rows, inner] accumulator tile, vectorized after dropping
    the tile's unit dims as a broadcast multiply-add (float ones marked
    `fastmath<contract>` so LLVM may fuse them, as upstream's
    `vector.outerproduct` lowering does). Tiles are clamped to
    static loop sizes. An op the vectorizer rejects stays scalar and is
    reported with a remark. Ops with `i1` tensor operands stay scalar
    silently: LLVM stores vectors of `i1` bit-packed while a memref of `i1`
    holds a byte per element, so vector loads and stores of them would read
    and write the wrong bits (the inhibitor lowering widens masks to `i8`
    first for this reason).
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect", "::mlir::vector::VectorDialect"
  ];
  let options = [
    ListOption<"tileSizes", "tile-sizes", "int64_t",
               "Tile sizes of the (rows, middle, inner) loops; inner 0 = "
               "one native vector">,
    Option<"vectorBits", "vector-bits", "int64_t", "256",
           "Native vector width in bits (256 for AVX2, 512 for AVX-512)">
  ];
  let statistics = [
    Statistic<"numVectorized", "num-vectorized", "Number of tiles vectorized">,
    Statistic<"numScalar", "num-scalar", "Number of ops left scalar">
  ];
}

def InhibitorDecomposeAggregates : Pass<"inhibitor-decompose-aggregates"> {
  let summary = "Decompose upstream aggregate linalg ops (linalg.softmax) "
                "through AggregatedOpInterface";
  let description = [{
    Replaces every op implementing `linalg::AggregatedOpInterface` other than
    `inhibitor.attention` (e.g. `linalg.softmax`, which has no lowering of
    its own) by the ops its `decomposeOperation` returns, so that upstream
    tensor-level code (a dot-product attention next to inhibitor ops) goes
    through `--inhibitor-to-llvm` too. With `approximate-math`,
    `--inhibitor-legalize-for-llvm` then also rewrites f32 `math.exp` and
    friends into upstream's polynomial approximations.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
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

    (iteration space `(b..., i, j, k)`, only `k` a reduction, Q and K of
    `i8`, Z of an integer type of 16 bits or more: the score that
    `convert-inhibitor-to-linalg{sad-score}` emits for `i8` data, on bytes
    offset by 128) into `scf.for` loops over `b...`, the queries `i` and the
    keys `j` in groups of `G = vector-bits / 64`. For each query and group,
    the row of D bytes is taken `vector-bits / 8` bytes at a time; the inner
    step is x86 psadbw's semantics in portable vector ops: the absolute
    differences of the `8 G` bytes of a query and a key (widened to `i16`,
    `math.absi`), summed over each 8 lanes (`vector.shape_cast` to `G x 8`,
    `vector.multi_reduction`) into `vector<G x i64>`. The partial sums of the
    group's keys are then combined by shuffles and adds into one vector
    whose lane `g` is the exact sum for key `j + g` (no scalar horizontal
    reduction), truncated to Z's type (its wrapping sum modulo its width,
    bit-exact) and added into Z with one masked vector write.

    A static D of at most 8 vectors is unrolled (the query's bytes are read
    once per query); any other D loops over chunks. Reads past D pad both
    operands with 0, which adds nothing; a partial group of keys recomputes
    the last key and writes only the lanes of existing keys, so odd and
    dynamic sizes need no scalar remainder. `--inhibitor-x86-psadbw` turns
    the inner step into the instruction; `--inhibitor-to-llvm` runs both
    passes for x86 targets only (elsewhere the 8-lane sums lower to slow
    element-wise code, and the generic vectorizer does better).
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

    on `x, y : vector<8G x i8>` with the result `vector<G x i64>` (the sums of
    `|x - y|` over each 8 lanes, unsigned bytes) by one call
    (`llvm.call_intrinsic`) of `llvm.x86.sse2.psad.bw` (G = 2),
    `llvm.x86.avx2.psad.bw` (G = 4) or `llvm.x86.avx512.psad.bw.512`
    (G = 8, AVX-512BW), which compute exactly that. The target must have
    the instruction (`--inhibitor-to-llvm` checks its target CPU). It runs
    on buffers, after deallocation: the ownership-based deallocation rejects
    ops with unknown memory effects such as intrinsic calls.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def InhibitorLegalizeForLLVM : Pass<"inhibitor-legalize-for-llvm"> {
  let summary = "Prepare arith/math on vectors for MLIR 22's LLVM conversions";
  let description = [{
    Rewrites what the upstream LLVM conversions of MLIR 22 do not lower, or
    lower badly, keeping everything else as it is:

    - `math.absi` on n-D vectors (no lowering upstream; `absf` has one) is
      unrolled into 1-D `math.absi`, which becomes `llvm.intr.abs`
      (`vpabsw` and friends);
    - `arith.floordivsi` / `arith.ceildivsi` are expanded into arith ops
      (`arith::populateCeilFloorDivExpandOpsPatterns`). Unlike the
      `arith-expand` pass, `maxsi`/`minsi` stay whole, so they become
      `llvm.intr.smax`/`smin` (`vpmaxsw`/`vpminsw`) rather than compare and
      select.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::vector::VectorDialect"];
  let options = [
    Option<"approximateMath", "approximate-math", "bool", "false",
           "Rewrite f32 math.exp/log/tanh/erf... into upstream's polynomial "
           "approximations (populateMathPolynomialApproximationPatterns)">
  ];
}

def InhibitorAffineVectorize
    : Pass<"inhibitor-affine-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Super-vectorize affine loops with one native vector per "
                "accumulator (the affine strategy of --inhibitor-to-llvm)";
  let description = [{
    Runs upstream's affine super-vectorizer (`affine::vectorizeAffineLoops`,
    reductions included) on every function with a 1-D virtual vector of
    `vector-bits / w` lanes, where `w` is the widest element type the
    function stores (16 lanes of i16, 8 of i32 on AVX2). Partial vectors at
    odd or dynamic trip counts are handled by the vector transfers'
    out-of-bounds semantics, not by scalar remainder loops.

    Loop nests that touch `i1` memory are not vectorized (LLVM stores vectors
    of `i1` bit-packed, memrefs a byte per element). Any other loop nest that
    stays scalar is reported with a warning, so the strategy never falls
    back to scalar code silently.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::vector::VectorDialect"
  ];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", "256",
           "Native vector width in bits">
  ];
}

def InhibitorSetTargetCpu
    : Pass<"inhibitor-set-target-cpu", "::mlir::ModuleOp"> {
  let summary = "Set the target CPU on every llvm.func";
  let description = [{
    Sets the `target_cpu` attribute of every `llvm.func` in the module (it
    becomes the "target-cpu" function attribute of the LLVM IR, which `llc`
    and the JIT honour). `host` resolves to the CPU of the machine that runs
    the pass.
  }];
  let options = [
    Option<"cpu", "cpu", "std::string", "\"host\"",
           "Target CPU name ('host' = this machine's)">
  ];
}

def InhibitorTileForGPU
    : Pass<"inhibitor-tile-for-gpu", "::mlir::func::FuncOp"> {
  let summary = "Lower linalg ops on buffers to tiled scf.parallel loop "
                "nests ready for GPU mapping (the loop step of "
                "--inhibitor-to-gpu)";
  let description = [{
    Prepares buffer-level `linalg` ops for `gpu-map-parallel-loops` and
    `convert-parallel-loops-to-gpu`:

    1. every `linalg.generic` is interchanged so that its reduction loops
       are innermost (the inhibition reduces over keys `j`, which sits
       between the rows `i` and the value columns `e`): each GPU thread
       then owns one output element and runs the whole reduction;
    2. every linalg op becomes an `scf.parallel` over its parallel loops
       around `scf.for` reductions (`linalg::linalgOpToParallelLoops`);
    3. a reduction that loads and stores one loop-invariant element of the
       output in every iteration keeps it in a register instead
       (`scf.for` iter_args), so the sum never goes through global memory;
    4. each outermost `scf.parallel` is tiled (`scf::tileParallelLoop`) by
       `tile-sizes` = (rows, cols) on its two innermost loops and by 1 on
       the others: the outer loop becomes the grid, the inner one the
       thread block of `rows * cols` threads, with `cols` on the contiguous
       (coalesced) dim.

    With `shared-memory` (the default), a contraction-like `linalg.generic`
    (parallel loops, one reduction loop, at least one input that all
    threads of a block share along `rows` or `cols`: Q and K of the score,
    V, Z and the mask of the inhibition) is not lowered by steps 2-4 but
    staged through per-block tiles:

    ```
    scf.parallel (batch..., i0, j0) step (1..., rows, cols) {  // grid
      %acc = memref.alloca() : memref<rows x cols x acc>  // + input tiles
      scf.forall (ty, tx) in (rows, cols)   // acc[ty,tx] = out[..]
      scf.for %r0 = 0 to R step reduction-tile {
        scf.forall (ty, tx) in (rows, cols) // cooperative copy of tiles
        scf.forall (ty, tx) in (rows, cols) // acc[ty,tx] += body(tiles)
      }
      scf.forall (ty, tx) in (rows, cols)   // out[..] = acc[ty,tx]
    }
    ```

    The thread loops are `scf.forall` with `#gpu.thread<y>, #gpu.thread<x>`
    mapping, siblings in program order: on a GPU
    (`inhibitor-gpu-map-threads`) each becomes the block's threads followed
    by a `gpu.barrier`; run sequentially (on a CPU) the loop order gives the
    same synchronization, so the staged algorithm can be executed and
    checked without a GPU. Threads beyond the loop bounds are guarded inside
    each thread loop (`scf.if`) and still reach every barrier. Tiles live in
    `#gpu.address_space<workgroup>` (`workgroup-memory=true`, stack
    allocations per block) or, for host emulation, in the default memory
    space (`memref.alloc`/`dealloc` per block).
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
    `inhibitor-tile-for-gpu` (`shared-memory=true`), whose grid-level
    `scf.parallel` became a `gpu.launch` with one thread per block. In each
    `gpu.launch` that contains `scf.forall` loops mapped to
    `#gpu.thread<...>`:

    - the launch's block size is set to the loops' (static) trip counts;
    - every such loop is mapped to the thread ids by upstream
      `mapNestedForallToThreadsImpl` (the implementation of
      `transform.gpu.map_nested_forall_to_threads`), which inserts a
      `gpu.barrier` after each (`sync_after_distribute`): the loops are
      siblings in the launch body or in uniform `scf.for` loops, so every
      barrier is reached by all threads of the block (checked: a barrier
      enclosed by anything but `scf.for` loops whose bounds do not depend
      on the thread ids is an error);
    - every `memref.alloca` in `#gpu.address_space<workgroup>` becomes a
      workgroup attribution of the launch (after kernel outlining, a
      workgroup attribution of the `gpu.func`: a `.shared` array in PTX).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::memref::MemRefDialect"];
}

def InhibitorGPUHostMemory
    : Pass<"inhibitor-gpu-host-memory", "::mlir::ModuleOp"> {
  let summary = "Host buffers to GPU-accessible (managed) memory";
  let description = [{
    After kernel outlining, host code still allocates its buffers with
    `memref.alloc` and reads constants from `memref.get_global`: memory the
    GPU cannot read. This pass, on every function outside `gpu.module`s:

    - turns `memref.alloc` into `gpu.alloc host_shared` (CUDA managed
      memory: the same pointer is valid on the host, which prints and
      copies results, and on the device, which computes them);
    - turns `memref.dealloc` into `gpu.dealloc` on a fresh stream, waited
      for at once;
    - copies each `memref.get_global` (constants) into a managed buffer,
      freed before the function returns when the global is read in the
      function's entry block.

    Kernels launched synchronously (the default of `gpu.launch_func`
    without async tokens) leave results visible to the host.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::memref::MemRefDialect"];
}

def InhibitorLegalizeForNVVM : Pass<"inhibitor-legalize-for-nvvm"> {
  let summary = "Rewrite math ops that convert-gpu-to-nvvm would turn into "
                "libdevice calls";
  let description = [{
    `convert-gpu-to-nvvm` lowers `math.absi` and `math.absf` to calls of
    libdevice (`__nv_abs`, `__nv_fabsf`, ...), which `gpu-module-to-binary`
    links only where it finds the CUDA toolkit: elsewhere the PTX keeps
    unresolved calls and fails to load. This pass rewrites them into `arith`
    with the same results, so kernels never depend on libdevice:

    - `math.absi(x)` to `maxsi(x, 0 - x)` (wraps at the minimum value exactly
      as `absi` does);
    - `math.absf(x)` to clearing the sign bit through an integer bitcast
      (exact for zeros, infinities and NaNs).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

#endif // INHIBITOR_TRANSFORMS_PASSES_TD
