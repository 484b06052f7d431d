// --inhibitor-pack-keys gives each inhibitor.attention its keys prepared
// once, `key_tiles` = K packed by upstream linalg.pack (docs/Tiling.md);
// --inhibitor-lower-packs lowers the packs; the ops' TilingInterface slices
// key_tiles for key tiles that start a tile of it and drops it elsewhere.
// With i8 keys (and an integer accumulator of 16 bits or more) the ops also
// get `biased_keys` = K xor 0x80, which every key tile slices as it slices
// K.
// RUN: inhibitor-opt %s -split-input-file --inhibitor-pack-keys | FileCheck %s
// RUN: inhibitor-opt %s -split-input-file --inhibitor-pack-keys='key-tile=8' | FileCheck %s --check-prefix=EIGHT
// RUN: inhibitor-opt %s -split-input-file --inhibitor-pack-keys --inhibitor-lower-packs | FileCheck %s --check-prefix=LOWER
// RUN: inhibitor-opt %s -split-input-file --inhibitor-pack-keys --inhibitor-tile='batch-tile=1 query-tile=32 key-tile=128' --canonicalize | FileCheck %s --check-prefix=TILE
// RUN: inhibitor-opt %s -split-input-file --inhibitor-pack-keys --inhibitor-tile='batch-tile=1 query-tile=32 key-tile=256' --canonicalize | FileCheck %s --check-prefix=TILE256
// RUN: inhibitor-opt %s -split-input-file --inhibitor-pack-keys --inhibitor-tile='batch-tile=1 query-tile=32 key-tile=100' --canonicalize | FileCheck %s --check-prefix=MISALIGNED
// RUN: inhibitor-opt %s -split-input-file --inhibitor-pack-keys='biased-keys=false' | FileCheck %s --check-prefix=NO-BIAS
// RUN: not inhibitor-opt %s --inhibitor-pack-keys='key-tile=0' 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: inhibitor-pack-keys: key-tile must be > 0

// 300 keys in tiles of 128: three tiles, the last padded with zeros.
// CHECK-LABEL: func @ragged
// CHECK-SAME: %[[K:[a-zA-Z0-9_]+]]: tensor<8x300x64xi16>
// CHECK: %[[DEST:.*]] = tensor.empty() : tensor<8x3x64x128xi16>
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i16
// CHECK: %[[PACK:.*]] = linalg.pack %[[K]] padding_value(%[[ZERO]] : i16) inner_dims_pos = [1] inner_tiles = [128] into %[[DEST]] : tensor<8x300x64xi16> -> tensor<8x3x64x128xi16>
// CHECK: inhibitor.attention signed {gamma = 8 : i32} ins(%{{.*}}, %[[K]], %{{.*}} : {{.*}}) key_tiles(%[[PACK]] : tensor<8x3x64x128xi16>)
// EIGHT-LABEL: func @ragged
// EIGHT: linalg.pack {{.*}} inner_dims_pos = [1] inner_tiles = [8] into %{{.*}} : tensor<8x300x64xi16> -> tensor<8x38x64x8xi16>
// EIGHT: key_tiles(%{{.*}} : tensor<8x38x64x8xi16>)
// LOWER-LABEL: func @ragged
// LOWER-NOT: linalg.pack
// LOWER: %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 0, 0] high[0, 84, 0]
// LOWER: %[[EXP:.*]] = tensor.expand_shape %[[PAD]] {{\[}}[0], [1, 2], [3]] output_shape [8, 3, 128, 64]
// LOWER: %[[T:.*]] = linalg.transpose ins(%[[EXP]] : tensor<8x3x128x64xi16>) outs(%{{.*}} : tensor<8x3x64x128xi16>) permutation = [0, 1, 3, 2]
// LOWER: key_tiles(%[[T]] : tensor<8x3x64x128xi16>)
// Key tiles of 128 (or 256) start tiles of key_tiles: each tile op reads
// its own tile(s), the last one partial.
// TILE-LABEL: func @ragged
// TILE: %[[PACK:.*]] = linalg.pack
// TILE: scf.for %[[B:[a-z0-9_]+]] = %c0 to %c8
// TILE: scf.for %[[J:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step %c128
// TILE: %[[T:[a-z0-9_]+]] = affine.apply #{{.*}}(%[[J]])
// TILE: %[[KT:.*]] = tensor.extract_slice %[[PACK]][%[[B]], %[[T]], 0, 0] [1, %{{.*}}, 64, 128] [1, 1, 1, 1] : tensor<8x3x64x128xi16> to tensor<1x?x64x128xi16>
// TILE: inhibitor.attention {{.*}} key_tiles(%[[KT]] : tensor<1x?x64x128xi16>)
// TILE256-LABEL: func @ragged
// TILE256: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c256
// TILE256: key_tiles(%{{.*}} : tensor<1x?x64x128xi16>)
// Key tiles of 100 start inside tiles of key_tiles: the tile ops prepare
// their keys themselves.
// MISALIGNED-LABEL: func @ragged
// MISALIGNED: inhibitor.attention
// MISALIGNED-NOT: key_tiles
// MISALIGNED: return
func.func @ragged(%q: tensor<8x64x64xi16>, %k: tensor<8x300x64xi16>,
                  %v: tensor<8x300x64xi16>,
                  %init: tensor<8x64x64xi32>) -> tensor<8x64x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x64x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>)
         outs(%init : tensor<8x64x64xi32>) -> tensor<8x64x64xi32>
  return %h : tensor<8x64x64xi32>
}

// -----

// A dynamic M: ceil(M / 128) tiles.
// CHECK-LABEL: func @dynamic
// CHECK: %[[M:.*]] = tensor.dim %{{.*}}, %c0
// CHECK: %[[TILES:.*]] = affine.apply #{{.*}}()[%[[M]]]
// CHECK: %[[DEST:.*]] = tensor.empty(%[[TILES]]) : tensor<?x64x128xf32>
// CHECK: linalg.pack {{.*}} inner_dims_pos = [0] inner_tiles = [128] into %[[DEST]] : tensor<?x64xf32> -> tensor<?x64x128xf32>
// CHECK: key_tiles(%{{.*}} : tensor<?x64x128xf32>)
// LOWER-LABEL: func @dynamic
// LOWER: tensor.pad
// LOWER: linalg.transpose
func.func @dynamic(%q: tensor<?x64xf32>, %k: tensor<?x64xf32>, %v: tensor<?x64xf32>,
                   %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %h = inhibitor.attention ins(%q, %k, %v : tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>)
         outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %h : tensor<?x64xf32>
}

// -----

// An op that has key_tiles keeps them (and gets its biased keys).
// CHECK-LABEL: func @prepared
// CHECK-NOT: linalg.pack
// CHECK: key_tiles(%arg3 : tensor<2x64x16xi8>) biased_keys(%{{.*}} : tensor<32x64xi8>)
func.func @prepared(%q: tensor<4x64xi8>, %k: tensor<32x64xi8>, %v: tensor<32x8xi8>,
                    %kt: tensor<2x64x16xi8>, %init: tensor<4x8xi32>) -> tensor<4x8xi32> {
  %h = inhibitor.attention ins(%q, %k, %v : tensor<4x64xi8>, tensor<32x64xi8>, tensor<32x8xi8>)
         key_tiles(%kt : tensor<2x64x16xi8>)
         outs(%init : tensor<4x8xi32>) -> tensor<4x8xi32>
  return %h : tensor<4x8xi32>
}

// -----

// i8 keys under an i16 accumulator, a dynamic M: the biased keys are K xor
// 0x80 in K's shape; an op that has them keeps them.
// CHECK-LABEL: func @bytes
// CHECK-SAME: %[[K:[a-zA-Z0-9_]+]]: tensor<8x?x64xi8>
// CHECK: linalg.pack
// CHECK: %[[M:.*]] = tensor.dim %[[K]], %{{.*}}
// CHECK: %[[E:.*]] = tensor.empty(%[[M]]) : tensor<8x?x64xi8>
// CHECK: %[[KB:.*]] = linalg.generic {{.*}} ins(%[[K]] : tensor<8x?x64xi8>) outs(%[[E]] : tensor<8x?x64xi8>)
// CHECK: %[[C:.*]] = arith.constant -128 : i8
// CHECK: arith.xori %{{.*}}, %[[C]] : i8
// CHECK: inhibitor.attention signed {gamma = 8 : i16} ins(%{{.*}}, %[[K]], %{{.*}} : {{.*}}) key_tiles(%{{.*}} : tensor<8x?x64x128xi8>) biased_keys(%[[KB]] : tensor<8x?x64xi8>)
// CHECK: inhibitor.attention {{.*}} biased_keys(%arg3 : tensor<8x?x64xi8>)
// NO-BIAS-LABEL: func @bytes
// NO-BIAS: inhibitor.attention {{.*}} key_tiles(%{{.*}} : tensor<8x?x64x128xi8>) outs
// NO-BIAS: inhibitor.attention {{.*}} biased_keys(%arg3 : tensor<8x?x64xi8>)
// Every key tile slices them as it slices K, aligned with key_tiles' tiles
// or not.
// TILE-LABEL: func @bytes
// TILE: %[[KB:.*]] = linalg.generic
// TILE: scf.for %[[B:[a-z0-9_]+]] = %c0 to %c8
// TILE: scf.for %[[J:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step %c128
// TILE: %[[KS:.*]] = tensor.extract_slice %arg1[%[[B]], %[[J]], 0] [1, %[[SZ:.*]], 64] [1, 1, 1] : tensor<8x?x64xi8> to tensor<1x?x64xi8>
// TILE: %[[KBS:.*]] = tensor.extract_slice %[[KB]][%[[B]], %[[J]], 0] [1, %[[SZ]], 64] [1, 1, 1] : tensor<8x?x64xi8> to tensor<1x?x64xi8>
// TILE: inhibitor.attention {{.*}} ins(%{{.*}}, %[[KS]], %{{.*}} : {{.*}}) key_tiles(%{{.*}}) biased_keys(%[[KBS]] : tensor<1x?x64xi8>)
// MISALIGNED-LABEL: func @bytes
// MISALIGNED: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c100
// MISALIGNED: inhibitor.attention {{.*}} biased_keys(%{{.*}} : tensor<1x?x64xi8>)
func.func @bytes(%q: tensor<8x64x64xi8>, %k: tensor<8x?x64xi8>, %v: tensor<8x?x64xi8>,
                 %kb: tensor<8x?x64xi8>, %init: tensor<8x64x64xi16>)
    -> (tensor<8x64x64xi16>, tensor<8x64x64xi16>) {
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<8x64x64xi8>, tensor<8x?x64xi8>, tensor<8x?x64xi8>)
         outs(%init : tensor<8x64x64xi16>) -> tensor<8x64x64xi16>
  %g = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<8x64x64xi8>, tensor<8x?x64xi8>, tensor<8x?x64xi8>)
         biased_keys(%kb : tensor<8x?x64xi8>)
         outs(%init : tensor<8x64x64xi16>) -> tensor<8x64x64xi16>
  return %h, %g : tensor<8x64x64xi16>, tensor<8x64x64xi16>
}

// -----

// No biased keys for i8 keys under an i8 accumulator (no byte score) or
// for i16 keys.
// CHECK-LABEL: func @no_bytes
// CHECK-NOT: biased_keys
// CHECK: return
func.func @no_bytes(%q: tensor<64x64xi8>, %k: tensor<256x64xi8>, %v: tensor<256x64xi8>,
                    %init: tensor<64x64xi8>, %q16: tensor<64x64xi16>, %k16: tensor<256x64xi16>,
                    %v16: tensor<256x64xi16>, %init16: tensor<64x64xi32>)
    -> (tensor<64x64xi8>, tensor<64x64xi32>) {
  %h = inhibitor.attention ins(%q, %k, %v : tensor<64x64xi8>, tensor<256x64xi8>, tensor<256x64xi8>)
         outs(%init : tensor<64x64xi8>) -> tensor<64x64xi8>
  %g = inhibitor.attention ins(%q16, %k16, %v16 : tensor<64x64xi16>, tensor<256x64xi16>, tensor<256x64xi16>)
         outs(%init16 : tensor<64x64xi32>) -> tensor<64x64xi32>
  return %h, %g : tensor<64x64xi8>, tensor<64x64xi32>
}

// -----

// A pack of a dynamic inner tile, which upstream lowerPack does not take:
// --inhibitor-lower-packs leaves it as it is.
// LOWER-LABEL: func @dynamic_inner_tile
// LOWER: linalg.pack %{{.*}} padding_value(%{{.*}} : i16) inner_dims_pos = [0] inner_tiles = [%{{.*}}]
func.func @dynamic_inner_tile(%k: tensor<300x64xi16>, %t: index,
                              %n: index) -> tensor<?x64x?xi16> {
  %c0 = arith.constant 0 : i16
  %e = tensor.empty(%n, %t) : tensor<?x64x?xi16>
  %p = linalg.pack %k padding_value(%c0 : i16) inner_dims_pos = [0] inner_tiles = [%t]
         into %e : tensor<300x64xi16> -> tensor<?x64x?xi16>
  return %p : tensor<?x64x?xi16>
}
