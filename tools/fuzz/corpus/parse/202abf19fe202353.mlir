// Every operand in `ins` needs its type.
func.func @inhibit_missing_type(%v: tensor<32x8xi32>, %z: tensor<16x32xi32>,
                                %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{expected ','}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi32>) outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}
