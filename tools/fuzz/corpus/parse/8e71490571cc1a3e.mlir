func.func @inhibit_score_kind(%v: tensor<32x8xi8>, %z: tensor<16x32xf32>,
                              %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op accumulator type 'i32' and score element type 'f32' must both be integers or both be floats}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi8>, tensor<16x32xf32>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}
