// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="sad-score fuse-attention query-tile=32 key-tile=128" -split-input-file -verify-each | FileCheck %s
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="sad-score=false fuse-attention query-tile=32 key-tile=128" -split-input-file -verify-each | FileCheck %s --check-prefix=NO-SAD

// The byte score (psadbw) reads keys biased by the caller (`biased_keys`,
// K xor 0x80, e.g. from --inhibitor-pack-keys) as they are: the only xori
// left is Q's, and no copy of K is made, whether the kernel has several
// query tiles (all of K would have been biased once) or one (each K tile
// would have been biased in the key loop).

// CHECK-LABEL: func @whole
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<8x256x64xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<8x256x64xi8>, %{{[a-zA-Z0-9_]+}}: tensor<8x256x64xi8>, %[[KB:[a-zA-Z0-9_]+]]: tensor<8x256x64xi8>
// CHECK: %[[QB:.*]] = linalg.generic {{.*}} ins(%[[Q]] : tensor<8x256x64xi8>)
// CHECK: arith.xori
// CHECK-NOT: arith.xori
// CHECK-NOT: %[[K]]
// CHECK: scf.forall (%[[B:[a-zA-Z0-9_]+]],
// CHECK: scf.for %[[J:[a-zA-Z0-9_]+]] =
// CHECK: %[[QS:.*]] = tensor.extract_slice %[[QB]]
// CHECK: %[[KS:.*]] = tensor.extract_slice %[[KB]][%[[B]], %[[J]], 0] [1, 128, 64] [1, 1, 1] : tensor<8x256x64xi8> to tensor<1x128x64xi8>
// CHECK-NOT: %[[K]]
// CHECK: linalg.generic {{.*}} ins(%[[QS]], %[[KS]] : tensor<1x32x64xi8>, tensor<1x128x64xi8>)
// CHECK-NOT: arith.xori
// CHECK-NOT: %[[K]]
// CHECK: return
// Without the byte score nothing reads them: the score reads K^T.
// NO-SAD-LABEL: func @whole
// NO-SAD: linalg.transpose ins(%{{.*}} : tensor<8x2x128x64xi8>)
// NO-SAD-NOT: %arg3
// NO-SAD: return
func.func @whole(%q: tensor<8x256x64xi8>, %k: tensor<8x256x64xi8>, %v: tensor<8x256x64xi8>,
                 %kb: tensor<8x256x64xi8>, %init: tensor<8x256x64xi16>) -> tensor<8x256x64xi16> {
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<8x256x64xi8>, tensor<8x256x64xi8>, tensor<8x256x64xi8>)
         biased_keys(%kb : tensor<8x256x64xi8>)
         outs(%init : tensor<8x256x64xi16>) -> tensor<8x256x64xi16>
  return %h : tensor<8x256x64xi16>
}

// -----

// One query tile (16 queries per head), an i32 result and D = 128, whose
// 16-bit sums the element types do not prove: each key tile's narrow check
// reads K's own values (max|K| of a slice of K), the score the biased
// tile; the partial last tile (44 keys) likewise.
// CHECK-LABEL: func @one_query_tile
// CHECK-SAME: %[[K:[a-zA-Z0-9_]+]]: tensor<8x300x128xi8>, %{{[a-zA-Z0-9_]+}}: tensor<8x300x128xi8>, %[[KB:[a-zA-Z0-9_]+]]: tensor<8x300x128xi8>
// CHECK: arith.xori
// CHECK-NOT: arith.xori
// CHECK: scf.for %[[J:[a-zA-Z0-9_]+]] =
// CHECK: %[[KS:.*]] = tensor.extract_slice %[[KB]][%{{.*}}, %[[J]], 0] [1, 128, 128] [1, 1, 1]
// CHECK: %[[KR:.*]] = tensor.extract_slice %[[K]][%{{.*}}, %[[J]], 0] [1, 128, 128] [1, 1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[KR]] : tensor<1x128x128xi8>)
// CHECK: scf.if
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[KS]] : tensor<1x16x128xi8>, tensor<1x128x128xi8>)
// CHECK: tensor.extract_slice %[[KB]][%{{.*}}, %c256, 0] [1, 44, 128] [1, 1, 1]
// CHECK-NOT: arith.xori
// CHECK: return
func.func @one_query_tile(%q: tensor<8x16x128xi8>, %k: tensor<8x300x128xi8>, %v: tensor<8x300x128xi8>,
                          %kb: tensor<8x300x128xi8>, %init: tensor<8x16x128xi32>) -> tensor<8x16x128xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x16x128xi8>, tensor<8x300x128xi8>, tensor<8x300x128xi8>)
         biased_keys(%kb : tensor<8x300x128xi8>)
         outs(%init : tensor<8x16x128xi32>) -> tensor<8x16x128xi32>
  return %h : tensor<8x16x128xi32>
}

// -----

// Grouped heads folded into the queries (4 query heads per K/V head): K is
// unchanged, and so are its biased keys, which the folded op reads.
// CHECK-LABEL: func @grouped
// CHECK-SAME: %[[KB:[a-zA-Z0-9_]+]]: tensor<2x300x64xi8>, %{{[a-zA-Z0-9_]+}}: tensor<8x16x64xi16>
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2], [3]] : tensor<2x4x16x64xi8> into tensor<2x64x64xi8>
// CHECK: arith.xori
// CHECK-NOT: arith.xori
// CHECK: tensor.extract_slice %[[KB]][%{{.*}}, %{{.*}}, 0] [1, 128, 64] [1, 1, 1] : tensor<2x300x64xi8> to tensor<1x128x64xi8>
// CHECK-NOT: arith.xori
// CHECK: return
func.func @grouped(%q: tensor<8x16x64xi8>, %k: tensor<2x300x64xi8>, %v: tensor<2x300x64xi8>,
                   %kb: tensor<2x300x64xi8>, %init: tensor<8x16x64xi16>) -> tensor<8x16x64xi16> {
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<8x16x64xi8>, tensor<2x300x64xi8>, tensor<2x300x64xi8>)
         biased_keys(%kb : tensor<2x300x64xi8>)
         outs(%init : tensor<8x16x64xi16>) -> tensor<8x16x64xi16>
  return %h : tensor<8x16x64xi16>
}

// -----

// Causal grouped heads are split into one K/V head per query-head group:
// the biased keys are reshaped as K is, and read.
// CHECK-LABEL: func @grouped_causal
// CHECK-SAME: %[[KB:[a-zA-Z0-9_]+]]: tensor<2x300x64xi8>, %{{[a-zA-Z0-9_]+}}: tensor<8x16x64xi16>
// CHECK: %[[KBE:.*]] = tensor.expand_shape %[[KB]] {{\[}}[0, 1], [2], [3]] output_shape [2, 1, 300, 64] : tensor<2x300x64xi8> into tensor<2x1x300x64xi8>
// CHECK: arith.xori
// CHECK-NOT: arith.xori
// CHECK: tensor.extract_slice %[[KBE]][%{{.*}}, 0, %{{.*}}, 0] [1, 1, 128, 64] [1, 1, 1, 1] : tensor<2x1x300x64xi8> to tensor<1x1x128x64xi8>
// CHECK-NOT: arith.xori
// CHECK: return
func.func @grouped_causal(%q: tensor<8x16x64xi8>, %k: tensor<2x300x64xi8>, %v: tensor<2x300x64xi8>,
                          %kb: tensor<2x300x64xi8>, %init: tensor<8x16x64xi16>) -> tensor<8x16x64xi16> {
  %h = inhibitor.attention causal signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<8x16x64xi8>, tensor<2x300x64xi8>, tensor<2x300x64xi8>)
         biased_keys(%kb : tensor<2x300x64xi8>)
         outs(%init : tensor<8x16x64xi16>) -> tensor<8x16x64xi16>
  return %h : tensor<8x16x64xi16>
}
