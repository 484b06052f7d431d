func.func @score_query_rows(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                            %init: tensor<8x32xi32>) -> tensor<8x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op query rows (N) mismatch: query has 16 but result has 8}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<8x32xi32>) -> tensor<8x32xi32>
  return %z : tensor<8x32xi32>
}
