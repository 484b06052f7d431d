func.func @score_int_float_kinds(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                 %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op accumulator type 'i32' and query element type 'f32' must both be integers or both be floats}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xf32>, tensor<32x64xf32>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}
