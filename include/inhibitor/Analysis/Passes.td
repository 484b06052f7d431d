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

//===----------------------------------------------------------------------===//
// --inhibitor-fhe-cost (issue 18; lib/Analysis/FHECost.cpp, docs/FHE.md)
//===----------------------------------------------------------------------===//

def InhibitorFHECost : Pass<"inhibitor-fhe-cost", "::mlir::ModuleOp"> {
  let summary = "Report what a TFHE compiler (Concrete) would execute for "
                "each function and op: bootstraps by bit width, products, "
                "additions, depth, estimated time";
  let description = [{
    An analysis (the IR is left unchanged): for every `func.func`, per op
    and in total, what a TFHE compiler such as Zama's Concrete would execute
    if the arguments were encrypted: programmable bootstraps by input bit
    width and kind, ciphertext-ciphertext products (two bootstraps each, as
    Concrete implements them), ciphertext-cleartext products, additions,
    bootstrap and multiplicative depth, the widest lookup, and estimated
    times from published bootstrap timings (`model`). It reads inhibitor
    ops, linalg (named or generic), `linalg.softmax` and TOSA alike, so a
    model can be compared before and after `--convert-attention-to-inhibitor`.
    Bit widths come from an interval analysis of types and shapes. The rules,
    the calibration sources and what the model leaves out: docs/FHE.md.

    ```sh
    inhibitor-opt model.mlir --inhibitor-fhe-cost -o /dev/null
    inhibitor-opt model.mlir --convert-attention-to-inhibitor \
        --inhibitor-fhe-cost="json=true output=cost.json" -o /dev/null
    ```
  }];
  let options = [
    Option<"json", "json", "bool", "false",
           "Write the report as JSON instead of text">,
    Option<"outputFile", "output", "std::string", "\"-\"",
           "File to write the report to ('-' for stdout)">,
    Option<"model", "model", "std::string", "\"concrete\"",
           "Bootstrap time calibration: 'concrete' or 'tfhe-rs'">,
    Option<"inputBits", "input-bits", "unsigned", "0",
           "Bits of each encrypted input element (0: the integer type's "
           "width; 8 for floats)">,
    Option<"unsignedInputs", "unsigned-inputs", "bool", "false",
           "Integer inputs span [0, 2^bits - 1] instead of the signed range">,
    Option<"activationBits", "activation-bits", "unsigned", "8",
           "Bits of the quantized output of exp/reciprocal/math lookups">,
    Option<"roundToBits", "round-to-bits", "unsigned", "0",
           "If > 0, a lookup on a wider input first rounds it to this many "
           "bits (counted as one extra 'round' lookup at this width)">
  ];
}

#endif // INHIBITOR_ANALYSIS_PASSES_TD
