// Only signless integers: `si8` is not `i8`.
func.func @score_signed_integer_type(%q: tensor<16x64xsi8>, %k: tensor<32x64xsi8>,
                                     %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op operand #0 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<16x64xsi8>'}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xsi8>, tensor<32x64xsi8>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}
