// Not folded: the score has another use.
// CHECK-LABEL: func @score_with_other_use
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score
// CHECK: %[[H:.*]] = inhibitor.inhibit signed ins(%{{.*}}, %[[Z]] :
// CHECK-NOT: inhibitor.attention
// CHECK: return %[[H]], %[[Z]]
func.func @score_with_other_use(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                %v: tensor<32x8xi8>, %init: tensor<16x8xi32>)
    -> (tensor<16x8xi32>, tensor<16x32xi32>) {
  %e = tensor.empty() : tensor<16x32xi32>
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%e : tensor<16x32xi32>) -> tensor<16x32xi32>
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<32x8xi8>, tensor<16x32xi32>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h, %z : tensor<16x8xi32>, tensor<16x32xi32>
}
