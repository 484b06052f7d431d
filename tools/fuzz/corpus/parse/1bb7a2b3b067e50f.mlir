// Not folded: the parts agree only through a dynamic score size (K has 32
// rows, V has 16), so the composite would not verify.
// CHECK-LABEL: func @sizes_agree_only_through_dynamic_score
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score
// CHECK: %[[H:.*]] = inhibitor.inhibit ins(%{{.*}}, %[[Z]] : tensor<16x8xf32>, tensor<16x?xf32>)
// CHECK-NOT: inhibitor.attention
// CHECK: return %[[H]]
func.func @sizes_agree_only_through_dynamic_score(
    %q: tensor<16x64xf32>, %k: tensor<32x64xf32>, %v: tensor<16x8xf32>,
    %zinit: tensor<16x?xf32>, %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xf32>, tensor<32x64xf32>)
         outs(%zinit : tensor<16x?xf32>) -> tensor<16x?xf32>
  %h = inhibitor.inhibit ins(%v, %z : tensor<16x8xf32>, tensor<16x?xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
