func.func @attention_float_alpha_inf(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                     %v: tensor<32x8xf32>,
                                     %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op 'alpha' must be non-negative and finite, got INF}}
  %h = inhibitor.attention {alpha = 0x7F800000 : f32}
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
