// Malformed custom syntax is reported at its location (file:line:col).

func.func @score_missing_outs(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                              %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
  // expected-error @+1 {{custom op 'inhibitor.manhattan_score' expected 'outs'}}
         -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}
