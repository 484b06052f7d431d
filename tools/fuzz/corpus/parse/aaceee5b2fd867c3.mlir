func.func @inhibit_unranked_score(%v: tensor<32x8xi32>, %z: tensor<*xi32>,
                                  %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op operand #1 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<*xi32>'}}
  %h = "inhibitor.inhibit"(%v, %z, %init)
         : (tensor<32x8xi32>, tensor<*xi32>, tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}
