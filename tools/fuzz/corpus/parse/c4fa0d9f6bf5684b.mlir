func.func @score_narrow_float_accumulator(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                          %init: tensor<16x32xf16>) -> tensor<16x32xf16> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op accumulator type 'f16' is not at least as wide as query element type 'f32'}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xf32>, tensor<32x64xf32>)
         outs(%init : tensor<16x32xf16>) -> tensor<16x32xf16>
  return %z : tensor<16x32xf16>
}
