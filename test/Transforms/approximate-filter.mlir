// RUN: inhibitor-opt %s --inhibitor-approximate-filter -split-input-file | FileCheck %s

// Per-head thresholds (dim 0), 4 low bits of i8 dropped: 4-bit operands whose
// sum over D = 16 needs i16; thresholds floor(T / 16); the op's own mask
// AND-ed, causal, signed, gamma and other attributes kept, the filter's
// attributes removed.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[HEAD:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[MASK:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func @per_head
// CHECK-SAME: (%[[Q:.*]]: tensor<2x8x16xi8>, %[[K:.*]]: tensor<2x8x16xi8>, %[[V:.*]]: tensor<2x8x16xi8>, %[[M:.*]]: tensor<8x8xi1>)
// CHECK-DAG: %[[T:.*]] = arith.constant dense<[56, -1]> : tensor<2xi16>
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : i8
// CHECK: %[[QL:.*]] = linalg.generic {{.*}} ins(%[[Q]] : tensor<2x8x16xi8>)
// CHECK: arith.shrsi %{{.*}}, %[[C4]] : i8
// CHECK: %[[KL:.*]] = linalg.generic {{.*}} ins(%[[K]] : tensor<2x8x16xi8>)
// CHECK: %[[S:.*]] = inhibitor.manhattan_score ins(%[[QL]], %[[KL]] : tensor<2x8x16xi8>, tensor<2x8x16xi8>) outs(%{{.*}} : tensor<2x8x8xi16>)
// CHECK: %[[KEEP:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[HEAD]], #[[MASK]], #[[ID]]]
// CHECK-SAME: ins(%[[S]], %[[T]], %[[M]] : tensor<2x8x8xi16>, tensor<2xi16>, tensor<8x8xi1>)
// CHECK: %[[LE:.*]] = arith.cmpi sle
// CHECK: arith.andi %[[LE]]
// CHECK: inhibitor.attention causal signed {foo = 1 : i64, gamma = 4 : i16}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : {{.*}}) mask(%[[KEEP]] : tensor<2x8x8xi1>)
// CHECK-NOT: approx
func.func @per_head(%q: tensor<2x8x16xi8>, %k: tensor<2x8x16xi8>, %v: tensor<2x8x16xi8>,
                    %m: tensor<8x8xi1>) -> tensor<2x8x16xi16> {
  %init = tensor.empty() : tensor<2x8x16xi16>
  %h = inhibitor.attention causal signed {gamma = 4 : i16, foo = 1,
         inhibitor.approx_thresholds = array<i64: 900, -3>, inhibitor.approx_shift = 4 : i64}
         ins(%q, %k, %v : tensor<2x8x16xi8>, tensor<2x8x16xi8>, tensor<2x8x16xi8>)
         mask(%m : tensor<8x8xi1>)
         outs(%init : tensor<2x8x16xi16>) -> tensor<2x8x16xi16>
  return %h : tensor<2x8x16xi16>
}

// -----

// One threshold for all heads, no shift: the operands are used as they
// are; i16 data over D = 64 need an i32 sum (64 * 65535); a threshold
// beyond i32 is clamped (keeps every pair, as the unclamped one would).
// CHECK-LABEL: func @one_threshold
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<3x4x64xi16>, %[[K:[^:]*]]: tensor<3x5x64xi16>
// CHECK: %[[T:.*]] = arith.constant 2147483647 : i32
// CHECK-NOT: linalg.generic
// CHECK: %[[S:.*]] = inhibitor.manhattan_score ins(%[[Q]], %[[K]] : tensor<3x4x64xi16>, tensor<3x5x64xi16>) outs(%{{.*}} : tensor<3x4x5xi32>)
// CHECK: %[[KEEP:.*]] = linalg.generic {{.*}} ins(%[[S]] : tensor<3x4x5xi32>) outs(%{{.*}} : tensor<3x4x5xi1>)
// CHECK: arith.cmpi sle, %{{.*}}, %[[T]] : i32
// CHECK: inhibitor.attention ins({{.*}}) mask(%[[KEEP]] : tensor<3x4x5xi1>)
func.func @one_threshold(%q: tensor<3x4x64xi16>, %k: tensor<3x5x64xi16>, %v: tensor<3x5x8xi16>) -> tensor<3x4x8xi32> {
  %init = tensor.empty() : tensor<3x4x8xi32>
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<i64: 9000000000>}
         ins(%q, %k, %v : tensor<3x4x64xi16>, tensor<3x5x64xi16>, tensor<3x5x8xi16>)
         outs(%init : tensor<3x4x8xi32>) -> tensor<3x4x8xi32>
  return %h : tensor<3x4x8xi32>
}

// -----

// Per-head thresholds along batch dim 1 ([B, H, N, D], as inhibitor.nn
// runs it), grouped heads (K/V have 1 head: the score broadcasts them), a
// bias kept; 24 of 32 bits dropped: 8-bit operands (i8), whose sum over
// D = 4 fits i16.
// CHECK-DAG: #[[HEAD1:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func @head_dim
// CHECK-DAG: %[[T:.*]] = arith.constant dense<[0, 1, 2]> : tensor<3xi16>
// CHECK: linalg.generic
// CHECK: %[[SH:.*]] = arith.shrsi %{{.*}} : i32
// CHECK: arith.trunci %[[SH]] : i32 to i8
// CHECK: inhibitor.manhattan_score ins(%{{.*}}, %{{.*}} : tensor<2x3x5x4xi8>, tensor<2x1x6x4xi8>) outs(%{{.*}} : tensor<2x3x5x6xi16>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[HEAD1]], #{{.*}}]
// CHECK: inhibitor.attention {{.*}}mask(%{{.*}} : tensor<2x3x5x6xi1>) bias(%{{.*}} : tensor<5x6xi64>)
func.func @head_dim(%q: tensor<2x3x5x4xi32>, %k: tensor<2x1x6x4xi32>, %v: tensor<2x1x6x7xi32>,
                    %b: tensor<5x6xi64>) -> tensor<2x3x5x7xi64> {
  %init = tensor.empty() : tensor<2x3x5x7xi64>
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<i64: 0, 16777216, 33554432>,
                            inhibitor.approx_shift = 24 : i64, inhibitor.approx_head_dim = 1 : i64}
         ins(%q, %k, %v : tensor<2x3x5x4xi32>, tensor<2x1x6x4xi32>, tensor<2x1x6x7xi32>)
         bias(%b : tensor<5x6xi64>)
         outs(%init : tensor<2x3x5x7xi64>) -> tensor<2x3x5x7xi64>
  return %h : tensor<2x3x5x7xi64>
}

// -----

// Floats: floor(x * 2^-shift) in the accumulator type (f16 data widened to
// f32 first), the threshold fl(T) * 2^-shift (3.5 / 0.25 = 14), compared
// with `ule` (a NaN score keeps its pair); dynamic sizes.
// CHECK-LABEL: func @float_dynamic
// CHECK-DAG: %[[T:.*]] = arith.constant 1.400000e+01 : f32
// CHECK-DAG: %[[SCALE:.*]] = arith.constant 4.000000e+00 : f32
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<?x16xf16>) outs(%{{.*}} : tensor<?x16xf32>)
// CHECK: %[[X:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK: %[[Y:.*]] = arith.mulf %[[X]], %[[SCALE]] : f32
// CHECK: math.floor %[[Y]] : f32
// CHECK: %[[S:.*]] = inhibitor.manhattan_score {{.*}} -> tensor<?x?xf32>
// CHECK: %[[KEEP:.*]] = linalg.generic {{.*}} ins(%[[S]] : tensor<?x?xf32>)
// CHECK: arith.cmpf ule, %{{.*}}, %[[T]] : f32
// CHECK: inhibitor.attention ins({{.*}}) mask(%[[KEEP]] : tensor<?x?xi1>) outs
func.func @float_dynamic(%q: tensor<?x16xf16>, %k: tensor<?x16xf16>, %v: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %q, %c0 : tensor<?x16xf16>
  %init = tensor.empty(%n) : tensor<?x4xf32>
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<f64: 3.5>, inhibitor.approx_shift = -2 : i64}
         ins(%q, %k, %v : tensor<?x16xf16>, tensor<?x16xf16>, tensor<?x4xf32>)
         outs(%init : tensor<?x4xf32>) -> tensor<?x4xf32>
  return %h : tensor<?x4xf32>
}

// -----

// A dynamic D: the sum in i64 (exact for D < 2^31), i8 operands kept.
// CHECK-LABEL: func @dynamic_d
// CHECK: inhibitor.manhattan_score {{.*}} -> tensor<4x4xi64>
// CHECK: arith.cmpi sle, %{{.*}}, %{{.*}} : i64
func.func @dynamic_d(%q: tensor<4x?xi8>, %k: tensor<4x?xi8>, %v: tensor<4x4xi8>) -> tensor<4x4xi32> {
  %init = tensor.empty() : tensor<4x4xi32>
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<i64: 100>}
         ins(%q, %k, %v : tensor<4x?xi8>, tensor<4x?xi8>, tensor<4x4xi8>)
         outs(%init : tensor<4x4xi32>) -> tensor<4x4xi32>
  return %h : tensor<4x4xi32>
}

// -----

// No filter attribute: left alone.
// CHECK-LABEL: func @untouched
// CHECK-NOT: manhattan_score
// CHECK: inhibitor.attention ins
func.func @untouched(%q: tensor<4x8xi8>, %k: tensor<4x8xi8>, %v: tensor<4x4xi8>) -> tensor<4x4xi32> {
  %init = tensor.empty() : tensor<4x4xi32>
  %h = inhibitor.attention ins(%q, %k, %v : tensor<4x8xi8>, tensor<4x8xi8>, tensor<4x4xi8>)
         outs(%init : tensor<4x4xi32>) -> tensor<4x4xi32>
  return %h : tensor<4x4xi32>
}

// -----

// bf16: the grid 2^-1 and the threshold fl(3.3) * 2 = 6.59375 in bf16.
// CHECK-LABEL: func @bf16
// CHECK-DAG: arith.constant 6.593750e+00 : bf16
// CHECK-DAG: arith.constant 2.000000e+00 : bf16
// CHECK: math.floor %{{.*}} : bf16
// CHECK: arith.cmpf ule, %{{.*}}, %{{.*}} : bf16
func.func @bf16(%q: tensor<4x8xbf16>, %k: tensor<4x8xbf16>, %v: tensor<4x4xbf16>) -> tensor<4x4xbf16> {
  %init = tensor.empty() : tensor<4x4xbf16>
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<f64: 3.3>, inhibitor.approx_shift = -1 : i64}
         ins(%q, %k, %v : tensor<4x8xbf16>, tensor<4x8xbf16>, tensor<4x4xbf16>)
         outs(%init : tensor<4x4xbf16>) -> tensor<4x4xbf16>
  return %h : tensor<4x4xbf16>
}
