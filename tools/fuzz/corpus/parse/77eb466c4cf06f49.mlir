func.func @score_feature_dim(%q: tensor<16x64xi8>, %k: tensor<32x32xi8>,
                             %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op feature dim (D) mismatch: query has 64 but key has 32}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<32x32xi8>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}
