// RUN: inhibitor-opt %s -canonicalize -split-input-file | FileCheck %s

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

// -----

// Unsigned inhibition gives an unsigned, non-causal attention.
// CHECK-LABEL: func @fold_unsigned_float_gamma
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<16x64xf16>, %[[K:[a-zA-Z0-9_]+]]: tensor<32x64xf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<32x8xf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<16x8xf32>
// CHECK-NOT: inhibitor.manhattan_score
// CHECK: %[[H:.*]] = inhibitor.attention {gamma = 8.000000e+00 : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<16x64xf16>, tensor<32x64xf16>, tensor<32x8xf16>)
// CHECK-SAME: outs(%[[INIT]] : tensor<16x8xf32>) -> tensor<16x8xf32>
// CHECK-NOT: inhibitor.inhibit
// CHECK: return %[[H]]
func.func @fold_unsigned_float_gamma(%q: tensor<16x64xf16>, %k: tensor<32x64xf16>,
                                     %v: tensor<32x8xf16>,
                                     %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %e = tensor.empty() : tensor<16x32xf32>
  %z = inhibitor.manhattan_score {gamma = 8.0 : f32}
         ins(%q, %k : tensor<16x64xf16>, tensor<32x64xf16>)
         outs(%e : tensor<16x32xf32>) -> tensor<16x32xf32>
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xf16>, tensor<16x32xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

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

// -----

// The fold never makes a causal attention.
// CHECK-LABEL: func @fold_never_causal
// CHECK: inhibitor.attention signed ins(
func.func @fold_never_causal(%q: tensor<4x8xi32>, %k: tensor<4x8xi32>,
                             %v: tensor<4x8xi32>,
                             %init: tensor<4x8xi32>) -> tensor<4x8xi32> {
  %e = tensor.empty() : tensor<4x4xi32>
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<4x8xi32>, tensor<4x8xi32>)
         outs(%e : tensor<4x4xi32>) -> tensor<4x4xi32>
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<4x8xi32>, tensor<4x4xi32>)
         outs(%init : tensor<4x8xi32>) -> tensor<4x8xi32>
  return %h : tensor<4x8xi32>
}

// -----

// Not folded: the score has another use.
// CHECK-LABEL: func @score_with_other_use
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score
// CHECK: %[[H:.*]] = inhibitor.inhibit signed ins(%{{.*}}, %[[Z]] :
// CHECK-NOT: inhibitor.attention
// CHECK: return %[[H]], %[[Z]]
func.func @score_with_other_use(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                %v: tensor<32x8xi8>, %init: tensor<16x8xi32>)
    -> (tensor<16x8xi32>, tensor<16x32xi32>) {
  %e = tensor.empty() : tensor<16x32xi32>
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%e : tensor<16x32xi32>) -> tensor<16x32xi32>
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<32x8xi8>, tensor<16x32xi32>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h, %z : tensor<16x8xi32>, tensor<16x32xi32>
}

// -----

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

// -----

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

// -----

// Not folded: the parts agree only through a dynamic score size (K has 32
// rows, V has 16), so the composite would not verify.
// CHECK-LABEL: func @sizes_agree_only_through_dynamic_score
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score
// CHECK: %[[H:.*]] = inhibitor.inhibit ins(%{{.*}}, %[[Z]] : tensor<16x8xf32>, tensor<16x?xf32>)
// CHECK-NOT: inhibitor.attention
// CHECK: return %[[H]]
func.func @sizes_agree_only_through_dynamic_score(
    %q: tensor<16x64xf32>, %k: tensor<32x64xf32>, %v: tensor<16x8xf32>,
    %zinit: tensor<16x?xf32>, %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xf32>, tensor<32x64xf32>)
         outs(%zinit : tensor<16x?xf32>) -> tensor<16x?xf32>
  %h = inhibitor.inhibit ins(%v, %z : tensor<16x8xf32>, tensor<16x?xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

// Not folded: the score is not a Manhattan score.
// CHECK-LABEL: func @score_is_argument
// CHECK-SAME: %[[V:[a-zA-Z0-9_]+]]: tensor<32x8xf32>, %[[Z:[a-zA-Z0-9_]+]]: tensor<16x32xf32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<16x8xf32>
// CHECK: %[[H:.*]] = inhibitor.inhibit signed ins(%[[V]], %[[Z]] : tensor<32x8xf32>, tensor<16x32xf32>) outs(%[[INIT]] : tensor<16x8xf32>)
// CHECK: return %[[H]]
func.func @score_is_argument(%v: tensor<32x8xf32>, %z: tensor<16x32xf32>,
                             %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<32x8xf32>, tensor<16x32xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

// Not folded: the score comes from another inhibition.
// CHECK-LABEL: func @score_from_inhibit
// CHECK: %[[Z:.*]] = inhibitor.inhibit ins(
// CHECK: inhibitor.inhibit ins(%{{.*}}, %[[Z]] :
// CHECK-NOT: inhibitor.attention
func.func @score_from_inhibit(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>,
                              %v: tensor<8x4xf32>,
                              %init: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %z = inhibitor.inhibit ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>)
         outs(%a : tensor<8x8xf32>) -> tensor<8x8xf32>
  %h = inhibitor.inhibit ins(%v, %z : tensor<8x4xf32>, tensor<8x8xf32>)
         outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %h : tensor<8x4xf32>
}

// -----

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

// -----

// A score's bias and grouped heads carry over to the composite.
// CHECK-LABEL: func @fold_bias_grouped
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<4x5x3xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x7x3xi8>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x7x2xi8>, %[[B:[a-zA-Z0-9_]+]]: tensor<5x7xi32>
// CHECK: %[[H:.*]] = inhibitor.attention ins(%[[Q]], %[[K]], %[[V]] : tensor<4x5x3xi8>, tensor<2x7x3xi8>, tensor<2x7x2xi8>) bias(%[[B]] : tensor<5x7xi32>)
// CHECK-NOT: inhibitor.manhattan_score
// CHECK: return %[[H]]
func.func @fold_bias_grouped(%q: tensor<4x5x3xi8>, %k: tensor<2x7x3xi8>, %v: tensor<2x7x2xi8>,
                             %b: tensor<5x7xi32>, %zi: tensor<4x5x7xi32>,
                             %init: tensor<4x5x2xi32>) -> tensor<4x5x2xi32> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<4x5x3xi8>, tensor<2x7x3xi8>)
         bias(%b : tensor<5x7xi32>)
         outs(%zi : tensor<4x5x7xi32>) -> tensor<4x5x7xi32>
  %h = inhibitor.inhibit ins(%v, %z : tensor<2x7x2xi8>, tensor<4x5x7xi32>)
         outs(%init : tensor<4x5x2xi32>) -> tensor<4x5x2xi32>
  return %h : tensor<4x5x2xi32>
}

// -----

// K and V grouped differently (2 and 4 heads for 8 query heads): each part
// is valid, the composite would not be.
// CHECK-LABEL: func @no_fold_groups_differ
// CHECK: inhibitor.manhattan_score
// CHECK: inhibitor.inhibit
// CHECK-NOT: inhibitor.attention
func.func @no_fold_groups_differ(%q: tensor<8x5x3xf32>, %k: tensor<2x7x3xf32>, %v: tensor<4x7x2xf32>,
                                 %zi: tensor<8x5x7xf32>,
                                 %init: tensor<8x5x2xf32>) -> tensor<8x5x2xf32> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<8x5x3xf32>, tensor<2x7x3xf32>)
         outs(%zi : tensor<8x5x7xf32>) -> tensor<8x5x7xf32>
  %h = inhibitor.inhibit ins(%v, %z : tensor<4x7x2xf32>, tensor<8x5x7xf32>)
         outs(%init : tensor<8x5x2xf32>) -> tensor<8x5x2xf32>
  return %h : tensor<8x5x2xf32>
}
