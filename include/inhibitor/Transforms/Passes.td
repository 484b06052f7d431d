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

#endif // INHIBITOR_TRANSFORMS_PASSES_TD
