// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention narrow-tiles=false" -split-input-file -verify-each | FileCheck %s
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention narrow-tiles=false split-dynamic-queries=false" -split-input-file -verify-each | FileCheck %s --check-prefix=OFF
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention narrow-tiles=false query-tile=2" -split-input-file -verify-each | FileCheck %s --check-prefix=QT2
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention narrow-tiles=false skip-keys" -split-input-file -verify-each 2>/dev/null | FileCheck %s --check-prefix=SKIP

// A dynamic query count, as front ends emit decode: an scf.if on
// N <= query-tile (32). There N = 1..4 (decode's usual steps) switch to a
// static N, whose score reads K as stored (no transpose at all); any other
// N reads the first min(N, 32) rows of Q and H (all of them), which bounds
// N to one query tile: each K tile is transposed in the key loop (no copy
// of all of K). Either way the rows go back into H where they came from.
// Otherwise the kernel as before: K^T laid out tile by tile once, then the
// query tiles.
// CHECK-LABEL: func @decode_dynamic
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<8x?x64xi16>, %[[K:[a-zA-Z0-9_]+]]: tensor<8x?x64xi16>, %{{.*}}: tensor<8x?x64xi16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<8x?x64xi32>
// CHECK: %[[N:.*]] = tensor.dim %[[Q]], %{{.*}} : tensor<8x?x64xi16>
// CHECK: %[[FEW:.*]] = arith.cmpi ule, %[[N]], %{{.*}} : index
// CHECK: %[[RES:.*]] = scf.if %[[FEW]] -> (tensor<8x?x64xi32>) {
// CHECK: %[[R1:.*]] = scf.index_switch %[[N]] -> tensor<8x?x64xi32>
// CHECK: case 1 {
// CHECK: %[[Q1:.*]] = tensor.extract_slice %[[Q]][0, 0, 0] [8, 1, 64] [1, 1, 1] : tensor<8x?x64xi16> to tensor<8x1x64xi16>
// CHECK: %[[H1:.*]] = tensor.extract_slice %[[INIT]][0, 0, 0] [8, 1, 64] [1, 1, 1] : tensor<8x?x64xi32> to tensor<8x1x64xi32>
// CHECK-NOT: linalg.transpose
// CHECK: %[[HF1:.*]] = scf.forall {{.*}} shared_outs(%{{.*}} = %[[H1]]) -> (tensor<8x1x64xi32>)
// CHECK-NOT: linalg.transpose
// CHECK: %[[BACK1:.*]] = tensor.insert_slice %[[HF1]] into %[[INIT]][0, 0, 0] [8, 1, 64] [1, 1, 1] : tensor<8x1x64xi32> into tensor<8x?x64xi32>
// CHECK: scf.yield %[[BACK1]]
// CHECK: case 2 {
// CHECK-NOT: linalg.transpose
// CHECK: tensor.insert_slice %{{.*}} into %[[INIT]][0, 0, 0] [8, 2, 64] [1, 1, 1] : tensor<8x2x64xi32> into tensor<8x?x64xi32>
// CHECK: case 3 {
// CHECK-NOT: linalg.transpose
// CHECK: tensor.insert_slice %{{.*}} into %[[INIT]][0, 0, 0] [8, 3, 64] [1, 1, 1] : tensor<8x3x64xi32> into tensor<8x?x64xi32>
// CHECK: case 4 {
// CHECK-NOT: linalg.transpose
// CHECK: tensor.insert_slice %{{.*}} into %[[INIT]][0, 0, 0] [8, 4, 64] [1, 1, 1] : tensor<8x4x64xi32> into tensor<8x?x64xi32>
// CHECK: default {
// CHECK: %[[ROWS:.*]] = affine.min #{{.*}}()[%[[N]]]
// CHECK: %[[QS:.*]] = tensor.extract_slice %[[Q]][0, 0, 0] [8, %[[ROWS]], 64] [1, 1, 1]
// CHECK: %[[HS:.*]] = tensor.extract_slice %[[INIT]][0, 0, 0] [8, %[[ROWS]], 64] [1, 1, 1]
// CHECK-NOT: linalg.transpose
// CHECK: %[[HF:.*]] = scf.forall {{.*}} shared_outs(%{{.*}} = %[[HS]])
// CHECK: scf.for
// CHECK: linalg.transpose ins(%{{.*}} : tensor<1x128x64xi16>)
// CHECK: %[[BACK:.*]] = tensor.insert_slice %[[HF]] into %[[INIT]][0, 0, 0] [8, %[[ROWS]], 64] [1, 1, 1]
// CHECK: scf.yield %[[BACK]]
// CHECK: }
// CHECK: scf.yield %[[R1]]
// CHECK: } else {
// CHECK: linalg.transpose ins(%{{.*}} : tensor<8x?x64x128xi16>)
// CHECK: scf.forall {{.*}} shared_outs(%{{.*}} = %[[INIT]])
// CHECK: return %[[RES]]
// With query-tile=2 the switch has the counts up to 2 only.
// QT2-LABEL: func @decode_dynamic
// QT2: %[[C2:.*]] = arith.constant 2 : index
// QT2: arith.cmpi ule, %{{.*}}, %[[C2]] : index
// QT2: scf.index_switch
// QT2: case 1 {
// QT2: case 2 {
// QT2-NOT: case 3 {
// QT2: default {
// QT2: affine.min
// OFF-LABEL: func @decode_dynamic
// OFF-NOT: scf.if
// With skip-keys (its element ranges are of the op's own operands) nothing
// is split either.
// SKIP-LABEL: func @decode_dynamic
// SKIP-NOT: affine.min
// SKIP: return
// OFF: linalg.transpose ins(%{{.*}} : tensor<8x?x64x128xi16>)
// OFF: scf.forall
func.func @decode_dynamic(%q: tensor<8x?x64xi16>, %k: tensor<8x?x64xi16>, %v: tensor<8x?x64xi16>,
                          %init: tensor<8x?x64xi32>) -> tensor<8x?x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x?x64xi16>, tensor<8x?x64xi16>, tensor<8x?x64xi16>)
         outs(%init : tensor<8x?x64xi32>) -> tensor<8x?x64xi32>
  return %h : tensor<8x?x64xi32>
}

// -----

// Causal with a mask [N, M]: the mask and the causal pairs are of the whole
// op, which the first rows are (all N of them); one query is query 0, which
// sees key 0 only, as in the whole op.
// CHECK-LABEL: func @causal_mask_dynamic
// CHECK: arith.cmpi ule
// CHECK: scf.if
// CHECK: scf.index_switch
// CHECK: case 1 {
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [1, 16] [1, 1] : tensor<?x16xf32> to tensor<1x16xf32>
// CHECK: scf.forall
// CHECK: case 4 {
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [4, 16] [1, 1] : tensor<?x16xf32> to tensor<4x16xf32>
// CHECK: default {
// CHECK: affine.min
// CHECK: scf.forall
// CHECK: } else {
// CHECK: scf.forall
func.func @causal_mask_dynamic(%q: tensor<?x16xf32>, %k: tensor<?x16xf32>, %v: tensor<?x8xf32>,
                               %m: tensor<?x?xi1>, %init: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %h = inhibitor.attention causal
         ins(%q, %k, %v : tensor<?x16xf32>, tensor<?x16xf32>, tensor<?x8xf32>)
         mask(%m : tensor<?x?xi1>)
         outs(%init : tensor<?x8xf32>) -> tensor<?x8xf32>
  return %h : tensor<?x8xf32>
}

// -----

// A static N, and a dynamic N already bounded by query-tile (a slice of
// min(n, 16) rows): nothing to split; the bounded one is one query tile.
// CHECK-LABEL: func @static_and_bounded
// CHECK-NOT: arith.cmpi ule
// CHECK-NOT: scf.if
// CHECK: scf.forall
// CHECK: scf.for
// CHECK: linalg.transpose ins(%{{.*}} : tensor<128x16xi16>)
// CHECK-NOT: scf.if
// CHECK: return
func.func @static_and_bounded(%q: tensor<?x16xi16>, %k: tensor<1024x16xi16>, %v: tensor<1024x8xi16>,
                              %init: tensor<?x8xi32>, %n: index) -> tensor<?x8xi32> {
  %rows = affine.min affine_map<()[s0] -> (s0, 16)>()[%n]
  %qs = tensor.extract_slice %q[0, 0] [%rows, 16] [1, 1] : tensor<?x16xi16> to tensor<?x16xi16>
  %hs = tensor.extract_slice %init[0, 0] [%rows, 8] [1, 1] : tensor<?x8xi32> to tensor<?x8xi32>
  %h = inhibitor.attention signed
         ins(%qs, %k, %v : tensor<?x16xi16>, tensor<1024x16xi16>, tensor<1024x8xi16>)
         outs(%hs : tensor<?x8xi32>) -> tensor<?x8xi32>
  %r = tensor.insert_slice %h into %init[0, 0] [%rows, 8] [1, 1] : tensor<?x8xi32> into tensor<?x8xi32>
  return %r : tensor<?x8xi32>
}

// -----

// Grouped heads (8 query heads over 2 K/V heads) are folded into the
// queries, several rows per K/V head even for one query: only N = 1..4 are
// split off (static N, 4-16 rows per K/V head); no bounded tile of
// min(N, 32) rows. N = 0 (the switch's default) has no rows to compute.
// CHECK-LABEL: func @grouped_dynamic
// CHECK-SAME: %[[INIT:[a-zA-Z0-9_]+]]: tensor<8x?x64xi32>)
// CHECK: %[[N:.*]] = tensor.dim %{{.*}}, %{{.*}} : tensor<8x?x64xi16>
// CHECK: %[[C4:.*]] = arith.constant 4 : index
// CHECK: %[[FEW:.*]] = arith.cmpi ule, %[[N]], %[[C4]] : index
// CHECK: scf.if %[[FEW]] -> (tensor<8x?x64xi32>) {
// CHECK: scf.index_switch %[[N]]
// CHECK: case 1 {
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0] [8, 1, 64] [1, 1, 1] : tensor<8x?x64xi16> to tensor<8x1x64xi16>
// CHECK: tensor.collapse_shape
// CHECK: tensor.insert_slice %{{.*}} into %[[INIT]][0, 0, 0] [8, 1, 64] [1, 1, 1] : tensor<8x1x64xi32> into tensor<8x?x64xi32>
// CHECK: case 4 {
// CHECK: tensor.insert_slice %{{.*}} into %[[INIT]][0, 0, 0] [8, 4, 64] [1, 1, 1] : tensor<8x4x64xi32> into tensor<8x?x64xi32>
// CHECK: default {
// CHECK-NEXT: scf.yield %[[INIT]] : tensor<8x?x64xi32>
// CHECK: } else {
// CHECK-NOT: affine.min
// CHECK: tensor.collapse_shape
// CHECK-NOT: affine.min
// CHECK: return
// Grouped heads split off N = 1..4 whatever query-tile is.
// QT2-LABEL: func @grouped_dynamic
// QT2: scf.index_switch
// QT2: case 4 {
// QT2: default {
// OFF-LABEL: func @grouped_dynamic
// OFF-NOT: to tensor<8x1x64xi16>
// OFF: return
func.func @grouped_dynamic(%q: tensor<8x?x64xi16>, %k: tensor<2x?x64xi16>, %v: tensor<2x?x64xi16>,
                           %init: tensor<8x?x64xi32>) -> tensor<8x?x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x?x64xi16>, tensor<2x?x64xi16>, tensor<2x?x64xi16>)
         outs(%init : tensor<8x?x64xi32>) -> tensor<8x?x64xi32>
  return %h : tensor<8x?x64xi32>
}
