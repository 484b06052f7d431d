func.func @attention_alpha_negative(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                    %v: tensor<32x8xi8>,
                                    %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.attention' op 'alpha' must be non-negative, got -3}}
  %h = inhibitor.attention causal {alpha = -3 : i32}
         ins(%q, %k, %v : tensor<16x64xi8>, tensor<32x64xi8>, tensor<32x8xi8>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}
