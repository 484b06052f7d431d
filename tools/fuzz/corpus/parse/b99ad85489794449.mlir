func.func @score_gamma_negative(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                %init: tensor<16x32xi64>) -> tensor<16x32xi64> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op integer 'gamma' must be a positive integer, got -4}}
  %z = inhibitor.manhattan_score {gamma = -4 : i64}
         ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<16x32xi64>) -> tensor<16x32xi64>
  return %z : tensor<16x32xi64>
}
