// Not folded: the score comes from another inhibition.
// CHECK-LABEL: func @score_from_inhibit
// CHECK: %[[Z:.*]] = inhibitor.inhibit ins(
// CHECK: inhibitor.inhibit ins(%{{.*}}, %[[Z]] :
// CHECK-NOT: inhibitor.attention
func.func @score_from_inhibit(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>,
                              %v: tensor<8x4xf32>,
                              %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %z = inhibitor.inhibit ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>)
         outs(%a : tensor<8x8xf32>) -> tensor<8x8xf32>
  %h = inhibitor.inhibit ins(%v, %z : tensor<8x4xf32>, tensor<8x8xf32>)
         outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %h : tensor<8x4xf32>
}
