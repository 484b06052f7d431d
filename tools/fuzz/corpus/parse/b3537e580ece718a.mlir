func.func @attention_unranked_mask(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                   %v: tensor<32x8xf32>, %m: tensor<*xi1>,
                                   %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op operand #3 must be ranked tensor of 1-bit signless integer values, but got 'tensor<*xi1>'}}
  %h = "inhibitor.attention"(%q, %k, %v, %m, %init)
         : (tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>, tensor<*xi1>,
            tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
