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
    (`sad-score`). How and why: docs/Lowering.md.

    ```sh
    inhibitor-opt --convert-inhibitor-to-linalg="fuse-attention query-tile=32 key-tile=128"
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
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
           "many bytes (0: any D, dynamic included)">
  ];
}

def ConvertAttentionToInhibitor : Pass<"convert-attention-to-inhibitor"> {
  let summary = "Replace dot-product attention by inhibitor attention "
                "(an architecture change, not an equivalence)";
  let description = [{
    Finds dot-product attention `softmax(Q K^T * s) V` in upstream dialects
    and replaces it by `inhibitor.attention`. This is an architecture change,
    not an equivalence: the rewritten function computes different numbers,
    and the model is then trained or distilled in inhibitor form.

    Matched, on tensors, with f16/bf16/f32/f64, static or dynamic shapes:

    - upstream linalg, named form: `linalg.matmul`/`linalg.batch_matmul`
      of Q with K^T (a `linalg.transpose` of the last two dims of K, or
      `indexing_maps` reading B transposed) into a zero fill, an optional
      scale, an optional mask, `linalg.softmax` over the last (key) dim and a
      matmul with V into a zero fill;
    - the decomposed form torch-mlir emits for `scaled_dot_product_attention`
      and `softmax(q @ k.transpose(-2, -1) / sqrt(d)) @ v` (after
      `-canonicalize`): a copying `linalg.generic` transpose, the softmax as
      a max reduction from -inf (`arith.maximumf`), subtract, `math.exp`, a
      sum reduction from 0 and a divide, each its own `linalg.generic` with
      keepdim `[..., 1]` row tensors; and upstream's `linalg.softmax`
      decomposition (max from NaN with `arith.maxnumf`, subtract and exp
      fused, rank-reduced row tensors);
    - 4-D batch x heads run as `batch_matmul`s on operands collapsed to 3-D
      (`tensor.collapse_shape [[0, 1], [2], [3]]`, the results expanded back
      with `tensor.expand_shape`): the inhibitor op is then 4-D on the 4-D Q,
      K, V and replaces the expanded result, so the reshapes disappear;
    - TOSA: `tosa.transpose` of K, `tosa.matmul` with zero zero-points, an
      optional `tosa.mul` by a splat constant (zero shift), optional mask,
      `tosa.reduce_max`, `tosa.sub`, `tosa.exp`, `tosa.reduce_sum`,
      `tosa.reciprocal`, `tosa.mul`, `tosa.matmul` with V; 4-D batch x heads
      through `tosa.reshape` around the matmuls as above;
    - the scale `s`: multiplication by (or division by `1/s`) a constant, as
      a `linalg.generic` (a captured scalar, also narrowed from f64 inside the
      body, or a splat input), `linalg.mul`/`linalg.div` with a splat or a
      `linalg.fill`, or `tosa.mul`;
    - masks: `arith.select`/`tosa.select` of -inf (or the type's lowest
      value) on an `i1` tensor, or an elementwise generic doing the same with
      a broadcast `i1` input, becomes the `mask` operand; a constant additive
      mask of only 0 and -inf becomes an `i1` constant; a mask that compares
      `linalg.index` i and j (j <= i attended: `arith.cmpi sge i, j`,
      `ule j, i`, ... also through `arith.index_cast`), as an `i1` tensor, a
      select in the scores generic or an additive 0/-inf tensor, becomes
      `causal`, and so does a constant mask that is exactly the causal
      pattern. Any other additive mask (a bias) is left alone.

    Every intermediate (scores, scale, mask, softmax pieces, weights, the
    reshapes between the matmuls) must have no use outside the attention
    (returned attention weights block the rewrite). The result is
    `inhibitor.attention` with the final matmul's element type as the
    accumulator, `gamma = 1/s` (so `sqrt(D)` for the usual `1/sqrt(D)`)
    unless the `gamma` option overrides it, and `alpha`/`signed` from the
    options. Anything else is left untouched.
  }];
  let options = [
    Option<"alpha", "alpha", "double", "0.5",
           "Shift of the Manhattan score (the paper's 0.5)">,
    Option<"gamma", "gamma", "double", "0.0",
           "Divisor of the score; 0 means 1/s of the matched scale s">,
    Option<"isSigned", "signed", "bool", "true",
           "Use signed inhibition (V may be negative)">,
    Option<"emitRemarks", "emit-remarks", "bool", "false",
           "Emit a remark at the location of each rewritten attention">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::inhibitor::InhibitorDialect",
    "::mlir::tensor::TensorDialect"
  ];
  let statistics = [
    Statistic<"numRewritten", "num-attention-rewritten",
              "Number of attention graphs replaced by inhibitor.attention">
  ];
}

#endif // INHIBITOR_CONVERSION_PASSES_TD
