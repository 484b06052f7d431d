// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="sad-score" -split-input-file -verify-each | FileCheck %s
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="sad-score fuse-attention" -split-input-file -verify-each | FileCheck %s --check-prefix=FUSED
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg -split-input-file | FileCheck %s --check-prefix=DEFAULT

// With sad-score, the score of i8 data in an integer accumulator of 16 bits
// or more is a byte sum of absolute differences: Q and K are offset by 128
// once (xor 0x80 = -128 : i8), and the score generic runs over (i, j, k) with
// the reduction over D innermost, reading Q [N, D] and K [M, D] (no K^T),
// body z + |extui(q) - extui(k)| in the accumulator. The epilogue
// (/ gamma, - alpha, max 0) is unchanged. Without the option (DEFAULT) K is
// transposed and the score reduces over D in the middle.

// CHECK-DAG: #[[$Q_MAP:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$K_MAP:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$Z_MAP:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func @score_i8_i16
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<5x33xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<7x33xi8>
// CHECK-NOT: linalg.transpose
// CHECK: %[[QU:.*]] = linalg.generic {{.*}} ins(%[[Q]] : tensor<5x33xi8>)
// CHECK: %[[B:.*]] = arith.constant -128 : i8
// CHECK: arith.xori %{{.*}}, %[[B]] : i8
// CHECK: %[[KU:.*]] = linalg.generic {{.*}} ins(%[[K]] : tensor<7x33xi8>)
// CHECK: arith.xori
// CHECK: %[[FILL:.*]] = linalg.fill
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$Q_MAP]], #[[$K_MAP]], #[[$Z_MAP]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%[[QU]], %[[KU]] : tensor<5x33xi8>, tensor<7x33xi8>) outs(%[[FILL]] : tensor<5x7xi16>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: i8, %[[C:.*]]: i8, %[[OUT:.*]]: i16):
// CHECK-NEXT: %[[EA:.*]] = arith.extui %[[A]] : i8 to i16
// CHECK-NEXT: %[[EC:.*]] = arith.extui %[[C]] : i8 to i16
// CHECK-NEXT: %[[D:.*]] = arith.subi %[[EA]], %[[EC]] : i16
// CHECK-NEXT: %[[ABS:.*]] = math.absi %[[D]] : i16
// CHECK-NEXT: %[[ADD:.*]] = arith.addi %[[OUT]], %[[ABS]] : i16
// CHECK-NEXT: linalg.yield %[[ADD]] : i16
// CHECK: linalg.generic
// CHECK-SAME: outs(%[[SUM]] : tensor<5x7xi16>)
// CHECK: arith.floordivsi
// CHECK: arith.subi
// CHECK: arith.maxsi

// DEFAULT-LABEL: func @score_i8_i16
// DEFAULT: linalg.transpose
// DEFAULT-NOT: arith.extui
// DEFAULT: iterator_types = ["parallel", "reduction", "parallel"]
// DEFAULT: arith.extsi
func.func @score_i8_i16(%q: tensor<5x33xi8>, %k: tensor<7x33xi8>) -> tensor<5x7xi16> {
  %init = tensor.empty() : tensor<5x7xi16>
  %z = inhibitor.manhattan_score {gamma = 3 : i16, alpha = 1 : i16}
         ins(%q, %k : tensor<5x33xi8>, tensor<7x33xi8>)
         outs(%init : tensor<5x7xi16>) -> tensor<5x7xi16>
  return %z : tensor<5x7xi16>
}

// -----

// An i8 accumulator keeps the default form (its differences wrap, psadbw's
// do not); so does every other input type.
// CHECK-LABEL: func @score_i8_i8
// CHECK: linalg.transpose
// CHECK-NOT: arith.xori
// CHECK: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-LABEL: func @score_i16_i32
// CHECK: linalg.transpose
// CHECK-NOT: arith.xori
// CHECK: iterator_types = ["parallel", "reduction", "parallel"]
func.func @score_i8_i8(%q: tensor<5x33xi8>, %k: tensor<7x33xi8>) -> tensor<5x7xi8> {
  %init = tensor.empty() : tensor<5x7xi8>
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<5x33xi8>, tensor<7x33xi8>)
         outs(%init : tensor<5x7xi8>) -> tensor<5x7xi8>
  return %z : tensor<5x7xi8>
}
func.func @score_i16_i32(%q: tensor<5x33xi16>, %k: tensor<7x33xi16>) -> tensor<5x7xi32> {
  %init = tensor.empty() : tensor<5x7xi32>
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<5x33xi16>, tensor<7x33xi16>)
         outs(%init : tensor<5x7xi32>) -> tensor<5x7xi32>
  return %z : tensor<5x7xi32>
}

// -----

// Attention, batched and dynamic: unfused, the SAD score into a [b, N, M]
// tensor; fused (FUSED), Q and K offset once before the scf.forall, and each
// tile's score reads the K slice [tm, D] (not a K^T slice).
// CHECK-DAG: #[[$BQ:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[$BK:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[$BZ:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func @attention_dynamic
// CHECK: arith.xori
// CHECK: arith.xori
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[$BQ]], #[[$BK]], #[[$BZ]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK: arith.extui %{{.*}} : i8 to i32

// FUSED-LABEL: func @attention_dynamic
// FUSED-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x?x?xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x?x?xi8>
// FUSED-NOT: linalg.transpose
// FUSED: %[[QU:.*]] = linalg.generic {{.*}} ins(%[[Q]] : tensor<2x?x?xi8>)
// FUSED: %[[KU:.*]] = linalg.generic {{.*}} ins(%[[K]] : tensor<2x?x?xi8>)
// A full query tile of 32 rows (under an scf.if on i0 + 32 <= N; the last
// tile, min(32, N - i0) rows, in its else branch):
// FUSED: scf.forall
// FUSED: scf.if
// FUSED: scf.for %[[J0:[a-zA-Z0-9_]+]] =
// FUSED-DAG: %[[QS:.*]] = tensor.extract_slice %[[QU]][%{{.*}}, %{{.*}}, 0] [1, 32, %{{.*}}] [1, 1, 1] : tensor<2x?x?xi8> to tensor<1x32x?xi8>
// FUSED-DAG: %[[KS:.*]] = tensor.extract_slice %[[KU]][%{{.*}}, %[[J0]], 0] [1, 128, %{{.*}}] [1, 1, 1] : tensor<2x?x?xi8> to tensor<1x128x?xi8>
// FUSED: linalg.generic
// FUSED-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// FUSED-SAME: ins(%[[QS]], %[[KS]] : tensor<1x32x?xi8>, tensor<1x128x?xi8>)
// FUSED: arith.extui %{{.*}} : i8 to i32
// The partial last key tile, peeled after the loop of whole tiles:
// FUSED: scf.if
// FUSED: %[[KL:.*]] = tensor.extract_slice %[[KU]][%{{.*}}, %{{.*}}, 0] [1, %{{.*}}, %{{.*}}] [1, 1, 1] : tensor<2x?x?xi8> to tensor<1x?x?xi8>
// FUSED: linalg.generic
// FUSED-SAME: ins(%{{.*}}, %[[KL]] : tensor<1x32x?xi8>, tensor<1x?x?xi8>)
// FUSED: arith.extui %{{.*}} : i8 to i32
// FUSED: } else {
// FUSED: tensor.extract_slice %[[QU]][%{{.*}}, %{{.*}}, 0] [1, %{{.*}}, %{{.*}}] [1, 1, 1] : tensor<2x?x?xi8> to tensor<1x?x?xi8>
func.func @attention_dynamic(%q: tensor<2x?x?xi8>, %k: tensor<2x?x?xi8>, %v: tensor<2x?x?xi8>,
                             %init: tensor<2x?x?xi32>) -> tensor<2x?x?xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<2x?x?xi8>, tensor<2x?x?xi8>, tensor<2x?x?xi8>)
         outs(%init : tensor<2x?x?xi32>) -> tensor<2x?x?xi32>
  return %h : tensor<2x?x?xi32>
}

// -----

// Decode (a static N within one query tile): fused, K is offset per K tile
// inside the key loop (no offset copy of all of K); Q once, before the
// loops. From 3 queries of i8 data on, the key tiles sum in 16 bits: with
// D = 64 (at most 127) the element types prove it exact, so there is no
// run-time check (NarrowPartialSums.cpp): the byte score into an i16 tile.
// FUSED-LABEL: func @attention_decode
// FUSED-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x4x64xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x1024x64xi8>
// FUSED: %[[QU:.*]] = linalg.generic {{.*}} ins(%[[Q]] : tensor<2x4x64xi8>)
// FUSED-NOT: ins(%[[K]]
// FUSED: scf.forall
// FUSED: scf.for %[[J0:[a-zA-Z0-9_]+]] =
// FUSED: %[[KS:.*]] = tensor.extract_slice %[[K]][%{{.*}}, %[[J0]], 0] [1, 128, 64] [1, 1, 1] : tensor<2x1024x64xi8> to tensor<1x128x64xi8>
// FUSED: %[[KU:.*]] = linalg.generic {{.*}} ins(%[[KS]] : tensor<1x128x64xi8>)
// FUSED: arith.xori
// FUSED-NOT: scf.if
// FUSED: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// FUSED-SAME: ins(%{{.*}}, %[[KU]] : tensor<1x4x64xi8>, tensor<1x128x64xi8>) outs(%{{.*}} : tensor<1x4x128xi16>)
// FUSED-NOT: tensor<1x4x128xi32>
// FUSED: return
func.func @attention_decode(%q: tensor<2x4x64xi8>, %k: tensor<2x1024x64xi8>, %v: tensor<2x1024x64xi8>,
                            %init: tensor<2x4x64xi32>) -> tensor<2x4x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<2x4x64xi8>, tensor<2x1024x64xi8>, tensor<2x1024x64xi8>)
         outs(%init : tensor<2x4x64xi32>) -> tensor<2x4x64xi32>
  return %h : tensor<2x4x64xi32>
}

// -----

// Several query tiles (N = 128: four), K of 32 MiB (glibc's largest mmap
// threshold, the default key-copy-limit): no offset copy of all of K
// either; each query tile offsets its K tiles in the key loop.
// FUSED-LABEL: func @attention_large_key
// FUSED-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<8x128x64xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<8x65536x64xi8>
// FUSED: linalg.generic {{.*}} ins(%[[Q]] : tensor<8x128x64xi8>)
// FUSED-NOT: tensor.empty() : tensor<8x65536x64xi8>
// FUSED: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (8, 128) step (1, %{{.*}})
// FUSED: scf.for %[[J0:[a-zA-Z0-9_]+]] =
// FUSED: %[[KS:.*]] = tensor.extract_slice %[[K]][%{{.*}}, %[[J0]], 0] [1, 128, 64] [1, 1, 1] : tensor<8x65536x64xi8> to tensor<1x128x64xi8>
// FUSED: linalg.generic {{.*}} ins(%[[KS]] : tensor<1x128x64xi8>)
// FUSED: arith.xori
func.func @attention_large_key(%q: tensor<8x128x64xi8>, %k: tensor<8x65536x64xi8>, %v: tensor<8x65536x64xi8>,
                               %init: tensor<8x128x64xi32>) -> tensor<8x128x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x128x64xi8>, tensor<8x65536x64xi8>, tensor<8x65536x64xi8>)
         outs(%init : tensor<8x128x64xi32>) -> tensor<8x128x64xi32>
  return %h : tensor<8x128x64xi32>
}
