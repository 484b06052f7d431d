// A dynamic size is compatible with anything but does not hide a mismatch
// between the static ones.
func.func @score_batch_dim_dynamic(%q: tensor<2x?x16x64xi8>, %k: tensor<2x4x32x64xi8>,
                                   %init: tensor<2x5x16x32xi32>) -> tensor<2x5x16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op batch dim #1 mismatch: key has 4 but result has 5}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<2x?x16x64xi8>, tensor<2x4x32x64xi8>)
         outs(%init : tensor<2x5x16x32xi32>) -> tensor<2x5x16x32xi32>
  return %z : tensor<2x5x16x32xi32>
}
