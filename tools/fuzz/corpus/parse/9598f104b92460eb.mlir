func.func @inhibit_query_rows(%v: tensor<32x8xi32>, %z: tensor<16x32xi32>,
                              %init: tensor<4x8xi32>) -> tensor<4x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op query rows (N) mismatch: score has 16 but result has 4}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi32>, tensor<16x32xi32>)
         outs(%init : tensor<4x8xi32>) -> tensor<4x8xi32>
  return %h : tensor<4x8xi32>
}
