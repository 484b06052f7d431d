func.func @attention_float_gamma_negative(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                          %v: tensor<32x8xf32>,
                                          %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op 'gamma' must be positive and finite, got -8.000000e+00}}
  %h = inhibitor.attention {gamma = -8.0 : f32}
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
