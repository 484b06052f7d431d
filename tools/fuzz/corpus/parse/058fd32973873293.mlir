// Unsigned inhibition gives an unsigned, non-causal attention.
// CHECK-LABEL: func @fold_unsigned_float_gamma
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<16x64xf16>, %[[K:[a-zA-Z0-9_]+]]: tensor<32x64xf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<32x8xf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<16x8xf32>
// CHECK-NOT: inhibitor.manhattan_score
// CHECK: %[[H:.*]] = inhibitor.attention {gamma = 8.000000e+00 : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<16x64xf16>, tensor<32x64xf16>, tensor<32x8xf16>)
// CHECK-SAME: outs(%[[INIT]] : tensor<16x8xf32>) -> tensor<16x8xf32>
// CHECK-NOT: inhibitor.inhibit
// CHECK: return %[[H]]
func.func @fold_unsigned_float_gamma(%q: tensor<16x64xf16>, %k: tensor<32x64xf16>,
                                     %v: tensor<32x8xf16>,
                                     %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %e = tensor.empty() : tensor<16x32xf32>
  %z = inhibitor.manhattan_score {gamma = 8.0 : f32}
         ins(%q, %k : tensor<16x64xf16>, tensor<32x64xf16>)
         outs(%e : tensor<16x32xf32>) -> tensor<16x32xf32>
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xf16>, tensor<16x32xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
