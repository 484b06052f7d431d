func.func @score_f8_key(%q: tensor<16x64xf32>, %k: tensor<32x64xf8E4M3FN>,
                        %init: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op operand #1 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<32x64xf8E4M3FN>'}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xf32>, tensor<32x64xf8E4M3FN>)
         outs(%init : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %z : tensor<16x32xf32>
}
