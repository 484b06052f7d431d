func.func @score_float_gamma_negative(%q: tensor<16x64xf16>, %k: tensor<32x64xf16>,
                                      %init: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'gamma' must be positive and finite, got -2.500000e+00}}
  %z = inhibitor.manhattan_score {gamma = -2.5 : f32}
         ins(%q, %k : tensor<16x64xf16>, tensor<32x64xf16>)
         outs(%init : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %z : tensor<16x32xf32>
}
