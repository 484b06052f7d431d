// At most one mask.
func.func @attention_two_masks(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                               %v: tensor<32x8xf32>, %m: tensor<16x32xi1>,
                               %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op operand group starting at #3 requires 0 or 1 element, but found 2}}
  %h = "inhibitor.attention"(%q, %k, %v, %m, %m, %init)
         : (tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>, tensor<16x32xi1>,
            tensor<16x32xi1>, tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
