func.func @attention_non_unit_causal(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                     %v: tensor<32x8xf32>,
                                     %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op attribute 'causal' failed to satisfy constraint: unit attribute}}
  %h = "inhibitor.attention"(%q, %k, %v, %init) {causal = true}
         : (tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>, tensor<16x8xf32>)
         -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
