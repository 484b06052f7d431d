func.func @attention_feature_dim(%q: tensor<16x64xf32>, %k: tensor<32x48xf32>,
                                 %v: tensor<32x8xf32>,
                                 %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op feature dim (D) mismatch: query has 64 but key has 48}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x48xf32>, tensor<32x8xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
