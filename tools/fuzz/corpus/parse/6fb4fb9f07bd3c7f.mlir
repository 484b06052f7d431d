//===----------------------------------------------------------------------===//
// inhibitor.inhibit
//===----------------------------------------------------------------------===//

func.func @inhibit_result_rank_one(%v: tensor<8xi32>, %z: tensor<32xi32>,
                                   %init: tensor<8xi32>) -> tensor<8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op expected the result to have rank >= 2 ([batch..., rows, cols]), got 1}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<8xi32>, tensor<32xi32>)
         outs(%init : tensor<8xi32>) -> tensor<8xi32>
  return %h : tensor<8xi32>
}
