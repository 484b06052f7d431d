// Not folded: the score is not a Manhattan score.
// CHECK-LABEL: func @score_is_argument
// CHECK-SAME: %[[V:[a-zA-Z0-9_]+]]: tensor<32x8xf32>, %[[Z:[a-zA-Z0-9_]+]]: tensor<16x32xf32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<16x8xf32>
// CHECK: %[[H:.*]] = inhibitor.inhibit signed ins(%[[V]], %[[Z]] : tensor<32x8xf32>, tensor<16x32xf32>) outs(%[[INIT]] : tensor<16x8xf32>)
// CHECK: return %[[H]]
func.func @score_is_argument(%v: tensor<32x8xf32>, %z: tensor<16x32xf32>,
                             %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<32x8xf32>, tensor<16x32xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
