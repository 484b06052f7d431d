// inhibit(V, manhattan_score(Q, K)) folds into inhibitor.attention when the
// score has no other use and both compute in the same accumulator type.

// CHECK-LABEL: func @fold_signed_int
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x16x64xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x32x64xi8>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x32x8xi16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<2x16x8xi32>
// CHECK-NOT: tensor.empty
// CHECK-NOT: inhibitor.manhattan_score
// CHECK-NOT: inhibitor.inhibit
// CHECK: %[[H:.*]] = inhibitor.attention signed {alpha = 1 : i32, gamma = 8 : i32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<2x16x64xi8>, tensor<2x32x64xi8>, tensor<2x32x8xi16>)
// CHECK-SAME: outs(%[[INIT]] : tensor<2x16x8xi32>) -> tensor<2x16x8xi32>
// CHECK-NEXT: return %[[H]]
func.func @fold_signed_int(%q: tensor<2x16x64xi8>, %k: tensor<2x32x64xi8>,
                           %v: tensor<2x32x8xi16>,
                           %init: tensor<2x16x8xi32>) -> tensor<2x16x8xi32> {
  %e = tensor.empty() : tensor<2x16x32xi32>
  %z = inhibitor.manhattan_score {gamma = 8 : i32, alpha = 1 : i32}
         ins(%q, %k : tensor<2x16x64xi8>, tensor<2x32x64xi8>)
         outs(%e : tensor<2x16x32xi32>) -> tensor<2x16x32xi32>
  %h = inhibitor.inhibit signed
         ins(%v, %z : tensor<2x32x8xi16>, tensor<2x16x32xi32>)
         outs(%init : tensor<2x16x8xi32>) -> tensor<2x16x8xi32>
  return %h : tensor<2x16x8xi32>
}
