// RUN: inhibitor-opt %s -inhibitor-decompose -split-input-file | FileCheck %s
// RUN: inhibitor-opt %s -inhibitor-decompose -canonicalize -split-input-file | FileCheck %s --check-prefix=ROUNDTRIP

// --inhibitor-decompose splits unmasked inhibitor.attention into
// tensor.empty + manhattan_score + inhibit, all in the attention's
// accumulator type; the canonicalizer folds the parts back (ROUNDTRIP).

// CHECK-LABEL: func @static_signed_int
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x16x64xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x32x64xi8>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x32x8xi16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<2x16x8xi32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x16x32xi32>
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score {alpha = 1 : i32, gamma = 8 : i32}
// CHECK-SAME: ins(%[[Q]], %[[K]] : tensor<2x16x64xi8>, tensor<2x32x64xi8>)
// CHECK-SAME: outs(%[[E]] : tensor<2x16x32xi32>) -> tensor<2x16x32xi32>
// CHECK: %[[H:.*]] = inhibitor.inhibit signed
// CHECK-SAME: ins(%[[V]], %[[Z]] : tensor<2x32x8xi16>, tensor<2x16x32xi32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<2x16x8xi32>) -> tensor<2x16x8xi32>
// CHECK-NOT: inhibitor.attention
// CHECK: return %[[H]]

// ROUNDTRIP-LABEL: func @static_signed_int
// ROUNDTRIP-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x16x64xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x32x64xi8>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x32x8xi16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<2x16x8xi32>
// ROUNDTRIP-NOT: tensor.empty
// ROUNDTRIP: %[[H:.*]] = inhibitor.attention signed {alpha = 1 : i32, gamma = 8 : i32}
// ROUNDTRIP-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<2x16x64xi8>, tensor<2x32x64xi8>, tensor<2x32x8xi16>)
// ROUNDTRIP-SAME: outs(%[[INIT]] : tensor<2x16x8xi32>)
// ROUNDTRIP-NEXT: return %[[H]]
func.func @static_signed_int(%q: tensor<2x16x64xi8>, %k: tensor<2x32x64xi8>,
                             %v: tensor<2x32x8xi16>,
                             %init: tensor<2x16x8xi32>) -> tensor<2x16x8xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32, alpha = 1 : i32}
         ins(%q, %k, %v : tensor<2x16x64xi8>, tensor<2x32x64xi8>, tensor<2x32x8xi16>)
         outs(%init : tensor<2x16x8xi32>) -> tensor<2x16x8xi32>
  return %h : tensor<2x16x8xi32>
}

// -----

// No batch dims, unsigned, a float gamma and no alpha.
// CHECK-LABEL: func @static_unsigned_float
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<16x64xf16>, %[[K:[a-zA-Z0-9_]+]]: tensor<32x64xf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<32x8xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<16x8xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<16x32xf32>
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score {gamma = 8.000000e+00 : f32} ins(%[[Q]], %[[K]] : tensor<16x64xf16>, tensor<32x64xf16>) outs(%[[E]] : tensor<16x32xf32>) -> tensor<16x32xf32>
// CHECK: %[[H:.*]] = inhibitor.inhibit ins(%[[V]], %[[Z]] : tensor<32x8xbf16>, tensor<16x32xf32>) outs(%[[INIT]] : tensor<16x8xf32>) -> tensor<16x8xf32>
// CHECK: return %[[H]]

// ROUNDTRIP-LABEL: func @static_unsigned_float
// ROUNDTRIP: inhibitor.attention {gamma = 8.000000e+00 : f32} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<16x64xf16>, tensor<32x64xf16>, tensor<32x8xbf16>) outs(%{{.*}} : tensor<16x8xf32>) -> tensor<16x8xf32>
// ROUNDTRIP-NOT: inhibitor.manhattan_score
func.func @static_unsigned_float(%q: tensor<16x64xf16>, %k: tensor<32x64xf16>,
                                 %v: tensor<32x8xbf16>,
                                 %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %h = inhibitor.attention {gamma = 8.0 : f32}
         ins(%q, %k, %v : tensor<16x64xf16>, tensor<32x64xf16>, tensor<32x8xbf16>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

// Two batch dims, alpha only.
// CHECK-LABEL: func @two_batch_dims
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x4x16x32xi64>
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score {alpha = 2 : i64} ins(%{{.*}}, %{{.*}} : tensor<2x4x16x8xi32>, tensor<2x4x32x8xi32>) outs(%[[E]] : tensor<2x4x16x32xi64>) -> tensor<2x4x16x32xi64>
// CHECK: inhibitor.inhibit signed ins(%{{.*}}, %[[Z]] : tensor<2x4x32x8xi64>, tensor<2x4x16x32xi64>) outs(%{{.*}} : tensor<2x4x16x8xi64>) -> tensor<2x4x16x8xi64>

// ROUNDTRIP-LABEL: func @two_batch_dims
// ROUNDTRIP: inhibitor.attention signed {alpha = 2 : i64} ins(
func.func @two_batch_dims(%q: tensor<2x4x16x8xi32>, %k: tensor<2x4x32x8xi32>,
                          %v: tensor<2x4x32x8xi64>,
                          %init: tensor<2x4x16x8xi64>) -> tensor<2x4x16x8xi64> {
  %h = inhibitor.attention signed {alpha = 2 : i64}
         ins(%q, %k, %v : tensor<2x4x16x8xi32>, tensor<2x4x32x8xi32>, tensor<2x4x32x8xi64>)
         outs(%init : tensor<2x4x16x8xi64>) -> tensor<2x4x16x8xi64>
  return %h : tensor<2x4x16x8xi64>
}

// -----

// Dynamic sizes of the score: batch and N from the query, M from the key.
// CHECK-LABEL: func @dynamic
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<?x?x?xf32>, %[[K:[a-zA-Z0-9_]+]]: tensor<?x?x?xf32>, %[[V:[a-zA-Z0-9_]+]]: tensor<?x?x?xf32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x?x?xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[B:.*]] = tensor.dim %[[Q]], %[[C0]] : tensor<?x?x?xf32>
// CHECK-DAG: %[[N:.*]] = tensor.dim %[[Q]], %[[C1]] : tensor<?x?x?xf32>
// CHECK-DAG: %[[M:.*]] = tensor.dim %[[K]], %[[C1]] : tensor<?x?x?xf32>
// CHECK: %[[E:.*]] = tensor.empty(%[[B]], %[[N]], %[[M]]) : tensor<?x?x?xf32>
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score ins(%[[Q]], %[[K]] : tensor<?x?x?xf32>, tensor<?x?x?xf32>) outs(%[[E]] : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
// CHECK: %[[H:.*]] = inhibitor.inhibit ins(%[[V]], %[[Z]] : tensor<?x?x?xf32>, tensor<?x?x?xf32>) outs(%[[INIT]] : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
// CHECK: return %[[H]]

// ROUNDTRIP-LABEL: func @dynamic
// ROUNDTRIP-NOT: tensor.dim
// ROUNDTRIP-NOT: tensor.empty
// ROUNDTRIP: %[[H:.*]] = inhibitor.attention ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) outs(%{{.*}} : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
// ROUNDTRIP-NEXT: return %[[H]]
func.func @dynamic(%q: tensor<?x?x?xf32>, %k: tensor<?x?x?xf32>, %v: tensor<?x?x?xf32>,
                   %init: tensor<?x?x?xf32>) -> tensor<?x?x?xf32> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
         outs(%init : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  return %h : tensor<?x?x?xf32>
}

// -----

// Sizes the query leaves dynamic are static when the result (N, batch) or the
// value (M) knows them; only the rest is read with tensor.dim.
// CHECK-LABEL: func @mixed_dynamic
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<?x?x?x64xi16>, %[[K:[a-zA-Z0-9_]+]]: tensor<?x?x?x64xi16>
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK: %[[N:.*]] = tensor.dim %[[Q]], %[[C2]] : tensor<?x?x?x64xi16>
// CHECK: %[[E:.*]] = tensor.empty(%[[N]]) : tensor<3x4x?x32xi32>
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score ins(%[[Q]], %[[K]] : tensor<?x?x?x64xi16>, tensor<?x?x?x64xi16>) outs(%[[E]] : tensor<3x4x?x32xi32>) -> tensor<3x4x?x32xi32>
// CHECK: inhibitor.inhibit ins(%{{.*}}, %[[Z]] : tensor<?x?x32x8xi16>, tensor<3x4x?x32xi32>)
func.func @mixed_dynamic(%q: tensor<?x?x?x64xi16>, %k: tensor<?x?x?x64xi16>,
                         %v: tensor<?x?x32x8xi16>,
                         %init: tensor<3x4x?x8xi32>) -> tensor<3x4x?x8xi32> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<?x?x?x64xi16>, tensor<?x?x?x64xi16>, tensor<?x?x32x8xi16>)
         outs(%init : tensor<3x4x?x8xi32>) -> tensor<3x4x?x8xi32>
  return %h : tensor<3x4x?x8xi32>
}

// -----

// Masked attention has no parts: left alone.
// CHECK-LABEL: func @masked_left_alone
// CHECK-NOT: tensor.empty
// CHECK-NOT: inhibitor.manhattan_score
// CHECK: inhibitor.attention signed {gamma = 8 : i32} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<16x64xi8>, tensor<32x64xi8>, tensor<32x8xi8>) mask(%{{.*}} : tensor<16x32xi1>) outs(%{{.*}} : tensor<16x8xi32>)
// CHECK-NOT: inhibitor.inhibit

// ROUNDTRIP-LABEL: func @masked_left_alone
// ROUNDTRIP: inhibitor.attention signed {gamma = 8 : i32} ins({{.*}}) mask(
func.func @masked_left_alone(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                             %v: tensor<32x8xi8>, %m: tensor<16x32xi1>,
                             %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<16x64xi8>, tensor<32x64xi8>, tensor<32x8xi8>)
         mask(%m : tensor<16x32xi1>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}

// -----

// Causal attention has no parts either.
// CHECK-LABEL: func @causal_left_alone
// CHECK-NOT: inhibitor.manhattan_score
// CHECK: inhibitor.attention causal ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<?x16x64xf32>, tensor<?x16x64xf32>, tensor<?x16x8xf32>) outs(%{{.*}} : tensor<?x16x8xf32>)
// CHECK-NOT: inhibitor.inhibit

// ROUNDTRIP-LABEL: func @causal_left_alone
// ROUNDTRIP: inhibitor.attention causal ins(
func.func @causal_left_alone(%q: tensor<?x16x64xf32>, %k: tensor<?x16x64xf32>,
                             %v: tensor<?x16x8xf32>,
                             %init: tensor<?x16x8xf32>) -> tensor<?x16x8xf32> {
  %h = inhibitor.attention causal
         ins(%q, %k, %v : tensor<?x16x64xf32>, tensor<?x16x64xf32>, tensor<?x16x8xf32>)
         outs(%init : tensor<?x16x8xf32>) -> tensor<?x16x8xf32>
  return %h : tensor<?x16x8xf32>
}

// -----

// Only the unmasked one of two attentions is split.
// CHECK-LABEL: func @only_unmasked_split
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score
// CHECK: %[[H0:.*]] = inhibitor.inhibit ins(%{{.*}}, %[[Z]] :
// CHECK: %[[H1:.*]] = inhibitor.attention ins({{.*}}) mask(
// CHECK: return %[[H0]], %[[H1]]
func.func @only_unmasked_split(%q: tensor<16x64xf64>, %k: tensor<32x64xf64>,
                               %v: tensor<32x8xf64>, %m: tensor<32xi1>,
                               %init: tensor<16x8xf64>)
    -> (tensor<16x8xf64>, tensor<16x8xf64>) {
  %h0 = inhibitor.attention
          ins(%q, %k, %v : tensor<16x64xf64>, tensor<32x64xf64>, tensor<32x8xf64>)
          outs(%init : tensor<16x8xf64>) -> tensor<16x8xf64>
  %h1 = inhibitor.attention
          ins(%q, %k, %v : tensor<16x64xf64>, tensor<32x64xf64>, tensor<32x8xf64>)
          mask(%m : tensor<32xi1>)
          outs(%init : tensor<16x8xf64>) -> tensor<16x8xf64>
  return %h0, %h1 : tensor<16x8xf64>, tensor<16x8xf64>
}

// -----

// A bias goes to the score; grouped K and V stay grouped (8 query heads,
// 2 key/value heads); the fold puts both back.
// CHECK-LABEL: func @bias_grouped
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x8x5x4xf32>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x2x7x4xf32>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x2x7x3xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<8x1x7xf32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<2x8x5x3xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x8x5x7xf32>
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score {gamma = 2.000000e+00 : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]] : tensor<2x8x5x4xf32>, tensor<2x2x7x4xf32>)
// CHECK-SAME: bias(%[[B]] : tensor<8x1x7xf32>)
// CHECK-SAME: outs(%[[E]] : tensor<2x8x5x7xf32>)
// CHECK: %[[H:.*]] = inhibitor.inhibit signed ins(%[[V]], %[[Z]] : tensor<2x2x7x3xf32>, tensor<2x8x5x7xf32>) outs(%[[INIT]] : tensor<2x8x5x3xf32>)
// CHECK: return %[[H]]

// ROUNDTRIP-LABEL: func @bias_grouped
// ROUNDTRIP-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x8x5x4xf32>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x2x7x4xf32>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x2x7x3xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<8x1x7xf32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<2x8x5x3xf32>
// ROUNDTRIP: %[[H:.*]] = inhibitor.attention signed {gamma = 2.000000e+00 : f32} ins(%[[Q]], %[[K]], %[[V]] : tensor<2x8x5x4xf32>, tensor<2x2x7x4xf32>, tensor<2x2x7x3xf32>) bias(%[[B]] : tensor<8x1x7xf32>) outs(%[[INIT]] : tensor<2x8x5x3xf32>)
// ROUNDTRIP-NEXT: return %[[H]]
func.func @bias_grouped(%q: tensor<2x8x5x4xf32>, %k: tensor<2x2x7x4xf32>, %v: tensor<2x2x7x3xf32>,
                        %b: tensor<8x1x7xf32>, %init: tensor<2x8x5x3xf32>) -> tensor<2x8x5x3xf32> {
  %h = inhibitor.attention signed {gamma = 2.0 : f32}
         ins(%q, %k, %v : tensor<2x8x5x4xf32>, tensor<2x2x7x4xf32>, tensor<2x2x7x3xf32>)
         bias(%b : tensor<8x1x7xf32>)
         outs(%init : tensor<2x8x5x3xf32>) -> tensor<2x8x5x3xf32>
  return %h : tensor<2x8x5x3xf32>
}

// -----

// Multi-query with dynamic query heads: the score's destination takes the
// heads from Q, not from K.
// CHECK-LABEL: func @mqa_dynamic_heads
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<?x5x4xi8>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[H:.*]] = tensor.dim %[[Q]], %[[C0]]
// CHECK: tensor.empty(%[[H]]) : tensor<?x5x7xi16>
// CHECK: inhibitor.manhattan_score ins(%[[Q]], %{{.*}} : tensor<?x5x4xi8>, tensor<1x7x4xi8>)
// CHECK: inhibitor.inhibit ins(%{{.*}}, %{{.*}} : tensor<1x7x3xi8>, tensor<?x5x7xi16>)
func.func @mqa_dynamic_heads(%q: tensor<?x5x4xi8>, %k: tensor<1x7x4xi8>, %v: tensor<1x7x3xi8>,
                             %init: tensor<?x5x3xi16>) -> tensor<?x5x3xi16> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<?x5x4xi8>, tensor<1x7x4xi8>, tensor<1x7x3xi8>)
         outs(%init : tensor<?x5x3xi16>) -> tensor<?x5x3xi16>
  return %h : tensor<?x5x3xi16>
}
