//===- Passes.td - Inhibitor analyses ----------------------*- tablegen -*-===//

#ifndef INHIBITOR_ANALYSIS_PASSES_TD
#define INHIBITOR_ANALYSIS_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// --inhibitor-fhe-cost (issue 18; lib/Analysis/FHECost.cpp, docs/FHE.md)
//===----------------------------------------------------------------------===//

def InhibitorFHECost : Pass<"inhibitor-fhe-cost", "::mlir::ModuleOp"> {
  let summary = "Report what a TFHE compiler (Concrete) would execute for "
                "each function and op: bootstraps by bit width, products, "
                "additions, depth, estimated time";
  let description = [{
    An analysis: the IR is left unchanged. For every `func.func` it counts,
    per op and in total, what a TFHE compiler such as Zama's Concrete would
    execute if the function arguments were encrypted (`i1` arguments, masks,
    are taken as public):

    - programmable bootstraps (PBS, table lookups) by the bit width of their
      input and by kind: `abs`, `relu`/`max`/`min` (one lookup on a
      difference for two encrypted values), `div` (integer division by a
      constant that is not a power of two), `exp`, `reciprocal` and other
      `math` functions, `cmp`, `round` (with `round-to-bits`). A chain of
      univariate functions of one ciphertext inside one op is one lookup
      (Concrete fuses it), e.g. `max(s / gamma - alpha, 0)`;
    - ciphertext-ciphertext multiplications, each counted as Concrete
      implements it, `x*y = ((x+y)^2 - (x-y)^2) / 4`: two lookups of the
      width of `x+y` / `x-y`, included in the PBS counts (kind `mul`);
    - ciphertext-cleartext multiplications and additions/subtractions
      (no bootstrap);
    - the PBS depth and the multiplicative depth (ct-ct products) of the
      longest path; reductions by max/min are trees (depth `ceil(log2 R)`);
    - the largest lookup width (with a note when lookups exceed the 16 bits
      of Concrete's bootstrap), an estimated sequential time (the sum over
      lookups of the time of one bootstrap at its width) and the bootstrap
      time on the longest path (unlimited cores), from published figures
      (`model`: `concrete`, Concrete's table of one lookup per width;
      `tfhe-rs`, TFHE-rs's CPU KS-PBS table). See docs/FHE.md for the
      sources, the Table 3 comparison and what the model leaves out.

    Bit widths come from an interval analysis of the values
    (`inferRangeFromTypesAndShapes` in FHECost.cpp): function arguments span
    their type (`input-bits`, `unsigned-inputs` change that; float arguments
    are taken as quantized to `input-bits`, default 8), ranges are propagated
    through each op exactly as intervals (a sum over D of |q - k| of i8 data
    needs 8 + ceil(log2 D) + 1 bits), an integer result that can exceed its
    type wraps to the type's range, and the outputs of `exp`/`reciprocal`
    lookups are quantized to `activation-bits`.

    Understood: `inhibitor` ops (attention with `causal` and constant masks
    counts only the attended pairs; a runtime mask multiplies by its clear
    bit), every `linalg` structured op (named or generic; the body is
    analysed op by op, reductions from the combiner), `linalg.softmax`,
    TOSA element-wise ops, `tosa.matmul`, `tosa.reduce_*`, and the shape
    ops of `tensor`/`tosa`. So dot-product attention from torch-mlir, TOSA
    or linalg and its inhibitor form after `--convert-attention-to-inhibitor`
    can be compared. An op it cannot cost on encrypted data, a dynamic
    shape, or control flow is an error with the op's location.

    The report (text, or JSON with `json=true`) goes to `output` (`-`,
    stdout, by default; each run of the pass rewrites the file).

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
