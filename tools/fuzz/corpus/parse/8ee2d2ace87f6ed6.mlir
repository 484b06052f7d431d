func.func @attention_batch_dim(%q: tensor<2x4x16x64xf32>, %k: tensor<2x4x32x64xf32>,
                               %v: tensor<2x3x32x8xf32>,
                               %init: tensor<2x4x16x8xf32>) -> tensor<2x4x16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op batch dim #1 mismatch: query has 4 but value has 3}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<2x4x16x64xf32>, tensor<2x4x32x64xf32>, tensor<2x3x32x8xf32>)
         outs(%init : tensor<2x4x16x8xf32>) -> tensor<2x4x16x8xf32>
  return %h : tensor<2x4x16x8xf32>
}
