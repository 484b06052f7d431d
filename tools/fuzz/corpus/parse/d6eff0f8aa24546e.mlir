func.func @inhibit_init_result_mismatch(%v: tensor<32x8xi16>, %z: tensor<16x32xi32>,
                                        %init: tensor<16x?xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op expected type of operand #2 ('tensor<16x?xi32>') to match type of corresponding result ('tensor<16x8xi32>')}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi16>, tensor<16x32xi32>)
         outs(%init : tensor<16x?xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}
