func.func @attention_value_cols(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                %v: tensor<32x8xf32>,
                                %init: tensor<16x64xf32>) -> tensor<16x64xf32> {
  // expected-error @+1 {{'inhibitor.attention' op value cols (E) mismatch: value has 8 but result has 64}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %h : tensor<16x64xf32>
}
