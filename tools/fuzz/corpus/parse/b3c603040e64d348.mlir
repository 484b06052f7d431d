func.func @attention_alpha_type(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                %v: tensor<32x8xf32>,
                                %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op 'alpha' must be a constant of the accumulator type 'f32', got 5.000000e-01 : f64}}
  %h = inhibitor.attention {alpha = 0.5 : f64}
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
