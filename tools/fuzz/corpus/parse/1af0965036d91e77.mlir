func.func @attention_non_i1_mask(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                 %v: tensor<32x8xf32>, %m: tensor<16x32xi8>,
                                 %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op operand #3 must be ranked tensor of 1-bit signless integer values, but got 'tensor<16x32xi8>'}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         mask(%m : tensor<16x32xi8>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
