// The mask's last dim is M (the keys), not E.
func.func @attention_mask_key_dim(%q: tensor<2x16x64xf32>, %k: tensor<2x32x64xf32>,
                                  %v: tensor<2x32x8xf32>, %m: tensor<2x16x8xi1>,
                                  %init: tensor<2x16x8xf32>) -> tensor<2x16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op mask dim #2 (8) is not broadcastable to score dim #2 (32)}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<2x16x64xf32>, tensor<2x32x64xf32>, tensor<2x32x8xf32>)
         mask(%m : tensor<2x16x8xi1>)
         outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return %h : tensor<2x16x8xf32>
}
