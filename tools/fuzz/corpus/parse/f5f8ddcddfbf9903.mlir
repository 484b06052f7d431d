func.func @attention_element_types_differ(%q: tensor<16x64xf16>, %k: tensor<32x64xbf16>,
                                          %v: tensor<32x8xf16>,
                                          %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op query and key must have the same element type, got 'f16' and 'bf16'}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf16>, tensor<32x64xbf16>, tensor<32x8xf16>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
