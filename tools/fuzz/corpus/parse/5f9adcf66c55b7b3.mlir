// Not folded: the score is computed in i16 and the inhibition in i32; one
// attention has one accumulator and would wrap differently.
// CHECK-LABEL: func @accumulator_types_differ
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score {{.*}} -> tensor<16x32xi16>
// CHECK: %[[H:.*]] = inhibitor.inhibit ins(%{{.*}}, %[[Z]] : tensor<32x8xi8>, tensor<16x32xi16>) {{.*}} -> tensor<16x8xi32>
// CHECK-NOT: inhibitor.attention
// CHECK: return %[[H]]
func.func @accumulator_types_differ(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                    %v: tensor<32x8xi8>,
                                    %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  %e = tensor.empty() : tensor<16x32xi16>
  %z = inhibitor.manhattan_score {gamma = 8 : i16}
         ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%e : tensor<16x32xi16>) -> tensor<16x32xi16>
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi8>, tensor<16x32xi16>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}
