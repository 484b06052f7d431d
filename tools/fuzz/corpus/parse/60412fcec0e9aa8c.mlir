func.func @inhibit_score_rank(%v: tensor<32x8xi32>, %z: tensor<1x16x32xi32>,
                              %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op expected score to have rank 2 like the result, got 3}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi32>, tensor<1x16x32xi32>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}
