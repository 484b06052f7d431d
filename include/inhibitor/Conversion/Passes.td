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

    Integer arithmetic wraps exactly as `arith` does; the result matches the
    NumPy reference in `python/inhibitor/reference.py` bit for bit.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
}

def ConvertAttentionToInhibitor : Pass<"convert-attention-to-inhibitor"> {
  let summary = "Replace dot-product attention by inhibitor attention "
                "(an architecture change, not an equivalence)";
  let description = [{
    Finds dot-product attention `softmax(Q K^T * s) V` in upstream dialects
    and replaces it by `inhibitor.attention`. This changes the numbers the
    model computes: the model is then trained or distilled in inhibitor
    form.

    Not implemented yet: the pass reports an error on every input.
  }];
  let options = [
    Option<"alpha", "alpha", "double", "0.5",
           "Shift of the Manhattan score (the paper's 0.5)">,
    Option<"gamma", "gamma", "double", "0.0",
           "Divisor of the score; 0 means 1/s of the matched scale s">,
    Option<"isSigned", "signed", "bool", "true",
           "Use signed inhibition (V may be negative)">
  ];
}

#endif // INHIBITOR_CONVERSION_PASSES_TD
