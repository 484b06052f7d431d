// The mask comes before `outs`.
func.func @attention_mask_after_outs(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                     %v: tensor<32x8xf32>, %m: tensor<16x32xi1>,
                                     %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
  // expected-error @+1 {{expected '->'}}
         outs(%init : tensor<16x8xf32>)
         mask(%m : tensor<16x32xi1>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
