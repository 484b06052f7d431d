// f16 and bf16 have the same width but neither holds the other.
func.func @score_f16_into_bf16(%q: tensor<16x64xf16>, %k: tensor<32x64xf16>,
                               %init: tensor<16x32xbf16>) -> tensor<16x32xbf16> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op accumulator type 'bf16' is not at least as wide as query element type 'f16'}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xf16>, tensor<32x64xf16>)
         outs(%init : tensor<16x32xbf16>) -> tensor<16x32xbf16>
  return %z : tensor<16x32xbf16>
}
