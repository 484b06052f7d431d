//===----------------------------------------------------------------------===//
// inhibitor.attention
//===----------------------------------------------------------------------===//

func.func @attention_result_rank_zero(%q: tensor<f32>, %k: tensor<f32>, %v: tensor<f32>,
                                      %init: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'inhibitor.attention' op expected the result to have rank >= 2 ([batch..., rows, cols]), got 0}}
  %h = inhibitor.attention ins(%q, %k, %v : tensor<f32>, tensor<f32>, tensor<f32>)
         outs(%init : tensor<f32>) -> tensor<f32>
  return %h : tensor<f32>
}
