func.func @score_batch_dim(%q: tensor<2x16x64xi8>, %k: tensor<3x32x64xi8>,
                           %init: tensor<2x16x32xi32>) -> tensor<2x16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op batch dim #0 mismatch: query has 2 but key has 3}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<2x16x64xi8>, tensor<3x32x64xi8>)
         outs(%init : tensor<2x16x32xi32>) -> tensor<2x16x32xi32>
  return %z : tensor<2x16x32xi32>
}
