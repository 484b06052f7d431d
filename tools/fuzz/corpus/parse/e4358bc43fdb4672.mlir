// Attention is the canonical form: masked or causal attention stays as is.
// CHECK-LABEL: func @attention_unchanged
// CHECK: inhibitor.attention causal signed {gamma = 4 : i32} ins({{.*}}) mask({{.*}} : tensor<32xi1>)
// CHECK-NOT: inhibitor.manhattan_score
// CHECK-NOT: inhibitor.inhibit
func.func @attention_unchanged(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                               %v: tensor<32x8xi8>, %m: tensor<32xi1>,
                               %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  %h = inhibitor.attention causal signed {gamma = 4 : i32}
         ins(%q, %k, %v : tensor<16x64xi8>, tensor<32x64xi8>, tensor<32x8xi8>)
         mask(%m : tensor<32xi1>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}
