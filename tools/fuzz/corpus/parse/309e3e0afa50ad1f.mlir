func.func @attention_query_kind(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                %v: tensor<32x8xi8>,
                                %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op accumulator type 'f32' and query element type 'i8' must both be integers or both be floats}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xi8>, tensor<32x64xi8>, tensor<32x8xi8>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
