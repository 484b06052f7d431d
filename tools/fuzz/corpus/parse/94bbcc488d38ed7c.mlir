func.func @inhibit_value_rank(%v: tensor<32x8xi32>, %z: tensor<2x16x32xi32>,
                              %init: tensor<2x16x8xi32>) -> tensor<2x16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op expected value to have rank 3 like the result, got 2}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi32>, tensor<2x16x32xi32>)
         outs(%init : tensor<2x16x8xi32>) -> tensor<2x16x8xi32>
  return %h : tensor<2x16x8xi32>
}
