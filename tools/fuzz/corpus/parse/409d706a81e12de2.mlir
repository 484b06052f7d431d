func.func @score_gamma_type(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                            %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'gamma' must be a constant of the accumulator type 'i32', got 1 : i16}}
  %z = inhibitor.manhattan_score {gamma = 1 : i16}
         ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}
