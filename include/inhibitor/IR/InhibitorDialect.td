//===- InhibitorDialect.td - Inhibitor dialect definition --*- tablegen -*-===//
//
// The `inhibitor` dialect: Manhattan-distance scores and ReLU-style
// inhibition in place of dot-product attention (R. Brannvall, "The Inhibitor:
// ReLU and Addition-Based Attention for Efficient Transformers",
// arXiv 2310.02041).
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_IR_INHIBITORDIALECT_TD
#define INHIBITOR_IR_INHIBITORDIALECT_TD

include "mlir/IR/OpBase.td"

def Inhibitor_Dialect : Dialect {
  let name = "inhibitor";
  let cppNamespace = "::mlir::inhibitor";
  // decomposeOperation builds tensor.empty / tensor.dim.
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
  let summary = "Inhibitor attention: Manhattan scores and ReLU inhibition";
  let description = [{
    The Inhibitor replaces dot-product attention `softmax(Q K^T s) V` by

    ```
    Z[i,j] = max((sum_k |Q[i,k] - K[j,k]|) / gamma - alpha, 0)      (score)
    H[i,e] = sum_j max(V[j,e] - Z[i,j], 0)                          (inhibit)
    ```

    and a signed variant of the inhibition. Only additions, subtractions,
    absolute values and max/min appear (no product of two variables, no
    exponential), which makes the mechanism cheap in integer arithmetic and
    under fully homomorphic encryption.

    All ops work on ranked tensors `[b..., rows, cols]` with zero or more
    leading batch dims, are destination-style (`outs`, like `linalg` and
    IREE's `attention`; the contents of the destination are ignored and
    overwritten) and compute in their result element type, the
    *accumulator*: inputs are sign-extended / `extf`-ed to it first and
    integer arithmetic wraps modulo 2^width exactly as `arith` does.
  }];
}

class Inhibitor_Op<string mnemonic, list<Trait> traits = []>
    : Op<Inhibitor_Dialect, mnemonic, traits>;

#endif // INHIBITOR_IR_INHIBITORDIALECT_TD
