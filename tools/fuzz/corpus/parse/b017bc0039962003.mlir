func.func @attention_key_rank(%q: tensor<16x64xf32>, %k: tensor<1x32x64xf32>,
                              %v: tensor<32x8xf32>,
                              %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op expected key to have rank 2 like the result, got 3}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<1x32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
