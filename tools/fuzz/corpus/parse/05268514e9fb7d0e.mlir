// Not folded: one score feeds two inhibitions.
// CHECK-LABEL: func @score_feeds_two_inhibits
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score
// CHECK: inhibitor.inhibit ins(%{{.*}}, %[[Z]] :
// CHECK: inhibitor.inhibit signed ins(%{{.*}}, %[[Z]] :
// CHECK-NOT: inhibitor.attention
func.func @score_feeds_two_inhibits(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                    %v: tensor<32x8xi8>, %init: tensor<16x8xi32>)
    -> (tensor<16x8xi32>, tensor<16x8xi32>) {
  %e = tensor.empty() : tensor<16x32xi32>
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%e : tensor<16x32xi32>) -> tensor<16x32xi32>
  %h0 = inhibitor.inhibit ins(%v, %z : tensor<32x8xi8>, tensor<16x32xi32>)
          outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  %h1 = inhibitor.inhibit signed ins(%v, %z : tensor<32x8xi8>, tensor<16x32xi32>)
          outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h0, %h1 : tensor<16x8xi32>, tensor<16x8xi32>
}
