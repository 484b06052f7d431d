func.func @inhibit_batch_dim(%v: tensor<2x32x8xi32>, %z: tensor<3x16x32xi32>,
                             %init: tensor<2x16x8xi32>) -> tensor<2x16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op batch dim #0 mismatch: value has 2 but score has 3}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<2x32x8xi32>, tensor<3x16x32xi32>)
         outs(%init : tensor<2x16x8xi32>) -> tensor<2x16x8xi32>
  return %h : tensor<2x16x8xi32>
}
