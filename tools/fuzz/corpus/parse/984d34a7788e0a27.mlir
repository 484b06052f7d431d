//===----------------------------------------------------------------------===//
// DestinationStyleOpInterface: the init has the result type
//===----------------------------------------------------------------------===//

func.func @score_init_result_mismatch(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                      %init: tensor<16x32xi32>) -> tensor<16x32xi64> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op expected type of operand #2 ('tensor<16x32xi32>') to match type of corresponding result ('tensor<16x32xi64>')}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi64>
  return %z : tensor<16x32xi64>
}
