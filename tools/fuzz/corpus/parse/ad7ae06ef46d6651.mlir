func.func @attention_key_rows(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                              %v: tensor<31x8xf32>,
                              %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op key rows (M) mismatch: key has 32 but value has 31}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<31x8xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
