func.func @inhibit_key_rows(%v: tensor<16x8xi32>, %z: tensor<16x32xi32>,
                            %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op key rows (M) mismatch: score has 32 but value has 16}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<16x8xi32>, tensor<16x32xi32>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}
