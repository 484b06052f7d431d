func.func @score_alpha_negative(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                %init: tensor<16x32xi16>) -> tensor<16x32xi16> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'alpha' must be non-negative, got -1}}
  %z = inhibitor.manhattan_score {gamma = 8 : i16, alpha = -1 : i16}
         ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<16x32xi16>) -> tensor<16x32xi16>
  return %z : tensor<16x32xi16>
}
