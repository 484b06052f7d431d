// The transform script of docs/Tiling.md: upstream transform ops tile
// inhibitor.attention through its TilingInterface, queries in an
// scf.forall (threads) and keys in an scf.for.
// RUN: inhibitor-opt %s -split-input-file --transform-interpreter --canonicalize | FileCheck %s

// CHECK-LABEL: func @attention
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<8x256x64xi16>, %[[K:[a-zA-Z0-9_]+]]: tensor<8x1024x64xi16>, %[[V:[a-zA-Z0-9_]+]]: tensor<8x1024x64xi16>
// CHECK: scf.forall (%[[B:.*]], %[[T:.*]]) in (8, 8) shared_outs(%[[OUT:.*]] = %{{.*}})
// CHECK: %[[I:.*]] = affine.apply #{{.*}}(%[[T]])
// CHECK: %[[QS:.*]] = tensor.extract_slice %[[Q]][%[[B]], %[[I]], 0] [1, 32, 64] [1, 1, 1]
// CHECK: %[[KH:.*]] = tensor.extract_slice %[[K]][%[[B]], 0, 0] [1, 1024, 64] [1, 1, 1]
// CHECK: %[[VH:.*]] = tensor.extract_slice %[[V]][%[[B]], 0, 0] [1, 1024, 64] [1, 1, 1]
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}})
// CHECK-DAG: %[[KS:.*]] = tensor.extract_slice %[[KH]][0, %[[J]], 0] [1, 128, 64] [1, 1, 1]
// CHECK-DAG: %[[VS:.*]] = tensor.extract_slice %[[VH]][0, %[[J]], 0] [1, 128, 64] [1, 1, 1]
// CHECK: %[[TILE:.*]] = inhibitor.attention {gamma = 8 : i32} ins(%[[QS]], %[[KS]], %[[VS]] : tensor<1x32x64xi16>, tensor<1x128x64xi16>, tensor<1x128x64xi16>) outs(%{{.*}} : tensor<1x32x64xi32>)
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[J]], %{{.*}}
// CHECK: linalg.generic {{.*}} ins(%[[TILE]] : tensor<1x32x64xi32>) outs(%[[ACC]] : tensor<1x32x64xi32>)
// CHECK: arith.addi
// CHECK: arith.select %[[FIRST]]
// CHECK: scf.forall.in_parallel
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[OUT]][%[[B]], %[[I]], 0] [1, 32, 64]
func.func @attention(%q: tensor<8x256x64xi16>, %k: tensor<8x1024x64xi16>,
                     %v: tensor<8x1024x64xi16>,
                     %init: tensor<8x256x64xi32>) -> tensor<8x256x64xi32> {
  %h = inhibitor.attention {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x256x64xi16>, tensor<8x1024x64xi16>, tensor<8x1024x64xi16>)
         outs(%init : tensor<8x256x64xi32>) -> tensor<8x256x64xi32>
  return %h : tensor<8x256x64xi32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %att = transform.structured.match ops{["inhibitor.attention"]} in %root
      : (!transform.any_op) -> !transform.any_op
    // Domain [b, N, E, M]: one head and 32 queries per parallel tile ...
    %tile, %forall = transform.structured.tile_using_forall %att tile_sizes [1, 32, 0, 0]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    // ... and 128 keys per step of the reduction.
    %tile2, %for = transform.structured.tile_using_for %tile tile_sizes [0, 0, 0, 128]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// Decode through upstream's tile_reduction_using_forall: the keys split in
// 4 parallel parts (the ops' PartialReductionOpInterface), added afterwards.
// RUN: inhibitor-opt %s -split-input-file --transform-interpreter --canonicalize | FileCheck %s --check-prefix=SPLIT
// SPLIT-LABEL: func @decode
// SPLIT: scf.forall (%[[S:.*]]) in (4) shared_outs(%[[P:.*]] = %{{.*}}) -> (tensor<4x8x4x64xi32>)
// SPLIT: %[[DEST:.*]] = tensor.extract_slice %[[P]][%[[S]], 0, 0, 0] [1, 8, 4, 64]
// SPLIT: inhibitor.attention {gamma = 8 : i32} ins({{.*}} : tensor<8x4x64xi16>, tensor<2x1024x64xi16>, tensor<2x1024x64xi16>) outs(%[[DEST]] : tensor<8x4x64xi32>)
// SPLIT: linalg.reduce ins(%{{.*}} : tensor<4x8x4x64xi32>) outs(%{{.*}} : tensor<8x4x64xi32>) dimensions = [0]
func.func @decode(%q: tensor<8x4x64xi16>, %k: tensor<2x4096x64xi16>,
                  %v: tensor<2x4096x64xi16>,
                  %init: tensor<8x4x64xi32>) -> tensor<8x4x64xi32> {
  %h = inhibitor.attention {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x4x64xi16>, tensor<2x4096x64xi16>, tensor<2x4096x64xi16>)
         outs(%init : tensor<8x4x64xi32>) -> tensor<8x4x64xi32>
  return %h : tensor<8x4x64xi32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %att = transform.structured.match ops{["inhibitor.attention"]} in %root
      : (!transform.any_op) -> !transform.any_op
    %fill, %split, %merge, %forall = transform.structured.tile_reduction_using_forall %att
      by num_threads = [0, 0, 0, 4]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// Tile-and-fuse: tiling a consumer pulls the score's tile into the loop
// (the ops' generateResultTileValue), one [16, 32] score tile per step.
// RUN: inhibitor-opt %s -split-input-file --transform-interpreter --canonicalize | FileCheck %s --check-prefix=FUSE
// FUSE-LABEL: func @score_then_add
// FUSE: scf.for
// FUSE: scf.for
// FUSE: %[[Z:.*]] = inhibitor.manhattan_score {gamma = 2 : i32} ins(%{{.*}}, %{{.*}} : tensor<16x8xi16>, tensor<32x8xi16>) outs(%{{.*}} : tensor<16x32xi32>)
// FUSE: linalg.generic {{.*}} ins(%[[Z]] : tensor<16x32xi32>)
func.func @score_then_add(%q: tensor<64x8xi16>, %k: tensor<96x8xi16>,
                          %init: tensor<64x96xi32>) -> tensor<64x96xi32> {
  %z = inhibitor.manhattan_score {gamma = 2 : i32}
         ins(%q, %k : tensor<64x8xi16>, tensor<96x8xi16>)
         outs(%init : tensor<64x96xi32>) -> tensor<64x96xi32>
  %e = tensor.empty() : tensor<64x96xi32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
         ins(%z : tensor<64x96xi32>) outs(%e : tensor<64x96xi32>) {
  ^bb0(%x: i32, %o: i32):
    %c1 = arith.constant 1 : i32
    %y = arith.addi %x, %c1 : i32
    linalg.yield %y : i32
  } -> tensor<64x96xi32>
  return %r : tensor<64x96xi32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %g = transform.structured.match ops{["linalg.generic"]} in %root
      : (!transform.any_op) -> !transform.any_op
    %t, %loops:2 = transform.structured.fuse %g tile_sizes [16, 32]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// The script of docs/Tiling.md that packs the keys first (upstream
// transform.apply_registered_pass runs --inhibitor-pack-keys on the
// function): each tile reads its key tile of key_tiles.
// CHECK-LABEL: func @attention_packed_keys
// CHECK-SAME: %[[K:[a-zA-Z0-9_]+]]: tensor<8x1024x64xi16>
// CHECK: %[[PACK:.*]] = linalg.pack %[[K]]{{.*}}inner_dims_pos = [1] inner_tiles = [128] into %{{.*}} : tensor<8x1024x64xi16> -> tensor<8x8x64x128xi16>
// CHECK: scf.forall (%[[B:.*]], %[[T:.*]]) in (8, 8)
// CHECK: %[[KTH:.*]] = tensor.extract_slice %[[PACK]][%[[B]], 0, 0, 0] [1, 8, 64, 128] [1, 1, 1, 1]
// CHECK: scf.for %[[J:[a-z0-9_]+]] =
// CHECK: %[[TILE:.*]] = affine.apply #{{.*}}(%[[J]])
// CHECK: %[[KT:.*]] = tensor.extract_slice %[[KTH]][0, %[[TILE]], 0, 0] [1, 1, 64, 128] [1, 1, 1, 1] : tensor<1x8x64x128xi16> to tensor<1x1x64x128xi16>
// CHECK: inhibitor.attention {{.*}} key_tiles(%[[KT]] : tensor<1x1x64x128xi16>)
func.func @attention_packed_keys(%q: tensor<8x256x64xi16>, %k: tensor<8x1024x64xi16>,
                                 %v: tensor<8x1024x64xi16>,
                                 %init: tensor<8x256x64xi32>) -> tensor<8x256x64xi32> {
  %h = inhibitor.attention {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x256x64xi16>, tensor<8x1024x64xi16>, tensor<8x1024x64xi16>)
         outs(%init : tensor<8x256x64xi32>) -> tensor<8x256x64xi32>
  return %h : tensor<8x256x64xi32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root
      : (!transform.any_op) -> !transform.any_op
    %packed = transform.apply_registered_pass "inhibitor-pack-keys"
      with options = {"key-tile" = 128 : i64} to %func
      : (!transform.any_op) -> !transform.any_op
    %att = transform.structured.match ops{["inhibitor.attention"]} in %packed
      : (!transform.any_op) -> !transform.any_op
    %tile, %forall = transform.structured.tile_using_forall %att tile_sizes [1, 32, 0, 0]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    %tile2, %for = transform.structured.tile_using_for %tile tile_sizes [0, 0, 0, 128]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// The script of docs/Tiling.md that checks the narrow tiles once first
// (--inhibitor-version-narrow-sums through transform.apply_registered_pass)
// and packs the keys: both versions of the op are tiled; the tiles of the
// first keep narrow_sums, so none of them checks its own data.
// CHECK-LABEL: func @attention_versioned
// CHECK: math.absi
// CHECK: %[[FITS:.*]] = arith.andi
// CHECK: scf.if %[[FITS]] -> (tensor<8x256x64xi32>)
// CHECK: linalg.pack
// CHECK: scf.forall
// CHECK: scf.for
// CHECK: inhibitor.attention {gamma = 8 : i32, narrow_sums = 128 : i64} {{.*}} key_tiles(%{{.*}} : tensor<1x1x64x128xi16>) outs(%{{.*}} : tensor<1x32x64xi32>)
// CHECK: } else {
// CHECK: linalg.pack
// CHECK: scf.forall
// CHECK: scf.for
// CHECK: inhibitor.attention {gamma = 8 : i32} {{.*}} key_tiles(%{{.*}} : tensor<1x1x64x128xi16>) outs(%{{.*}} : tensor<1x32x64xi32>)
func.func @attention_versioned(%q: tensor<8x256x64xi16>, %k: tensor<8x1024x64xi16>,
                               %v: tensor<8x1024x64xi16>,
                               %init: tensor<8x256x64xi32>) -> tensor<8x256x64xi32> {
  %h = inhibitor.attention {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x256x64xi16>, tensor<8x1024x64xi16>, tensor<8x1024x64xi16>)
         outs(%init : tensor<8x256x64xi32>) -> tensor<8x256x64xi32>
  return %h : tensor<8x256x64xi32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %func = transform.structured.match ops{["func.func"]} in %root
      : (!transform.any_op) -> !transform.any_op
    %versioned = transform.apply_registered_pass "inhibitor-version-narrow-sums"
      with options = {"key-tile" = 128 : i64} to %func
      : (!transform.any_op) -> !transform.any_op
    %packed = transform.apply_registered_pass "inhibitor-pack-keys"
      with options = {"key-tile" = 128 : i64} to %versioned
      : (!transform.any_op) -> !transform.any_op
    %att = transform.structured.match ops{["inhibitor.attention"]} in %packed
      : (!transform.any_op) -> !transform.any_op
    %tile, %forall = transform.structured.tile_using_forall %att tile_sizes [1, 32, 0, 0]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    %tile2, %for = transform.structured.tile_using_for %tile tile_sizes [0, 0, 0, 128]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}
