func.func @attention_query_rows(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                %v: tensor<32x8xf32>,
                                %init: tensor<17x8xf32>) -> tensor<17x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op query rows (N) mismatch: query has 16 but result has 17}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<17x8xf32>) -> tensor<17x8xf32>
  return %h : tensor<17x8xf32>
}
