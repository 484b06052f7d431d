func.func @attention_mask_rank(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                               %v: tensor<32x8xf32>, %m: tensor<1x16x32xi1>,
                               %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op mask of rank 3 cannot broadcast to the scores of rank 2}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         mask(%m : tensor<1x16x32xi1>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
