func.func @score_key_rank(%q: tensor<2x16x64xi8>, %k: tensor<1x2x32x64xi8>,
                          %init: tensor<2x16x32xi32>) -> tensor<2x16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op expected key to have rank 3 like the result, got 4}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<2x16x64xi8>, tensor<1x2x32x64xi8>)
         outs(%init : tensor<2x16x32xi32>) -> tensor<2x16x32xi32>
  return %z : tensor<2x16x32xi32>
}
