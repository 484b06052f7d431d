func.func @score_i1_result(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                           %init: tensor<16x32xi8>) -> tensor<16x32xi1> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op result #0 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<16x32xi1>'}}
  %z = "inhibitor.manhattan_score"(%q, %k, %init)
         : (tensor<16x64xi8>, tensor<32x64xi8>, tensor<16x32xi8>) -> tensor<16x32xi1>
  return %z : tensor<16x32xi1>
}
