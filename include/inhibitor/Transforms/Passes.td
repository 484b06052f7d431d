//===- Passes.td - Inhibitor within-dialect passes ---------*- tablegen -*-===//

#ifndef INHIBITOR_TRANSFORMS_PASSES_TD
#define INHIBITOR_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def InhibitorDecompose : Pass<"inhibitor-decompose"> {
  let summary = "Decompose aggregate ops (inhibitor.attention by default) "
                "through AggregatedOpInterface";
  let description = [{
    Replaces each op whose name is in `ops` and that implements
    `linalg::AggregatedOpInterface` by the ops its `decomposeOperation`
    returns, as upstream's `transform.structured.decompose_interface` does.

    - `inhibitor.attention` without `mask` and `causal` becomes
      `inhibitor.manhattan_score` followed by `inhibitor.inhibit` in the
      attention's accumulator type (bit-exact). Masked attention has no such
      parts and is left as it is. The canonicalizer folds the parts back.
    - Upstream aggregates such as `linalg.softmax` (which has no lowering
      pass of its own) become their upstream decompositions; one that
      cannot be decomposed is an error. `--inhibitor-to-llvm` runs
      `inhibitor-decompose{ops=linalg.softmax}` so that a dot-product
      attention next to inhibitor ops compiles too.

    ```sh
    inhibitor-opt --inhibitor-decompose                       # inhibitor.attention
    inhibitor-opt --inhibitor-decompose='ops=linalg.softmax'  # upstream softmax
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
  let options = [
    ListOption<"opNames", "ops", "std::string",
               "Names of the ops to decompose (default: inhibitor.attention)">
  ];
  let statistics = [
    Statistic<"numDecomposed", "num-decomposed", "Number of ops decomposed">
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

    Error bound, in units of s, for inputs within `qmax` steps (no
    saturation; an input beyond adds its excess to `r`), with `r` the
    rounding bound of one element (1/2 for the
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

def InhibitorApproximateFilter : Pass<"inhibitor-approximate-filter"> {
  let summary = "LATTE-style approximate key filter (opt-in, changes "
                "results): drop the pairs whose low-precision score exceeds "
                "a per-head threshold";
  let description = [{
    Rewrites each `inhibitor.attention` that carries
    `inhibitor.approx_thresholds` (one threshold for all heads, or one per
    head of batch dim `inhibitor.approx_head_dim`, default 0:
    `array<i64: ...>` for an integer accumulator, `array<f64: ...>` for a
    float one) and optionally `inhibitor.approx_shift` (low bits dropped,
    default 0) into existing ops:
    Q and K on the coarse grid (integers `x >> shift`, narrowed; floats
    `floor(x * 2^-shift)`), their `inhibitor.manhattan_score` `S'` in an
    accumulator that cannot wrap, a `linalg.generic` keeping a pair iff
    `2^shift S' <= T[h]` (floats: unless `>`, so NaN is kept) AND-ed with the
    op's mask, and the attention with that mask (the attributes removed).
    A dropped pair contributes nothing, even where it would have: the
    result is approximate. The score ignores gamma, alpha and the bias.
    Bad attributes are errors. docs/KeySkipping.md has the semantics, the
    calibration (`inhibitor.nn.calibrate_filter`) and the measured accuracy.

    ```mlir
    %h = inhibitor.attention signed {inhibitor.approx_thresholds =
             array<i64: 900, 1200>, inhibitor.approx_shift = 4 : i64}
           ins(%q, %k, %v : tensor<2x8x16xi8>, tensor<2x8x16xi8>,
                            tensor<2x8x16xi8>)
           outs(%init : tensor<2x8x16xi16>) -> tensor<2x8x16xi16>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
  let statistics = [
    Statistic<"numFiltered", "num-filtered",
              "Number of attention ops given an approximate filter">
  ];
}

def InhibitorTile : Pass<"inhibitor-tile"> {
  let summary = "Tile the inhibitor ops through their TilingInterface "
                "(scf::tileUsingSCF), tile sizes given by role";
  let description = [{
    Tiles every `inhibitor.manhattan_score`, `inhibitor.inhibit` and
    `inhibitor.attention` with upstream `scf::tileUsingSCF`, as
    `transform.structured.tile_using_for` / `_forall` would, but with the
    tile sizes named by what they tile, so that one invocation fits ops of
    any rank: batch dims, queries (N), value columns (E) and keys (M, the
    inhibition's reduction; for `manhattan_score` a parallel dim). 0 leaves
    a dim whole. Tiling the keys of `inhibit`/`attention` runs them in an
    `scf.for` that adds the partial results (integers stay bit-exact);
    `loop=forall` tiles only the parallel dims and rejects `key-tile`.
    `key-splits=S` instead splits the keys of `inhibit`/`attention` into S
    parts computed in parallel (`scf.forall`, the ops'
    `PartialReductionOpInterface`) whose partial results are added by a
    `linalg.reduce`: the inhibition is a plain sum over keys.
    docs/Tiling.md has the iteration domains and a transform script.

    ```sh
    inhibitor-opt --inhibitor-tile='batch-tile=1 query-tile=32 key-tile=128'
    inhibitor-opt --inhibitor-tile='key-splits=8'
    ```
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
  let options = [
    Option<"batchTile", "batch-tile", "int64_t", "0",
           "Tile size of every batch dim (0: whole)">,
    Option<"queryTile", "query-tile", "int64_t", "0",
           "Tile size of the query dim N (0: whole)">,
    Option<"valueTile", "value-tile", "int64_t", "0",
           "Tile size of the value dim E of inhibit/attention (0: whole)">,
    Option<"keyTile", "key-tile", "int64_t", "0",
           "Tile size of the key dim M (0: whole)">,
    Option<"loop", "loop", "std::string", "\"for\"",
           "Loops: for (scf.for) or forall (scf.forall, parallel dims only)">,
    Option<"keySplits", "key-splits", "int64_t", "0",
           "Split the keys of inhibit/attention into this many parts, "
           "computed in an scf.forall and added afterwards (decode: few "
           "queries, many keys); 0: none. Excludes the other tile sizes">
  ];
  let statistics = [
    Statistic<"numTiled", "num-tiled", "Number of ops tiled">
  ];
}

def InhibitorPackKeys : Pass<"inhibitor-pack-keys"> {
  let summary = "Give each inhibitor.attention its keys prepared once "
                "(key_tiles: K packed tile by tile with linalg.pack; "
                "biased_keys: i8 K xor 0x80)";
  let description = [{
    Adds `key_tiles` to every `inhibitor.attention` that has none: K
    `[b..., M, D]` packed by upstream `linalg.pack` (inner tile `key-tile` on
    M, zero padding) into `[b..., ceil(M / key-tile), D, key-tile]`, each key
    tile's K^T one contiguous block. The result does not change. Run it
    before tiling the op through its `TilingInterface`
    (`--inhibitor-tile`, `transform.structured.tile_using_for`): each tile
    then reads its keys from the tiles prepared once per call instead of
    transposing its own slice of K in every query tile (docs/Tiling.md).
    `--inhibitor-lower-packs` (part of `--inhibitor-to-llvm`) lowers the
    packs; a lowering that reads K otherwise (the i8 byte score, decode's
    K as stored) leaves the pack unused, and it is erased.

    With `biased-keys` (the default) an op with `i8` keys and an integer
    accumulator of 16 bits or more (the domain of the byte score, x86
    `psadbw`) also gets `biased_keys`, K xor 0x80 in a `linalg.generic`,
    when it has none: the byte score's tiles then read K biased once per
    call instead of biasing their slice of K in every query tile. A
    lowering that does not use the byte score leaves it unused, and it is
    erased.

    ```sh
    inhibitor-opt --inhibitor-pack-keys='key-tile=128' --inhibitor-tile='batch-tile=1 query-tile=32 key-tile=128'
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
  let options = [
    Option<"keyTile", "key-tile", "int64_t", "128",
           "Keys per tile of key_tiles (> 0; tile the keys by multiples of "
           "it so that each key tile starts a tile of key_tiles)">,
    Option<"biasedKeys", "biased-keys", "bool", "true",
           "Also give ops with i8 keys and an integer accumulator of 16 bits "
           "or more biased_keys (K xor 0x80), which the i8 byte score reads">
  ];
  let statistics = [
    Statistic<"numPacked", "num-packed", "Number of ops given key_tiles">,
    Statistic<"numBiased", "num-biased", "Number of ops given biased_keys">
  ];
}

def InhibitorLowerPacks : Pass<"inhibitor-lower-packs"> {
  let summary = "Lower linalg.pack to pad + expand_shape + transpose "
                "(upstream linalg::lowerPack)";
  let description = [{
    Rewrites every `linalg.pack` with upstream `linalg::lowerPack`: a
    `tensor.pad` to whole tiles (none where they already are), a
    `tensor.expand_shape` and a `linalg.transpose`, which
    `--inhibitor-tile-and-vectorize` vectorizes as a blocked transpose in
    registers. `--inhibitor-to-llvm` runs it after the conversion to linalg,
    for the packs of `--inhibitor-pack-keys` that the kernels read. A pack
    that `lowerPack` does not take (dynamic inner tiles) is left as it is.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"
  ];
  let statistics = [
    Statistic<"numLowered", "num-lowered", "Number of linalg.pack lowered">
  ];
}

#endif // INHIBITOR_TRANSFORMS_PASSES_TD
