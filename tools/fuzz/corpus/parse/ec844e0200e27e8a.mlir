// A typed attribute of the accumulator type that is not a number.
func.func @score_gamma_string(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                              %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'gamma' must be a constant of the accumulator type 'i32', got "eight" : i32}}
  %z = inhibitor.manhattan_score {gamma = "eight" : i32}
         ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}
