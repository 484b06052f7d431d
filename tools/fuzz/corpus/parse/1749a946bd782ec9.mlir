func.func @inhibit_value_narrow(%v: tensor<32x8xi64>, %z: tensor<16x32xi32>,
                                %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op accumulator type 'i32' is not at least as wide as value element type 'i64'}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi64>, tensor<16x32xi32>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}
