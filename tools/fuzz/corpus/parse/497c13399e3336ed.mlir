// A lower-rank mask is aligned to the right.
func.func @attention_mask_lower_rank(%q: tensor<2x16x64xf32>, %k: tensor<2x32x64xf32>,
                                     %v: tensor<2x32x8xf32>, %m: tensor<8x32xi1>,
                                     %init: tensor<2x16x8xf32>) -> tensor<2x16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op mask dim #0 (8) is not broadcastable to score dim #1 (16)}}
  %h = inhibitor.attention causal
         ins(%q, %k, %v : tensor<2x16x64xf32>, tensor<2x32x64xf32>, tensor<2x32x8xf32>)
         mask(%m : tensor<8x32xi1>)
         outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return %h : tensor<2x16x8xf32>
}
