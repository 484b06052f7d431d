func.func @score_float_alpha_negative(%q: tensor<16x64xf64>, %k: tensor<32x64xf64>,
                                      %init: tensor<16x32xf64>) -> tensor<16x32xf64> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'alpha' must be non-negative and finite, got -5.000000e-01}}
  %z = inhibitor.manhattan_score {alpha = -0.5 : f64}
         ins(%q, %k : tensor<16x64xf64>, tensor<32x64xf64>)
         outs(%init : tensor<16x32xf64>) -> tensor<16x32xf64>
  return %z : tensor<16x32xf64>
}
