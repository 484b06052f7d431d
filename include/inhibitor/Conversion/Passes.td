//===- Passes.td - Conversions out of and into inhibitor ---*- tablegen -*-===//

#ifndef INHIBITOR_CONVERSION_PASSES_TD
#define INHIBITOR_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertInhibitorToLinalg : Pass<"convert-inhibitor-to-linalg"> {
  let summary = "Lower inhibitor ops to linalg.generic on tensors";
  let description = [{
    Lowers every `inhibitor` op to `linalg.generic` ops on tensors:

    - `manhattan_score`: a `linalg.fill` of zero, one generic with a reduction
      over D (widen, subtract, absolute value, add) and one elementwise
      generic for `/ gamma` (floor division, an arithmetic shift for a power
      of two), `- alpha` and `max(., 0)`. The `[N, M, D]` difference is never
      materialized.
    - `inhibit`: a fill and one generic reducing over M.
    - `attention`: the score as above into a `[b..., N, M]` tensor, then the
      inhibition, with the `i1` mask read through a broadcasting indexing map
      and `causal` evaluated from `linalg.index` (no causal mask tensor).

    With `fuse-attention`, `attention` is lowered fused and tiled instead:
    `scf.for` loops over batch dims and tiles of `query-tile` queries, and
    inside them over tiles of `key-tile` keys, computing each score tile and
    adding its inhibition into the query tile's accumulator, so Z never
    exists beyond one `[query-tile, key-tile]` tile; with `causal` the key
    loop stops at the tile's last query.

    The score reads K transposed (one `linalg.transpose`, O(M D)) so that
    keys sit in vector lanes. Integer arithmetic wraps exactly as `arith`
    does; the result matches the NumPy reference in
    `python/inhibitor/reference.py` bit for bit.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
  let options = [
    Option<"fuseAttention", "fuse-attention", "bool", "false",
           "Lower inhibitor.attention fused and tiled (Z one tile at a time)">,
    Option<"queryTile", "query-tile", "int64_t", "32",
           "fuse-attention: queries per tile">,
    Option<"keyTile", "key-tile", "int64_t", "128",
           "fuse-attention: keys per tile">
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

    Matched (upstream linalg, named ops on tensors, rank 2 or with one batch
    dim, static or dynamic shapes, any float type the op accepts):

    - scores: `linalg.matmul`/`linalg.batch_matmul` of Q with K^T, where K^T
      is a `linalg.transpose` of the last two dims of K or the matmul's
      `indexing_maps` read B transposed; the init is a zero fill;
    - an optional scale `s`: multiplication by (or division by `1/s`) a
      constant, as a `linalg.generic`, or `linalg.mul`/`linalg.div` with a
      splat constant or a `linalg.fill` of a constant;
    - an optional mask: `arith.select %m, %scores, %neg` with an `i1` tensor
      `%m` and `%neg` a splat of -inf or the type's lowest finite value
      becomes the `mask` operand; an additive mask becomes one only when it
      is a constant of 0 and -inf (any other additive mask is left alone);
    - `linalg.softmax` over the last (key) dim, then a matmul with V whose
      init is a zero fill.

    Scores, scale, mask and weights must have no other use (returned
    attention weights block the rewrite). The result is
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
