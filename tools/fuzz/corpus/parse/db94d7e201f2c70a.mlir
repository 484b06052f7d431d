func.func @score_float_alpha_nan(%q: tensor<16x64xbf16>, %k: tensor<32x64xbf16>,
                                 %init: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'alpha' must be non-negative and finite, got nan}}
  %z = inhibitor.manhattan_score {alpha = 0x7FC00000 : f32}
         ins(%q, %k : tensor<16x64xbf16>, tensor<32x64xbf16>)
         outs(%init : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %z : tensor<16x32xf32>
}
