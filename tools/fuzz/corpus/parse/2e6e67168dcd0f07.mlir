// With a mask, the init is operand #4.
func.func @attention_masked_init_result_mismatch(
    %q: tensor<16x64xf16>, %k: tensor<32x64xf16>, %v: tensor<32x8xf16>,
    %m: tensor<16x32xi1>, %init: tensor<16x4xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op expected type of operand #4 ('tensor<16x4xf32>') to match type of corresponding result ('tensor<16x8xf32>')}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf16>, tensor<32x64xf16>, tensor<32x8xf16>)
         mask(%m : tensor<16x32xi1>)
         outs(%init : tensor<16x4xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
