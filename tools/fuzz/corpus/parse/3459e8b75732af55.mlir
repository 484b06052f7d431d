func.func @inhibit_score_narrow(%v: tensor<32x8xbf16>, %z: tensor<16x32xf64>,
                                %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.inhibit' op accumulator type 'f32' is not at least as wide as score element type 'f64'}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xbf16>, tensor<16x32xf64>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
