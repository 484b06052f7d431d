func.func @score_float_gamma_zero(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                  %init: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'gamma' must be positive and finite, got 0.000000e+00}}
  %z = inhibitor.manhattan_score {gamma = 0.0 : f32}
         ins(%q, %k : tensor<16x64xf32>, tensor<32x64xf32>)
         outs(%init : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %z : tensor<16x32xf32>
}
