func.func @inhibit_i4_value(%v: tensor<32x8xi4>, %z: tensor<16x32xi32>,
                            %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op operand #0 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<32x8xi4>'}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi4>, tensor<16x32xi32>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}
