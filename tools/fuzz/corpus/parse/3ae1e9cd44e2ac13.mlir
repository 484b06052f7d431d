// gamma and alpha must be typed attributes.
func.func @score_untyped_gamma(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                               %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op attribute 'gamma' failed to satisfy constraint: TypedAttr instance}}
  %z = "inhibitor.manhattan_score"(%q, %k, %init) {gamma = [1 : i32]}
         : (tensor<16x64xi8>, tensor<32x64xi8>, tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}
