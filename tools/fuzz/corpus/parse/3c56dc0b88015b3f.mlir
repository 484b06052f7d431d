func.func @attention_value_rank(%q: tensor<2x16x64xf32>, %k: tensor<2x32x64xf32>,
                                %v: tensor<32x8xf32>,
                                %init: tensor<2x16x8xf32>) -> tensor<2x16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op expected value to have rank 3 like the result, got 2}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<2x16x64xf32>, tensor<2x32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return %h : tensor<2x16x8xf32>
}
