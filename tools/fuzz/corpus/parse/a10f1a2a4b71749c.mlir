// Float alpha, signed, two batch dims, every size dynamic.
// CHECK-LABEL: func @fold_signed_float_dynamic
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<?x?x?x?xf32>, %[[K:[a-zA-Z0-9_]+]]: tensor<?x?x?x?xf32>, %[[V:[a-zA-Z0-9_]+]]: tensor<?x?x?x?xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x?x?x?xf64>
// CHECK-NOT: inhibitor.manhattan_score
// CHECK: %[[H:.*]] = inhibitor.attention signed {alpha = 5.000000e-01 : f64}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xbf16>)
// CHECK-SAME: outs(%[[INIT]] : tensor<?x?x?x?xf64>) -> tensor<?x?x?x?xf64>
// CHECK-NOT: inhibitor.inhibit
// CHECK: return %[[H]]
func.func @fold_signed_float_dynamic(%q: tensor<?x?x?x?xf32>, %k: tensor<?x?x?x?xf32>,
                                     %v: tensor<?x?x?x?xbf16>,
                                     %init: tensor<?x?x?x?xf64>,
                                     %zinit: tensor<?x?x?x?xf64>) -> tensor<?x?x?x?xf64> {
  %z = inhibitor.manhattan_score {alpha = 0.5 : f64}
         ins(%q, %k : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>)
         outs(%zinit : tensor<?x?x?x?xf64>) -> tensor<?x?x?x?xf64>
  %h = inhibitor.inhibit signed
         ins(%v, %z : tensor<?x?x?x?xbf16>, tensor<?x?x?x?xf64>)
         outs(%init : tensor<?x?x?x?xf64>) -> tensor<?x?x?x?xf64>
  return %h : tensor<?x?x?x?xf64>
}
