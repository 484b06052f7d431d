// RUN: inhibitor-opt %s --inhibitor-decompose="ops=linalg.softmax" -split-input-file -verify-diagnostics | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-decompose -split-input-file | FileCheck %s --check-prefix=DEFAULT

// With ops=linalg.softmax, upstream's softmax is decomposed through its
// AggregatedOpInterface (max from NaN with maxnumf, exp of the difference,
// sum, divide); inhibitor.attention is not in the filter and stays. The
// default filter (inhibitor.attention) leaves the softmax alone.

// CHECK-LABEL: func @softmax_and_attention
// CHECK-NOT:     linalg.softmax
// CHECK:         arith.maxnumf
// CHECK:         math.exp
// CHECK:         arith.divf
// CHECK:         inhibitor.attention
// DEFAULT-LABEL: func @softmax_and_attention
// DEFAULT:       linalg.softmax
// DEFAULT-NOT:   inhibitor.attention
// DEFAULT:       inhibitor.manhattan_score
// DEFAULT:       inhibitor.inhibit
func.func @softmax_and_attention(%s: tensor<4x8xf32>, %q: tensor<4x2xf32>,
                                 %k: tensor<8x2xf32>, %v: tensor<8x3xf32>)
    -> (tensor<4x8xf32>, tensor<4x3xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %p = linalg.softmax dimension(1) ins(%s : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %h0 = tensor.empty() : tensor<4x3xf32>
  %h = inhibitor.attention ins(%q, %k, %v : tensor<4x2xf32>, tensor<8x2xf32>, tensor<8x3xf32>)
         outs(%h0 : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %p, %h : tensor<4x8xf32>, tensor<4x3xf32>
}
