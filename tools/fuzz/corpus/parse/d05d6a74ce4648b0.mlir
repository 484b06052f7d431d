func.func @attention_query_narrow(%q: tensor<16x64xi32>, %k: tensor<32x64xi32>,
                                  %v: tensor<32x8xi8>,
                                  %init: tensor<16x8xi16>) -> tensor<16x8xi16> {
  // expected-error @+1 {{'inhibitor.attention' op accumulator type 'i16' is not at least as wide as query element type 'i32'}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xi32>, tensor<32x64xi32>, tensor<32x8xi8>)
         outs(%init : tensor<16x8xi16>) -> tensor<16x8xi16>
  return %h : tensor<16x8xi16>
}
