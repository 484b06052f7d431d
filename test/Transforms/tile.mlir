// RUN: inhibitor-opt %s -split-input-file --inhibitor-tile='batch-tile=1 query-tile=16 key-tile=32' | FileCheck %s
// RUN: inhibitor-opt %s -split-input-file --inhibitor-tile='query-tile=16 value-tile=8 loop=forall' | FileCheck %s --check-prefix=FORALL
// RUN: inhibitor-opt %s -split-input-file --inhibitor-tile='key-splits=3' | FileCheck %s --check-prefix=SPLIT

// The score's domain [b, N, M] is all parallel: three loops, one op per
// tile on slices of Q and K (all of D).
// CHECK-LABEL: func @score
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x64x8xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x96x8xi8>
// CHECK: scf.for %[[B:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] =
// CHECK-DAG: %[[QS:.*]] = tensor.extract_slice %[[Q]][%[[B]], %[[I]], 0] [1, 16, 8] [1, 1, 1]
// CHECK-DAG: %[[KS:.*]] = tensor.extract_slice %[[K]][%[[B]], %[[J]], 0] [1, 32, 8] [1, 1, 1]
// CHECK-DAG: %[[ZS:.*]] = tensor.extract_slice %[[ACC]][%[[B]], %[[I]], %[[J]]] [1, 16, 32] [1, 1, 1]
// CHECK: %[[T:.*]] = inhibitor.manhattan_score {gamma = 2 : i32} ins(%[[QS]], %[[KS]] : tensor<1x16x8xi8>, tensor<1x32x8xi8>) outs(%[[ZS]] : tensor<1x16x32xi32>)
// CHECK: tensor.insert_slice %[[T]] into %[[ACC]][%[[B]], %[[I]], %[[J]]] [1, 16, 32]
// SPLIT-LABEL: func @score
// SPLIT-NOT: scf.forall
// SPLIT: inhibitor.manhattan_score {gamma = 2 : i32} ins(%{{.*}}, %{{.*}} : tensor<2x64x8xi8>, tensor<2x96x8xi8>)
// FORALL-LABEL: func @score
// FORALL: scf.forall (%{{.*}}) = (0) to (64) step (16)
// FORALL: inhibitor.manhattan_score {{.*}} -> tensor<2x16x96xi32>
func.func @score(%q: tensor<2x64x8xi8>, %k: tensor<2x96x8xi8>,
                 %init: tensor<2x64x96xi32>) -> tensor<2x64x96xi32> {
  %z = inhibitor.manhattan_score {gamma = 2 : i32}
         ins(%q, %k : tensor<2x64x8xi8>, tensor<2x96x8xi8>)
         outs(%init : tensor<2x64x96xi32>) -> tensor<2x64x96xi32>
  return %z : tensor<2x64x96xi32>
}

// -----

// Tiling the keys (the reduction of attention): each key tile computes into
// a fresh tensor and adds it into the partial result, except the first
// (offset 0), which replaces it.
// K/V heads grouped 4:2 tile by 1 (head h reads K/V head h / 2). The mask
// and the bias are sliced like the score.
// CHECK-LABEL: func @attention
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<4x64x8xi16>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x96x8xi16>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x96x8xi16>, %[[M:[a-zA-Z0-9_]+]]: tensor<64x96xi1>, %[[BIAS:[a-zA-Z0-9_]+]]: tensor<4x1x96xi32>
// CHECK: scf.for %[[B:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] =
// CHECK-DAG: %[[G:.*]] = arith.divui %[[B]], %c2
// CHECK-DAG: tensor.extract_slice %[[K]][%[[G]], %[[J]], 0] [1, 32, 8]
// CHECK-DAG: tensor.extract_slice %[[V]][%[[G]], %[[J]], 0] [1, 32, 8]
// CHECK-DAG: tensor.extract_slice %[[M]][%[[I]], %[[J]]] [16, 32]
// CHECK-DAG: tensor.extract_slice %[[BIAS]][%[[B]], 0, %[[J]]] [1, 1, 32]
// CHECK-DAG: %[[PART:.*]] = tensor.extract_slice %[[ACC]][%[[B]], %[[I]], 0] [1, 16, 8]
// CHECK-DAG: %[[FRESH:.*]] = tensor.empty() : tensor<1x16x8xi32>
// CHECK: %[[T:.*]] = inhibitor.attention signed {gamma = 4 : i32} ins({{.*}} : tensor<1x16x8xi16>, tensor<1x32x8xi16>, tensor<1x32x8xi16>) mask({{.*}} : tensor<16x32xi1>) bias({{.*}} : tensor<1x1x32xi32>) outs(%[[FRESH]] : tensor<1x16x8xi32>)
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[J]], %{{.*}} : index
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[T]] : tensor<1x16x8xi32>) outs(%[[PART]] : tensor<1x16x8xi32>)
// CHECK: ^bb0(%[[IN:.*]]: i32, %[[OUT:.*]]: i32):
// CHECK: %[[SUM:.*]] = arith.addi %[[IN]], %[[OUT]] : i32
// CHECK: %[[SEL:.*]] = arith.select %[[FIRST]], %[[IN]], %[[SUM]] : i32
// CHECK: linalg.yield %[[SEL]] : i32
// CHECK: tensor.insert_slice %[[R]] into %[[ACC]][%[[B]], %[[I]], 0] [1, 16, 8]
// FORALL-LABEL: func @attention
// FORALL: scf.forall (%[[I:.*]], %[[E:.*]]) = (0, 0) to (64, 8) step (16, 8)
// FORALL: inhibitor.attention signed {gamma = 4 : i32} ins({{.*}} : tensor<4x16x8xi16>, tensor<2x96x8xi16>, tensor<2x96x8xi16>) mask({{.*}} : tensor<16x96xi1>) bias({{.*}} : tensor<4x1x96xi32>)
// FORALL-NOT: linalg.generic
// Key splits (decode): the keys in 3 parallel parts of 32, each a whole op
// writing its own [4, 64, 8] partial result, added by a linalg.reduce.
// SPLIT-LABEL: func @attention
// SPLIT-SAME: %[[K:[a-zA-Z0-9_]+]]: tensor<2x96x8xi16>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x96x8xi16>, %[[M:[a-zA-Z0-9_]+]]: tensor<64x96xi1>
// SPLIT: %[[ZERO:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<3x4x64x8xi32>)
// SPLIT: %[[PARTS:.*]] = scf.forall (%[[S:.*]]) in (3) shared_outs(%[[P:.*]] = %[[ZERO]])
// SPLIT-DAG: %[[J:.*]] = affine.apply #{{.*}}(%[[S]])
// SPLIT-DAG: %[[DEST:.*]] = tensor.extract_slice %[[P]][%[[S]], 0, 0, 0] [1, 4, 64, 8] [1, 1, 1, 1] : tensor<3x4x64x8xi32> to tensor<4x64x8xi32>
// SPLIT-DAG: tensor.extract_slice %[[K]][0, %[[J]], 0] [2, 32, 8]
// SPLIT-DAG: tensor.extract_slice %[[M]][0, %[[J]]] [64, 32]
// SPLIT: %[[T:.*]] = inhibitor.attention signed {{.*}} outs(%[[DEST]] : tensor<4x64x8xi32>)
// SPLIT: tensor.parallel_insert_slice %[[T]] into %[[P]][%[[S]], 0, 0, 0] [1, 4, 64, 8]
// SPLIT: linalg.reduce ins(%[[PARTS]] : tensor<3x4x64x8xi32>) outs(%{{.*}} : tensor<4x64x8xi32>) dimensions = [0]
// SPLIT: arith.addi
func.func @attention(%q: tensor<4x64x8xi16>, %k: tensor<2x96x8xi16>,
                     %v: tensor<2x96x8xi16>, %m: tensor<64x96xi1>,
                     %bias: tensor<4x1x96xi32>,
                     %init: tensor<4x64x8xi32>) -> tensor<4x64x8xi32> {
  %h = inhibitor.attention signed {gamma = 4 : i32}
         ins(%q, %k, %v : tensor<4x64x8xi16>, tensor<2x96x8xi16>, tensor<2x96x8xi16>)
         mask(%m : tensor<64x96xi1>) bias(%bias : tensor<4x1x96xi32>)
         outs(%init : tensor<4x64x8xi32>) -> tensor<4x64x8xi32>
  return %h : tensor<4x64x8xi32>
}

// -----

// Causal pairs are j <= i of the whole score: a tile from (i0, j0) stays
// causal with its diagonal moved, causal_offset i0 - j0 (pairs
// j0 + j <= i0 + i), so that its lowering runs only the keys on or below
// the diagonal; no mask is made.
// CHECK-LABEL: func @causal
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK-NOT: tensor.generate
// CHECK: %[[D:.*]] = affine.apply #[[$DIAG:.*]](%[[I]], %[[J]])
// CHECK: inhibitor.attention causal ins({{.*}} : tensor<16x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>) causal_offset(%[[D]]) outs
// CHECK-NOT: mask
// FORALL-LABEL: func @causal
// FORALL: scf.forall (%[[I:.*]], %{{.*}}) =
// FORALL-NOT: tensor.generate
// FORALL: inhibitor.attention causal ins({{.*}} : tensor<16x8xf32>, tensor<96x8xf32>, tensor<96x8xf32>) causal_offset(%[[I]]) outs
// SPLIT-DAG: #[[$NEG:.*]] = affine_map<(d0) -> (d0 * -32)>
// SPLIT-LABEL: func @causal
// SPLIT: scf.forall (%[[S:.*]]) in (3)
// SPLIT: %[[D:.*]] = affine.apply #[[$NEG]](%[[S]])
// SPLIT: inhibitor.attention causal ins({{.*}} : tensor<64x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>) causal_offset(%[[D]]) outs
func.func @causal(%q: tensor<64x8xf32>, %k: tensor<96x8xf32>,
                  %v: tensor<96x8xf32>, %init: tensor<64x8xf32>) -> tensor<64x8xf32> {
  %h = inhibitor.attention causal
         ins(%q, %k, %v : tensor<64x8xf32>, tensor<96x8xf32>, tensor<96x8xf32>)
         outs(%init : tensor<64x8xf32>) -> tensor<64x8xf32>
  return %h : tensor<64x8xf32>
}

// -----

// An op's own diagonal offset d: a tile's is d + i0 - j0.
// CHECK-DAG: #[[$DIAG3:.*]] = affine_map<(d0, d1)[s0] -> (d0 - d1 + s0)>
// CHECK-LABEL: func @causal_offset
// CHECK-SAME: %[[OFF:[a-zA-Z0-9_]+]]: index
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: %[[D:.*]] = affine.apply #[[$DIAG3]](%[[I]], %[[J]])[%[[OFF]]]
// CHECK: inhibitor.attention causal ins({{.*}}) causal_offset(%[[D]]) outs
// FORALL-DAG: #[[$PLUS:.*]] = affine_map<(d0)[s0] -> (d0 + s0)>
// FORALL-LABEL: func @causal_offset
// FORALL-SAME: %[[OFF:[a-zA-Z0-9_]+]]: index
// FORALL: scf.forall (%[[I:.*]], %{{.*}}) =
// FORALL: %[[D:.*]] = affine.apply #[[$PLUS]](%[[I]])[%[[OFF]]]
// FORALL: inhibitor.attention causal ins({{.*}}) causal_offset(%[[D]]) outs
// SPLIT-DAG: #[[$MINUS:.*]] = affine_map<(d0)[s0] -> (d0 * -32 + s0)>
// SPLIT-LABEL: func @causal_offset
// SPLIT-SAME: %[[OFF:[a-zA-Z0-9_]+]]: index
// SPLIT: scf.forall (%[[S:.*]]) in (3)
// SPLIT: %[[D:.*]] = affine.apply #[[$MINUS]](%[[S]])[%[[OFF]]]
// SPLIT: inhibitor.attention causal ins({{.*}}) causal_offset(%[[D]]) outs
func.func @causal_offset(%q: tensor<64x8xf32>, %k: tensor<96x8xf32>,
                         %v: tensor<96x8xf32>, %d: index,
                         %init: tensor<64x8xf32>) -> tensor<64x8xf32> {
  %h = inhibitor.attention causal
         ins(%q, %k, %v : tensor<64x8xf32>, tensor<96x8xf32>, tensor<96x8xf32>)
         causal_offset(%d)
         outs(%init : tensor<64x8xf32>) -> tensor<64x8xf32>
  return %h : tensor<64x8xf32>
}

// -----

// inhibit: [b, N, E, M]; dynamic sizes get min(tile, rest) tiles.
// CHECK-LABEL: func @inhibit
// CHECK: scf.for
// CHECK: scf.for
// CHECK: affine.min
// CHECK: inhibitor.inhibit ins({{.*}} : tensor<?x?xi8>, tensor<?x?xi32>) outs({{.*}} : tensor<?x?xi32>)
// CHECK: linalg.generic
// CHECK: arith.addi
// FORALL-LABEL: func @inhibit
// FORALL: scf.forall
// FORALL: inhibitor.inhibit ins({{.*}} : tensor<?x?xi8>, tensor<?x?xi32>) outs({{.*}} : tensor<?x?xi32>)
func.func @inhibit(%v: tensor<?x?xi8>, %z: tensor<?x?xi32>,
                   %init: tensor<?x?xi32>) -> tensor<?x?xi32> {
  %h = inhibitor.inhibit ins(%v, %z : tensor<?x?xi8>, tensor<?x?xi32>)
         outs(%init : tensor<?x?xi32>) -> tensor<?x?xi32>
  return %h : tensor<?x?xi32>
}
