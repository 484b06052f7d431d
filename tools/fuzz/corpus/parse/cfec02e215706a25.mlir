func.func @attention_value_narrow(%q: tensor<16x64xbf16>, %k: tensor<32x64xbf16>,
                                  %v: tensor<32x8xf16>,
                                  %init: tensor<16x8xbf16>) -> tensor<16x8xbf16> {
  // expected-error @+1 {{'inhibitor.attention' op accumulator type 'bf16' is not at least as wide as value element type 'f16'}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xbf16>, tensor<32x64xbf16>, tensor<32x8xf16>)
         outs(%init : tensor<16x8xbf16>) -> tensor<16x8xbf16>
  return %h : tensor<16x8xbf16>
}
