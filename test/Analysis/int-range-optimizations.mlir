// RUN: inhibitor-opt %s -int-range-optimizations -split-input-file | FileCheck %s

// Upstream's --int-range-optimizations sees through the inhibitor ops by
// their InferIntRangeInterface: what the bounds decide folds.

// Every pair masked out: H is 0, a constant.
// CHECK-LABEL: func @all_masked
// CHECK: %[[ZERO:.*]] = arith.constant dense<0> : tensor<2x3xi32>
// CHECK-NOT: inhibitor.attention
// CHECK: return %[[ZERO]]
func.func @all_masked(%q: tensor<2x8xi8>, %k: tensor<3x8xi8>,
                      %v: tensor<3x3xi8>) -> tensor<2x3xi32> {
  %m = arith.constant dense<false> : tensor<2x3xi1>
  %init = tensor.empty() : tensor<2x3xi32>
  %h = inhibitor.attention signed
         ins(%q, %k, %v : tensor<2x8xi8>, tensor<3x8xi8>, tensor<3x3xi8>)
         mask(%m : tensor<2x3xi1>)
         outs(%init : tensor<2x3xi32>) -> tensor<2x3xi32>
  return %h : tensor<2x3xi32>
}

// -----

// Z >= 0 and Z <= 64 * 255 = 16320 always hold; Z <= 16319 does not.
// CHECK-LABEL: func @score_comparisons
// CHECK-DAG: %[[TRUE:.*]] = arith.constant dense<true> : tensor<4x6xi1>
// CHECK-DAG: %[[Z:.*]] = inhibitor.manhattan_score
// CHECK-DAG: %[[OPEN:.*]] = arith.cmpi sle, %[[Z]]
// CHECK: return %[[TRUE]], %[[TRUE]], %[[OPEN]]
func.func @score_comparisons(%q: tensor<4x64xi8>, %k: tensor<6x64xi8>)
    -> (tensor<4x6xi1>, tensor<4x6xi1>, tensor<4x6xi1>) {
  %init = tensor.empty() : tensor<4x6xi32>
  %z = inhibitor.manhattan_score
         ins(%q, %k : tensor<4x64xi8>, tensor<6x64xi8>)
         outs(%init : tensor<4x6xi32>) -> tensor<4x6xi32>
  %zero = arith.constant dense<0> : tensor<4x6xi32>
  %max = arith.constant dense<16320> : tensor<4x6xi32>
  %below = arith.constant dense<16319> : tensor<4x6xi32>
  %nonneg = arith.cmpi sge, %z, %zero : tensor<4x6xi32>
  %bounded = arith.cmpi sle, %z, %max : tensor<4x6xi32>
  %open = arith.cmpi sle, %z, %below : tensor<4x6xi32>
  return %nonneg, %bounded, %open : tensor<4x6xi1>, tensor<4x6xi1>, tensor<4x6xi1>
}

// -----

// A float accumulator has no integer range: nothing changes.
// CHECK-LABEL: func @float_untouched
// CHECK: %[[H:.*]] = inhibitor.attention
// CHECK: return %[[H]]
func.func @float_untouched(%q: tensor<2x8xf32>, %k: tensor<3x8xf32>,
                           %v: tensor<3x3xf32>) -> tensor<2x3xf32> {
  %init = tensor.empty() : tensor<2x3xf32>
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<2x8xf32>, tensor<3x8xf32>, tensor<3x3xf32>)
         outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %h : tensor<2x3xf32>
}
