// The custom form only parses ranked tensors.
func.func @score_unranked_query_custom(%q: tensor<*xf32>, %k: tensor<32x64xf32>,
                                       %init: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{custom op 'inhibitor.manhattan_score' invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<*xf32>, tensor<32x64xf32>)
         outs(%init : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %z : tensor<16x32xf32>
}
