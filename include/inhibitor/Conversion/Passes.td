//===- Passes.td - Conversions out of and into inhibitor ---*- tablegen -*-===//

#ifndef INHIBITOR_CONVERSION_PASSES_TD
#define INHIBITOR_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertInhibitorToLinalg : Pass<"convert-inhibitor-to-linalg"> {
  let summary = "Lower inhibitor ops to linalg.generic on tensors";
  let description = [{
    Lowers every `inhibitor` op to `linalg` on tensors, computing in the
    accumulator type (integers wrap as `arith` does; bit-exact against
    `python/inhibitor/reference.py`): the score as a fill and one reduction
    generic over D (the `[N, M, D]` difference is never materialized) plus an
    elementwise `/ gamma - alpha - bias`, `max(., 0)` (the bias read through
    a broadcasting map); the inhibition as a fill and one generic reducing
    over M; `attention` as both, with the mask read through a broadcasting
    map and `causal` from `linalg.index`. Grouped heads (K/V with fewer heads
    than Q) are split into (key/value heads, group) dims by
    `tensor.expand_shape` first, so K/V are never repeated. Options pick
    the fused, tiled kernel for `attention` (`fuse-attention`), how K is read
    (`transpose-key`) and the i8 score as byte sums of absolute differences
    (`sad-score`) and exact skipping of extinguished keys in the fused
    kernel (`skip-keys`, docs/KeySkipping.md). How and why: docs/Lowering.md.

    ```sh
    inhibitor-opt --convert-inhibitor-to-linalg="fuse-attention query-tile=32 key-tile=128"
    inhibitor-opt --convert-inhibitor-to-linalg="fuse-attention skip-keys"
    ```
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect"
  ];
  let options = [
    Option<"transposeKey", "transpose-key", "bool", "true",
           "Materialize K^T for the score (keys in vector lanes on CPUs); "
           "false reads K through a transposed indexing map">,
    Option<"fuseAttention", "fuse-attention", "bool", "false",
           "Lower inhibitor.attention fused and tiled (Z one tile at a time)">,
    Option<"queryTile", "query-tile", "int64_t", "32",
           "fuse-attention: queries per tile">,
    Option<"keyTile", "key-tile", "int64_t", "128",
           "fuse-attention: keys per tile">,
    Option<"sadScore", "sad-score", "bool", "false",
           "Scores of i8 data in an integer accumulator of 16 bits or more "
           "as a byte sum of absolute differences (Q, K offset by 128, D "
           "innermost; the form of x86 psadbw)">,
    Option<"sadDimMultiple", "sad-dim-multiple", "int64_t", "0",
           "With sad-score: only scores whose static D is a multiple of this "
           "many bytes (0: any D, dynamic included)">,
    Option<"skipKeys", "skip-keys", "bool", "false",
           "fuse-attention: skip exactly the key tiles whose pairs are all "
           "extinguished (they add 0 to H), and stop summing an integer "
           "score tile once they all are; not provably exact: a remark and "
           "no skipping (docs/KeySkipping.md)">,
    Option<"skipChunk", "skip-chunk", "int64_t", "16",
           "skip-keys: D elements summed between two checks of an integer "
           "score tile (0: one check, after all of D; the i8 score as byte "
           "sums of absolute differences rounds it up to sad-dim-multiple)">,
    Option<"narrowTiles", "narrow-tiles", "bool", "true",
           "fuse-attention: with i8/i16 data and an i32/i64 accumulator, "
           "compute each key tile in i16 and widen its sum once, where a "
           "run-time check on max|Q|, max|K| and max|V| shows it exact, or "
           "without the check where the op's narrow_sums or 8-bit data with "
           "a static D <= 127 prove it (docs/Lowering.md); not with "
           "skip-keys, nor for fewer than 5 static queries of 16-bit data "
           "or 3 of 8-bit data">,
    Option<"splitDynamicQueries", "split-dynamic-queries", "bool", "true",
           "fuse-attention: an attention whose query count N is dynamic "
           "(and not bounded by query-tile) is lowered under an scf.if and "
           "an scf.index_switch: N = 1..4 as a static N (K read as stored), "
           "N <= query-tile as one query tile, both reading K and V once "
           "without a copy of K (decode as front ends emit it); the kernel "
           "as before otherwise. Grouped heads split off N = 1..4 only; not "
           "with skip-keys (docs/Tiling.md)">,
    Option<"keyCopyLimit", "key-copy-limit", "int64_t", "33554432",
           "fuse-attention: a copy of all of K (K^T, or K offset for the "
           "byte score) of this many bytes or more (glibc serves each with "
           "a fresh mmap whose pages fault in on every call) is not made "
           "where a static N has at most 16 query tiles: each query tile "
           "prepares its K tiles in the key loop (docs/Tiling.md); 0: no "
           "limit">
  ];
}

def InhibitorVersionNarrowSums : Pass<"inhibitor-version-narrow-sums"> {
  let summary = "Check once whether 16-bit partial sums are exact, before "
                "tiling: inhibitor.attention with narrow_sums under scf.if";
  let description = [{
    With i8/i16 data and an i32/i64 accumulator, the fused lowering
    (`--convert-inhibitor-to-linalg="fuse-attention"`) computes each key
    tile in i16 where a run-time check on max|Q|, max|K| and max|V| shows
    it exact. An op tiled through its `TilingInterface` before the lowering
    (`--inhibitor-tile`, a transform script) makes that check in every
    tile, on the tile's Q, K and V. This pass makes it once per op, on all
    of Q, K and V, and versions the op:
    `scf.if` (the check) `{ attention {narrow_sums = key-tile} } else
    { attention }`, so that tiling both ops leaves the check outside the
    tile loops (docs/Tiling.md).

    Likewise for i16 data under an i16 accumulator, whose fused lowering
    checks once per call that no `q - k` wraps (max|Q| + max|K| <= 32767)
    and then scores through `min(q, k)`: `scf.if` (that check) `{ attention
    {exact_differences} } else { attention }` (docs/Lowering.md).

    It leaves an op alone where the lowering has no narrow mode for it (no
    bias, gamma and alpha that fit in i16; `narrow-tiles` in
    `--convert-inhibitor-to-linalg`), where it needs no check (8-bit data
    with a static D of at most 127), where it already has `narrow_sums`
    (or `exact_differences`),
    and where N is dynamic or below `min-queries`: with few queries (decode)
    the lowering checks each key tile on the K and V tiles it reads anyway,
    and a check of all of K and V first is a second pass over them.

    ```sh
    inhibitor-opt --inhibitor-version-narrow-sums --inhibitor-tile='batch-tile=1 query-tile=32 key-tile=128'
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
  let options = [
    Option<"keyTile", "key-tile", "int64_t", "128",
           "Keys per tile that the check covers (the narrow_sums it sets; "
           "> 0): the lowering's key-tile, or key_tiles' tile, must not "
           "exceed it for the check to be skipped">,
    Option<"minQueries", "min-queries", "int64_t", "64",
           "Version only ops with a static N of at least this many queries">
  ];
  let statistics = [
    Statistic<"numVersioned", "num-versioned", "Number of ops versioned">
  ];
}

def ConvertAttentionToInhibitor : Pass<"convert-attention-to-inhibitor"> {
  let summary = "Replace dot-product attention by inhibitor attention "
                "(an architecture change, not an equivalence)";
  let description = [{
    Finds dot-product attention `softmax(mask(Q K^T * s) + B) V` in upstream
    dialects (linalg, TOSA, arith/math on tensors, as torch-mlir, TF/MHLO,
    onnx-mlir and upstream emit it) and replaces it by `inhibitor.attention`.
    This is an architecture change, not an equivalence: the rewritten
    function computes different numbers, and the model is then trained or
    distilled in inhibitor form. Anything that is not exactly attention is
    left untouched, with a remark saying why under `emit-remarks`.

    Each function is normalized on a copy first (TOSA through upstream
    tosa-to-linalg, `linalg.softmax` decomposed, named ops generalized, dead
    results dropped, reshapes propagated); one matcher then finds the two
    contractions by their indexing maps and the softmax over the key dim by
    its reduction structure. The copy replaces the function only where
    something converted.

    gamma is `1/s` for the product `s` of the constant scales on the scores,
    on Q and on K (1 without a scale) unless the `gamma` option is set.
    Masks that are provably 0/lowest become the `i1` mask or `causal`; other
    additive terms become the `bias`; K/V heads repeated for grouped-query
    attention become grouped K/V heads. Forms, gamma per case and the remarks:
    docs/AttentionRewrite.md.

    Example (torch-mlir, after normalization):

    ```mlir
    %s = linalg.batch_matmul ins(%q, %kt ...)   // Q K^T
    %x = linalg.generic ... arith.divf %in, %sqrt_d
    %p = <max / sub / exp / sum / div generics>  // softmax over keys
    %h = linalg.batch_matmul ins(%p, %v ...)
    // becomes
    %h = inhibitor.attention signed {gamma = sqrt_d, alpha = 0.5}
           ins(%q, %k, %v ...) outs(%init ...)
    ```
  }];
  let options = [
    Option<"alpha", "alpha", "double", "0.5",
           "Shift of the Manhattan score (the paper's 0.5)">,
    Option<"gamma", "gamma", "double", "0.0",
           "Divisor of the score; 0 means 1/s of the matched scale s">,
    Option<"isSigned", "signed", "bool", "true",
           "Use signed inhibition (V may be negative)">,
    Option<"emitRemarks", "emit-remarks", "bool", "false",
           "Emit a remark for each rewritten attention and each candidate left alone, saying why">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::inhibitor::InhibitorDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
  let statistics = [
    Statistic<"numRewritten", "num-attention-rewritten",
              "Number of attention graphs replaced by inhibitor.attention">
  ];
}

#endif // INHIBITOR_CONVERSION_PASSES_TD
