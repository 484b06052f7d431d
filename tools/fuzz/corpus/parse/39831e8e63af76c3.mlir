// The keywords come in a fixed order: `causal` before `signed`.
func.func @attention_keyword_order(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                   %v: tensor<32x8xf32>,
                                   %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{custom op 'inhibitor.attention' expected 'ins'}}
  %h = inhibitor.attention signed causal
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
