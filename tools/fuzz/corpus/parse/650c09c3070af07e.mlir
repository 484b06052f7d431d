func.func @attention_missing_init(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                  %v: tensor<32x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op expected 4 or more operands, but found 3}}
  %h = "inhibitor.attention"(%q, %k, %v)
         : (tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
