func.func @score_key_rows(%q: tensor<?x?xi8>, %k: tensor<32x?xi8>,
                          %init: tensor<?x16xi32>) -> tensor<?x16xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op key rows (M) mismatch: key has 32 but result has 16}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<?x?xi8>, tensor<32x?xi8>)
         outs(%init : tensor<?x16xi32>) -> tensor<?x16xi32>
  return %z : tensor<?x16xi32>
}
