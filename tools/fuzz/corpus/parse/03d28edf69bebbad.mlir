//===----------------------------------------------------------------------===//
// inhibitor.manhattan_score
//===----------------------------------------------------------------------===//

func.func @score_result_rank_one(%q: tensor<64xi8>, %k: tensor<64xi8>,
                                 %init: tensor<16xi32>) -> tensor<16xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op expected the result to have rank >= 2 ([batch..., rows, cols]), got 1}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<64xi8>, tensor<64xi8>)
         outs(%init : tensor<16xi32>) -> tensor<16xi32>
  return %z : tensor<16xi32>
}
