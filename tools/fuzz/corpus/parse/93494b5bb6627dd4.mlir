func.func @attention_gamma_type(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                %v: tensor<32x8xi8>,
                                %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.attention' op 'gamma' must be a constant of the accumulator type 'i32', got 8 : i8}}
  %h = inhibitor.attention {gamma = 8 : i8}
         ins(%q, %k, %v : tensor<16x64xi8>, tensor<32x64xi8>, tensor<32x8xi8>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}
