func.func @score_alpha_float_for_int(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                     %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'alpha' must be a constant of the accumulator type 'i32', got 5.000000e-01 : f32}}
  %z = inhibitor.manhattan_score {alpha = 0.5 : f32}
         ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}
