//===- Passes.td - Inhibitor analyses ----------------------*- tablegen -*-===//

#ifndef INHIBITOR_ANALYSIS_PASSES_TD
#define INHIBITOR_ANALYSIS_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Integer ranges (issue 15): bounds, overflow check, accumulator narrowing.
//===----------------------------------------------------------------------===//

// The input-range options shared by the check and the test pass.
defvar InhibitorInputRangeOptions = [
  Option<"inputBits", "input-bits", "unsigned", "0",
         "Every integer input (query, key, value, bias) takes the values of "
         "a signed integer of this many bits (0: of its element type)">,
  ListOption<"queryRange", "query-range", "int64_t",
             "lo,hi: the values the query takes (overrides input-bits)">,
  ListOption<"keyRange", "key-range", "int64_t",
             "lo,hi: the values the key takes (overrides input-bits)">,
  ListOption<"valueRange", "value-range", "int64_t",
             "lo,hi: the values the value operand takes (overrides "
             "input-bits)">,
  ListOption<"biasRange", "bias-range", "int64_t",
             "lo,hi: the values the bias takes (overrides input-bits)">,
  Option<"maxDim", "max-dim", "int64_t", "0",
         "Upper bound on every dynamic dim (0: none, and a sum over a "
         "dynamic dim has no bound)">
];

def InhibitorCheckOverflow : Pass<"inhibitor-check-overflow"> {
  let summary = "Report integer intermediates that can overflow their "
                "accumulator, with the narrowest width that holds them";
  let description = [{
    For every inhibitor op with an integer accumulator, bounds the values of
    each intermediate of SPEC section 1 (`q - k`, `|q - k|`, the sum over D,
    `/ gamma`, `- alpha`, `- bias`, the inhibition's `v - z` and terms, the
    partial sums over M) exactly (docs/IntegerWidths.md gives the formulas)
    and reports, at the op's location, each one whose range does not fit the
    accumulator: its proven range and the narrowest width that holds it. An
    op whose intermediates all fit gets a remark naming the narrowest
    accumulator that would hold them.

    Input ranges: by default each operand's range from upstream's
    `IntegerRangeAnalysis` (the range of its element type for a function
    argument; narrower where it is, say, an `arith.extsi` of narrower data).
    `input-bits` and the per-operand `*-range` options state what the inputs
    take instead (intersected with the element type's range). A score fed
    from another inhibitor op uses that op's bound.

    Masks and causal reduce the keys a row sums (a constant mask is
    counted); a dynamic dim has no bound unless `max-dim` gives one, and the
    report says so. With `fail`, the reports are errors and the pass fails
    (for build systems); otherwise they are warnings.
  }];
  let options = !listconcat(InhibitorInputRangeOptions, [
    Option<"fail", "fail", "bool", "false",
           "Report an intermediate that can overflow as an error and fail">
  ]);
  let statistics = [
    Statistic<"numOverflows", "num-overflows",
              "Intermediates that can overflow their accumulator">
  ];
}

def InhibitorNarrowAccumulators : Pass<"inhibitor-narrow-accumulators"> {
  let summary = "Narrow integer accumulators to the narrowest width proven "
                "exact (never changes a result)";
  let description = [{
    Rewrites each inhibitor op with an integer accumulator to the narrowest
    of i8, i16, i32 and i64 that holds every intermediate of the op (the
    bounds of `--inhibitor-check-overflow`, from the element types and
    upstream's `IntegerRangeAnalysis` only: no assumption a user states).
    Since all of the op's arithmetic happens in its accumulator, this narrows
    the partial sums inside the fused attention kernel too. The result is
    widened once, after the op, with `arith.extsi` to the original type, and
    an input wider than the new accumulator is truncated first
    (`arith.trunci`; the bound proves its values fit, and an input that is
    an `arith.extsi` of narrower data is read before the extension). No
    result changes: the narrow accumulator never wraps. An op whose bounds
    need its accumulator (or more) is left alone.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
  let options = [
    Option<"maxDim", "max-dim", "int64_t", "0",
           "Upper bound on every dynamic dim, which the caller guarantees "
           "(0: none; an op summing over a dynamic dim is left alone)">
  ];
  let statistics = [
    Statistic<"numNarrowed", "num-narrowed", "Ops given a narrower "
              "accumulator">
  ];
}

def TestInhibitorIntegerBounds : Pass<"test-inhibitor-integer-bounds"> {
  let summary = "Print the integer bounds of every inhibitor op (testing)";
  let description = [{
    Runs upstream's `IntegerRangeAnalysis` (which sees through the inhibitor
    ops by their `InferIntRangeInterface`) and emits a remark at each
    inhibitor op with its result's range as the analysis found it, then one
    line per intermediate with its exact bound (or "no bound" and why).
    Takes the input-range options of `--inhibitor-check-overflow`.
  }];
  let options = InhibitorInputRangeOptions;
}

#endif // INHIBITOR_ANALYSIS_PASSES_TD
