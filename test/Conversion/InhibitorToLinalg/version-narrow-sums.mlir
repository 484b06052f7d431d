// RUN: inhibitor-opt %s --inhibitor-version-narrow-sums -split-input-file -verify-each | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-version-narrow-sums="key-tile=64 min-queries=16" -split-input-file | FileCheck %s --check-prefix=OPT
// RUN: inhibitor-opt %s --inhibitor-version-narrow-sums --inhibitor-tile="batch-tile=1 query-tile=32 key-tile=128" -split-input-file | FileCheck %s --check-prefix=TILE
// RUN: not inhibitor-opt %s --inhibitor-version-narrow-sums="key-tile=0" -split-input-file 2>&1 | FileCheck %s --check-prefix=ERR

// --inhibitor-version-narrow-sums: the lowering's check that 16-bit partial
// sums are exact (D * (max|Q| + max|K|) and key-tile * max|V| at most
// 32767), once per op on all of Q, K and V, and the op under it twice: with
// narrow_sums = key-tile (no check in the lowering, nor in any tile of it)
// and as it was.

// CHECK-LABEL: func @versioned
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<8x256x64xi16>, %[[K:[a-zA-Z0-9_]+]]: tensor<8x1024x64xi16>, %[[V:[a-zA-Z0-9_]+]]: tensor<8x1024x64xi16>
// CHECK: linalg.generic {{.*}} ins(%[[Q]] : tensor<8x256x64xi16>)
// CHECK: math.absi
// CHECK: linalg.generic {{.*}} ins(%[[K]] : tensor<8x1024x64xi16>)
// CHECK: linalg.generic {{.*}} ins(%[[V]] : tensor<8x1024x64xi16>)
// CHECK: %[[D:.*]] = arith.constant 64 : index
// CHECK: %[[KT:.*]] = arith.constant 128 : i64
// CHECK: %[[LIM:.*]] = arith.constant 32767 : i64
// CHECK: %[[FITS:.*]] = arith.andi
// CHECK: %[[H:.*]] = scf.if %[[FITS]] -> (tensor<8x256x64xi32>) {
// CHECK: %[[N:.*]] = inhibitor.attention signed {gamma = 8 : i32, narrow_sums = 128 : i64} ins(%[[Q]], %[[K]], %[[V]] :
// CHECK: scf.yield %[[N]]
// CHECK: } else {
// CHECK: %[[W:.*]] = inhibitor.attention signed {gamma = 8 : i32} ins(%[[Q]], %[[K]], %[[V]] :
// CHECK: scf.yield %[[W]]
// CHECK: return %[[H]]
// OPT-LABEL: func @versioned
// OPT: arith.constant 64 : i64
// OPT: inhibitor.attention signed {gamma = 8 : i32, narrow_sums = 64 : i64}
// TILE-LABEL: func @versioned
// TILE: scf.if
// TILE: scf.for
// TILE: scf.for
// TILE: inhibitor.attention signed {gamma = 8 : i32, narrow_sums = 128 : i64} {{.*}} -> tensor<1x32x64xi32>
// TILE: } else {
// TILE: scf.for
// TILE: scf.for
// TILE: inhibitor.attention signed {gamma = 8 : i32} {{.*}} -> tensor<1x32x64xi32>
// ERR: inhibitor-version-narrow-sums: key-tile must be > 0
func.func @versioned(%q: tensor<8x256x64xi16>, %k: tensor<8x1024x64xi16>,
                     %v: tensor<8x1024x64xi16>,
                     %init: tensor<8x256x64xi32>) -> tensor<8x256x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x256x64xi16>, tensor<8x1024x64xi16>, tensor<8x1024x64xi16>)
         outs(%init : tensor<8x256x64xi32>) -> tensor<8x256x64xi32>
  return %h : tensor<8x256x64xi32>
}

// -----

// Left alone: fewer than min-queries (64; decode checks each key tile on
// the tiles it reads), a dynamic N, 8-bit data with D <= 127 (no check
// needed), narrow_sums already there, a bias, floats, a gamma that does not
// fit in i16, an i16 accumulator over 8-bit data (no narrow mode, and no
// q - k of 8-bit data wraps in 16 bits).
// CHECK-LABEL: func @left_alone
// CHECK-NOT: scf.if
// CHECK-NOT: narrow_sums = 128
// CHECK: return
// OPT-LABEL: func @left_alone
// OPT: scf.if %{{.*}} -> (tensor<8x16x64xi32>)
// OPT: narrow_sums = 64
// OPT-NOT: scf.if
// OPT: return
func.func @left_alone(%q16: tensor<8x16x64xi16>, %qd: tensor<8x?x64xi16>,
                      %k: tensor<8x1024x64xi16>, %v: tensor<8x1024x64xi16>,
                      %i16: tensor<8x16x64xi32>, %id: tensor<8x?x64xi32>,
                      %q8: tensor<8x256x64xi8>, %k8: tensor<8x1024x64xi8>,
                      %q: tensor<8x256x64xi16>, %i: tensor<8x256x64xi32>,
                      %b: tensor<8x256x1024xi32>, %qf: tensor<8x256x64xf32>,
                      %kf: tensor<8x1024x64xf32>, %if: tensor<8x256x64xf32>,
                      %ia: tensor<8x256x64xi16>, %q8s: tensor<8x256x64xi8>)
    -> (tensor<8x16x64xi32>, tensor<8x?x64xi32>, tensor<8x256x64xi32>, tensor<8x256x64xi32>,
        tensor<8x256x64xi32>, tensor<8x256x64xf32>, tensor<8x256x64xi32>, tensor<8x256x64xi16>) {
  %few = inhibitor.attention ins(%q16, %k, %v : tensor<8x16x64xi16>, tensor<8x1024x64xi16>, tensor<8x1024x64xi16>)
           outs(%i16 : tensor<8x16x64xi32>) -> tensor<8x16x64xi32>
  %dyn = inhibitor.attention ins(%qd, %k, %v : tensor<8x?x64xi16>, tensor<8x1024x64xi16>, tensor<8x1024x64xi16>)
           outs(%id : tensor<8x?x64xi32>) -> tensor<8x?x64xi32>
  %bytes = inhibitor.attention ins(%q8, %k8, %k8 : tensor<8x256x64xi8>, tensor<8x1024x64xi8>, tensor<8x1024x64xi8>)
           outs(%i : tensor<8x256x64xi32>) -> tensor<8x256x64xi32>
  %done = inhibitor.attention {narrow_sums = 32 : i64} ins(%q, %k, %v : tensor<8x256x64xi16>, tensor<8x1024x64xi16>, tensor<8x1024x64xi16>)
           outs(%i : tensor<8x256x64xi32>) -> tensor<8x256x64xi32>
  %bias = inhibitor.attention ins(%q, %k, %v : tensor<8x256x64xi16>, tensor<8x1024x64xi16>, tensor<8x1024x64xi16>)
           bias(%b : tensor<8x256x1024xi32>)
           outs(%i : tensor<8x256x64xi32>) -> tensor<8x256x64xi32>
  %float = inhibitor.attention ins(%qf, %kf, %kf : tensor<8x256x64xf32>, tensor<8x1024x64xf32>, tensor<8x1024x64xf32>)
           outs(%if : tensor<8x256x64xf32>) -> tensor<8x256x64xf32>
  %gamma = inhibitor.attention {gamma = 40000 : i32} ins(%q, %k, %v : tensor<8x256x64xi16>, tensor<8x1024x64xi16>, tensor<8x1024x64xi16>)
           outs(%i : tensor<8x256x64xi32>) -> tensor<8x256x64xi32>
  %acc16 = inhibitor.attention ins(%q8s, %k8, %k8 : tensor<8x256x64xi8>, tensor<8x1024x64xi8>, tensor<8x1024x64xi8>)
           outs(%ia : tensor<8x256x64xi16>) -> tensor<8x256x64xi16>
  return %few, %dyn, %bytes, %done, %bias, %float, %gamma, %acc16
    : tensor<8x16x64xi32>, tensor<8x?x64xi32>, tensor<8x256x64xi32>, tensor<8x256x64xi32>,
      tensor<8x256x64xi32>, tensor<8x256x64xf32>, tensor<8x256x64xi32>, tensor<8x256x64xi16>
}

// -----

// i16 data under an i16 accumulator: the lowering's check that no q - k
// wraps (max|Q| + max|K| <= 32767; no V), once per op, the op under it
// with exact_differences (the score through min(q, k) in every tile of it)
// and as it was. Left alone: exact_differences already there, fewer than
// min-queries.
// CHECK-LABEL: func @exact_differences
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<8x256x64xi16>, %[[K:[a-zA-Z0-9_]+]]: tensor<8x1024x64xi16>, %[[V:[a-zA-Z0-9_]+]]: tensor<8x1024x64xi16>
// CHECK: linalg.generic {{.*}} ins(%[[Q]] : tensor<8x256x64xi16>)
// CHECK: linalg.generic {{.*}} ins(%[[K]] : tensor<8x1024x64xi16>)
// CHECK-NOT: ins(%[[V]] : tensor<8x1024x64xi16>)
// CHECK: %[[QK:.*]] = arith.addi %{{.*}}, %{{.*}} : i64
// CHECK: %[[LIM:.*]] = arith.constant 32767 : i64
// CHECK: %[[FITS:.*]] = arith.cmpi sle, %[[QK]], %[[LIM]] : i64
// CHECK: %[[H:.*]] = scf.if %[[FITS]] -> (tensor<8x256x64xi16>) {
// CHECK: %[[E:.*]] = inhibitor.attention signed {exact_differences, gamma = 8 : i16} ins(%[[Q]], %[[K]], %[[V]] :
// CHECK: scf.yield %[[E]]
// CHECK: } else {
// CHECK: %[[W:.*]] = inhibitor.attention signed {gamma = 8 : i16} ins(%[[Q]], %[[K]], %[[V]] :
// CHECK: scf.yield %[[W]]
// CHECK-NOT: scf.if
// CHECK: inhibitor.attention {exact_differences} ins(%[[Q]]
// CHECK-NOT: scf.if
// CHECK: return %[[H]]
// OPT-LABEL: func @exact_differences
// OPT: scf.if %{{.*}} -> (tensor<8x256x64xi16>)
// OPT: scf.if %{{.*}} -> (tensor<8x16x64xi16>)
// OPT: inhibitor.attention {exact_differences} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<8x16x64xi16>
// TILE-LABEL: func @exact_differences
// TILE: scf.if
// TILE: scf.for
// TILE: scf.for
// TILE: inhibitor.attention signed {exact_differences, gamma = 8 : i16} {{.*}} -> tensor<1x32x64xi16>
// TILE: } else {
// TILE: scf.for
// TILE: scf.for
// TILE: inhibitor.attention signed {gamma = 8 : i16} {{.*}} -> tensor<1x32x64xi16>
func.func @exact_differences(%q: tensor<8x256x64xi16>, %k: tensor<8x1024x64xi16>,
                             %v: tensor<8x1024x64xi16>, %init: tensor<8x256x64xi16>,
                             %q16: tensor<8x16x64xi16>, %init16: tensor<8x16x64xi16>)
    -> (tensor<8x256x64xi16>, tensor<8x256x64xi16>, tensor<8x16x64xi16>) {
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<8x256x64xi16>, tensor<8x1024x64xi16>, tensor<8x1024x64xi16>)
         outs(%init : tensor<8x256x64xi16>) -> tensor<8x256x64xi16>
  %done = inhibitor.attention {exact_differences}
         ins(%q, %k, %v : tensor<8x256x64xi16>, tensor<8x1024x64xi16>, tensor<8x1024x64xi16>)
         outs(%init : tensor<8x256x64xi16>) -> tensor<8x256x64xi16>
  %few = inhibitor.attention
         ins(%q16, %k, %v : tensor<8x16x64xi16>, tensor<8x1024x64xi16>, tensor<8x1024x64xi16>)
         outs(%init16 : tensor<8x16x64xi16>) -> tensor<8x16x64xi16>
  return %h, %done, %few : tensor<8x256x64xi16>, tensor<8x256x64xi16>, tensor<8x16x64xi16>
}
