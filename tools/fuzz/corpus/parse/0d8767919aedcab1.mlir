func.func @score_element_types_differ(%q: tensor<16x64xi8>, %k: tensor<32x64xi16>,
                                      %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op query and key must have the same element type, got 'i8' and 'i16'}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi16>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}
