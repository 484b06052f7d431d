func.func @inhibit_value_cols(%v: tensor<32x8xi32>, %z: tensor<16x32xi32>,
                              %init: tensor<16x4xi32>) -> tensor<16x4xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op value cols (E) mismatch: value has 8 but result has 4}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi32>, tensor<16x32xi32>)
         outs(%init : tensor<16x4xi32>) -> tensor<16x4xi32>
  return %h : tensor<16x4xi32>
}
