// A batch size the result leaves dynamic is taken from the query.
func.func @attention_mask_batch_dim(%q: tensor<2x16x64xf32>, %k: tensor<?x32x64xf32>,
                                    %v: tensor<?x32x8xf32>, %m: tensor<3x1x1xi1>,
                                    %init: tensor<?x16x8xf32>) -> tensor<?x16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op mask dim #0 (3) is not broadcastable to score dim #0 (2)}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<2x16x64xf32>, tensor<?x32x64xf32>, tensor<?x32x8xf32>)
         mask(%m : tensor<3x1x1xi1>)
         outs(%init : tensor<?x16x8xf32>) -> tensor<?x16x8xf32>
  return %h : tensor<?x16x8xf32>
}
