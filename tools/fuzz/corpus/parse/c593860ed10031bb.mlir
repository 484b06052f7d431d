func.func @attention_init_result_mismatch(%q: tensor<16x64xf16>, %k: tensor<32x64xf16>,
                                          %v: tensor<32x8xf16>,
                                          %init: tensor<16x8xf16>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op expected type of operand #3 ('tensor<16x8xf16>') to match type of corresponding result ('tensor<16x8xf32>')}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf16>, tensor<32x64xf16>, tensor<32x8xf16>)
         outs(%init : tensor<16x8xf16>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
