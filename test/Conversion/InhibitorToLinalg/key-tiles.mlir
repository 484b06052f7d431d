// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention query-tile=32 key-tile=64 narrow-tiles=false split-dynamic-queries=false" -split-input-file -verify-each | FileCheck %s
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention query-tile=32 key-tile=64 narrow-tiles=false split-dynamic-queries=false" -split-input-file -verify-each | FileCheck %s --check-prefix=NO-TRANSPOSE

// The fused kernel reads keys prepared by the caller (`key_tiles`: K^T tile
// by tile, e.g. from --inhibitor-pack-keys) where its score reads keys in
// vector lanes, in the tiles of key_tiles (128 here, whatever key-tile
// says), the partial last tile included; it makes no transpose of K.
// NO-TRANSPOSE-NOT: linalg.transpose

// CHECK-LABEL: func @ragged
// CHECK-SAME: %[[KT:[a-zA-Z0-9_]+]]: tensor<8x3x64x128xi16>
// CHECK: scf.forall (%[[B:.*]], %{{.*}}) =
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %c256 step %c128
// CHECK: %[[T:.*]] = arith.divui %[[J]], %{{.*}} : index
// CHECK: %[[KS:.*]] = tensor.extract_slice %[[KT]][%[[B]], %[[T]], 0, 0] [1, 1, 64, 128] [1, 1, 1, 1] : tensor<8x3x64x128xi16> to tensor<1x64x128xi16>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[KS]] : tensor<1x64x64xi32>, tensor<1x64x128xi16>)
// The last 44 keys: the first 44 lanes of the last tile.
// CHECK: tensor.extract_slice %[[KT]][%[[B]], %{{.*}}, 0, 0] [1, 1, 64, 44] [1, 1, 1, 1] : tensor<8x3x64x128xi16> to tensor<1x64x44xi16>
func.func @ragged(%q: tensor<8x64x64xi16>, %k: tensor<8x300x64xi16>, %v: tensor<8x300x64xi16>,
                  %kt: tensor<8x3x64x128xi16>, %init: tensor<8x64x64xi32>) -> tensor<8x64x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x64x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>)
         key_tiles(%kt : tensor<8x3x64x128xi16>)
         outs(%init : tensor<8x64x64xi32>) -> tensor<8x64x64xi32>
  return %h : tensor<8x64x64xi32>
}

// -----

// Causal: each query tile's key loop ends at its last query; whole tiles
// and the partial one read key_tiles.
// CHECK-LABEL: func @causal
// CHECK-SAME: %[[KT:[a-zA-Z0-9_]+]]: tensor<3x64x128xi16>
// CHECK: scf.for
// CHECK: tensor.extract_slice %[[KT]][%{{.*}}, 0, 0] [1, 64, 128] [1, 1, 1] : tensor<3x64x128xi16> to tensor<64x128xi16>
// CHECK: scf.if
// CHECK: tensor.extract_slice %[[KT]][%{{.*}}, 0, 0] [1, 64, %{{.*}}] [1, 1, 1] : tensor<3x64x128xi16> to tensor<64x?xi16>
func.func @causal(%q: tensor<300x64xi16>, %k: tensor<300x64xi16>, %v: tensor<300x64xi16>,
                  %kt: tensor<3x64x128xi16>, %init: tensor<300x64xi16>) -> tensor<300x64xi16> {
  %h = inhibitor.attention causal signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<300x64xi16>, tensor<300x64xi16>, tensor<300x64xi16>)
         key_tiles(%kt : tensor<3x64x128xi16>)
         outs(%init : tensor<300x64xi16>) -> tensor<300x64xi16>
  return %h : tensor<300x64xi16>
}

// -----

// Decode (up to 4 queries) reads K as stored, D innermost: key_tiles is
// not read.
// CHECK-LABEL: func @decode
// CHECK-NOT: tensor.extract_slice %arg3
// CHECK: tensor.extract_slice %arg1
// CHECK-NOT: tensor.extract_slice %arg3
// CHECK: return
func.func @decode(%q: tensor<8x4x64xi16>, %k: tensor<8x300x64xi16>, %v: tensor<8x300x64xi16>,
                  %kt: tensor<8x3x64x128xi16>, %init: tensor<8x4x64xi32>) -> tensor<8x4x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x4x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>)
         key_tiles(%kt : tensor<8x3x64x128xi16>)
         outs(%init : tensor<8x4x64xi32>) -> tensor<8x4x64xi32>
  return %h : tensor<8x4x64xi32>
}

// -----

// Grouped heads folded into the queries (4 query heads per K/V head): K is
// unchanged, and so is key_tiles, which the folded op reads.
// CHECK-LABEL: func @grouped
// CHECK-SAME: %[[KT:[a-zA-Z0-9_]+]]: tensor<2x3x64x128xi16>
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2], [3]] : tensor<2x4x16x64xi16> into tensor<2x64x64xi16>
// CHECK: tensor.extract_slice %[[KT]][%{{.*}}, %{{.*}}, 0, 0] [1, 1, 64, 128] [1, 1, 1, 1] : tensor<2x3x64x128xi16> to tensor<1x64x128xi16>
func.func @grouped(%q: tensor<8x16x64xi16>, %k: tensor<2x300x64xi16>, %v: tensor<2x300x64xi16>,
                   %kt: tensor<2x3x64x128xi16>, %init: tensor<8x16x64xi32>) -> tensor<8x16x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x16x64xi16>, tensor<2x300x64xi16>, tensor<2x300x64xi16>)
         key_tiles(%kt : tensor<2x3x64x128xi16>)
         outs(%init : tensor<8x16x64xi32>) -> tensor<8x16x64xi32>
  return %h : tensor<8x16x64xi32>
}
