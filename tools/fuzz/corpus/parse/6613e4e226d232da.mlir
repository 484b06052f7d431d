func.func @score_query_rank(%q: tensor<16x64xi8>, %k: tensor<2x32x64xi8>,
                            %init: tensor<2x16x32xi32>) -> tensor<2x16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op expected query to have rank 3 like the result, got 2}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<2x32x64xi8>)
         outs(%init : tensor<2x16x32xi32>) -> tensor<2x16x32xi32>
  return %z : tensor<2x16x32xi32>
}
