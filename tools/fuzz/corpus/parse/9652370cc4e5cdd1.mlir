// The generic form reaches the ODS constraint on an unranked operand.
func.func @score_unranked_query(%q: tensor<*xf32>, %k: tensor<32x64xf32>,
                                %init: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op operand #0 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<*xf32>'}}
  %z = "inhibitor.manhattan_score"(%q, %k, %init)
         : (tensor<*xf32>, tensor<32x64xf32>, tensor<16x32xf32>) -> tensor<16x32xf32>
  return %z : tensor<16x32xf32>
}
