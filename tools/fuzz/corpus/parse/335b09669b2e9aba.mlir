// The fold never makes a causal attention.
// CHECK-LABEL: func @fold_never_causal
// CHECK: inhibitor.attention signed ins(
func.func @fold_never_causal(%q: tensor<4x8xi32>, %k: tensor<4x8xi32>,
                             %v: tensor<4x8xi32>,
                             %init: tensor<4x8xi32>) -> tensor<4x8xi32> {
  %e = tensor.empty() : tensor<4x4xi32>
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<4x8xi32>, tensor<4x8xi32>)
         outs(%e : tensor<4x4xi32>) -> tensor<4x4xi32>
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<4x8xi32>, tensor<4x4xi32>)
         outs(%init : tensor<4x8xi32>) -> tensor<4x8xi32>
  return %h : tensor<4x8xi32>
}
