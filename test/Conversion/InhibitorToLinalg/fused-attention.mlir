// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention query-tile=32 key-tile=128 narrow-tiles=false split-dynamic-queries=false" -split-input-file -verify-each | FileCheck %s
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention query-tile=32 key-tile=128 narrow-tiles=false split-dynamic-queries=false key-copy-limit=1024" -split-input-file -verify-each | FileCheck %s --check-prefix=LIMIT
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg -split-input-file -verify-each | FileCheck %s --check-prefix=UNFUSED
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention=false query-tile=32 key-tile=128" -split-input-file -verify-each | FileCheck %s --check-prefix=UNFUSED
// RUN: not inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention query-tile=0" -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD-TILE
// RUN: not inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention key-tile=-1" -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD-TILE

// With fuse-attention, inhibitor.attention [b..., N, M] is lowered fused and
// tiled: K is transposed once, tile by tile where M is static and above
// key-tile (K^T of each whole key tile contiguous: [b..., M / key-tile, D,
// key-tile], the last M mod key-tile keys on their own), else as K^T
// [b..., D, M]; with one query tile (a static N of at most query-tile) each
// K tile is transposed inside the key loop instead.
// Then ONE scf.forall runs
// over (batch dims..., query tiles) (batch steps 1, query step query-tile)
// with shared_outs = the attention's init. Each iteration takes its H tile
// [1.., tn, E] as a tensor.extract_slice of the shared out at (b..., i0, 0),
// zero-fills it, and carries it through an inner scf.for over the whole
// tiles of key-tile keys (a partial last tile is peeled after the loop:
// static where M is, under an scf.if where it is not), which slices Q,
// K^T, V (and the i8 mask) for the tile,
// computes the score tile [1.., tn, tm] on a fresh tensor.empty, and adds its
// inhibition into the carried H tile (no fill); the scf.forall.in_parallel
// terminator puts the finished H tile back with tensor.parallel_insert_slice
// at the same offsets and sizes. Z never exists beyond one tile. A query
// tile's size is static when the tile divides the static extent (or covers
// it), else min(tile, extent - offset); key tiles as above. With the default fuse-attention=false the
// composite is lowered unfused (UNFUSED, see also inhibitor-to-linalg.mlir).

// BAD-TILE: error: convert-inhibitor-to-linalg: query-tile and key-tile must be positive
// BAD-TILE-NOT: linalg.generic

// Static sizes divisible by the tiles (N = 64 = 2 x 32, M = 256 = 2 x 128):
// every slice and tile has static sizes; signed inhibition in the clamp form.
// CHECK-DAG: #[[$Q_MAP:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$KT_MAP:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$Z_MAP:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func @static_divisible
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<64x16xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<256x16xi8>, %[[V:[a-zA-Z0-9_]+]]: tensor<256x8xi16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<64x8xi32>
// CHECK: %[[KX:.*]] = tensor.expand_shape %[[K]] {{\[\[}}0, 1], [2]] output_shape [2, 128, 16] : tensor<256x16xi8> into tensor<2x128x16xi8>
// CHECK: %[[KTE:.*]] = tensor.empty() : tensor<2x16x128xi8>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[KX]] : tensor<2x128x16xi8>) outs(%[[KTE]] : tensor<2x16x128xi8>) permutation = [0, 2, 1]
// The score reads Q widened to the accumulator type once (only K is
// sign-extended per pair).
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[QW:.*]] = linalg.generic {{.*}} ins(%[[Q]] : tensor<64x16xi8>) outs(%{{.*}} : tensor<64x16xi32>)
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK: %[[RES:.*]] = scf.forall (%[[I0:[a-zA-Z0-9_]+]]) = (0) to (64) step (%[[C32]]) shared_outs(%[[ACC:[a-zA-Z0-9_]+]] = %[[INIT]]) -> (tensor<64x8xi32>) {
// CHECK-NEXT: %[[HS:.*]] = tensor.extract_slice %[[ACC]][%[[I0]], 0] [32, 8] [1, 1] : tensor<64x8xi32> to tensor<32x8xi32>
// CHECK-NOT: tensor.empty
// CHECK: %[[HFILL:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%[[HS]] : tensor<32x8xi32>) -> tensor<32x8xi32>
// CHECK-DAG: %[[C256:.*]] = arith.constant 256 : index
// CHECK-DAG: %[[C128:.*]] = arith.constant 128 : index
// CHECK: %[[NEGH:.*]] = scf.for %[[J0:.*]] = %[[C0]] to %[[C256]] step %[[C128]] iter_args(%[[H:.*]] = %[[HFILL]]) -> (tensor<32x8xi32>) {
// CHECK-DAG: %[[QS:.*]] = tensor.extract_slice %[[QW]][%[[I0]], 0] [32, 16] [1, 1] : tensor<64x16xi32> to tensor<32x16xi32>
// CHECK-DAG: %[[KTI:.*]] = arith.divui %[[J0]], %{{.*}} : index
// CHECK-DAG: %[[KTS:.*]] = tensor.extract_slice %[[KT]][%[[KTI]], 0, 0] [1, 16, 128] [1, 1, 1] : tensor<2x16x128xi8> to tensor<16x128xi8>
// CHECK-DAG: %[[VS:.*]] = tensor.extract_slice %[[V]][%[[J0]], 0] [128, 8] [1, 1] : tensor<256x8xi16> to tensor<128x8xi16>
// CHECK: %[[ZE:.*]] = tensor.empty() : tensor<32x128xi32>
// CHECK: %[[ZFILL:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%[[ZE]] : tensor<32x128xi32>) -> tensor<32x128xi32>
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$Q_MAP]], #[[$KT_MAP]], #[[$Z_MAP]]]
// CHECK-SAME: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-SAME: ins(%[[QS]], %[[KTS]] : tensor<32x16xi32>, tensor<16x128xi8>) outs(%[[ZFILL]] : tensor<32x128xi32>)
// CHECK: math.absi
// CHECK: %[[SCORE:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$ID2]]]
// CHECK-SAME: outs(%[[SUM]] : tensor<32x128xi32>)
// CHECK: arith.shrsi
// CHECK: arith.maxsi
// The signed integer inhibition with every pair attended is split:
// -H - sum_j V + sum_j clamp(V, -Z, Z) on the negated H tile (a reduction
// of the V tile over its keys, subtracted from every row), negated once
// after the key loop.
// CHECK: %[[VSUM0:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<8xi32>)
// CHECK: %[[VSUM:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["reduction", "parallel"]
// CHECK-SAME: ins(%[[VS]] : tensor<128x8xi16>) outs(%[[VSUM0]] : tensor<8xi32>)
// CHECK: %[[HMINUS:.*]] = linalg.generic
// CHECK-SAME: ins(%[[VSUM]] : tensor<8xi32>) outs(%[[H]] : tensor<32x8xi32>)
// CHECK: arith.subi
// CHECK-NOT: linalg.fill
// CHECK: %[[NEWH:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$KT_MAP]], #[[$Q_MAP]], #[[$Z_MAP]]]
// CHECK-SAME: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-SAME: ins(%[[VS]], %[[SCORE]] : tensor<128x8xi16>, tensor<32x128xi32>) outs(%[[HMINUS]] : tensor<32x8xi32>)
// CHECK-NEXT: ^bb0(%[[VE:[a-zA-Z0-9_]+]]: i16, %[[ZV:[a-zA-Z0-9_]+]]: i32, %[[HV:[a-zA-Z0-9_]+]]: i32):
// CHECK: %[[VW:.*]] = arith.extsi %[[VE]] : i16 to i32
// CHECK-DAG: %[[MINUSZ:.*]] = arith.subi %{{.*}}, %[[ZV]] : i32
// CHECK-DAG: %[[UPPER:.*]] = arith.minsi %[[VW]], %[[ZV]] : i32
// CHECK: %[[CLAMP:.*]] = arith.maxsi %[[UPPER]], %[[MINUSZ]] : i32
// CHECK: %[[ADD:.*]] = arith.addi %[[HV]], %[[CLAMP]] : i32
// CHECK: linalg.yield %[[ADD]] : i32
// CHECK: scf.yield %[[NEWH]] : tensor<32x8xi32>
// CHECK-NEXT: }
// CHECK-NEXT: %[[HTILE:.*]] = linalg.generic
// CHECK-SAME: outs(%[[NEGH]] : tensor<32x8xi32>)
// CHECK: arith.subi %{{.*}}, %{{.*}} : i32
// CHECK: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[HTILE]] into %[[ACC]][%[[I0]], 0] [32, 8] [1, 1] : tensor<32x8xi32> into tensor<64x8xi32>
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: return %[[RES]] : tensor<64x8xi32>

// Unfused, the whole score [64, 256] is one tensor and there are no loops
// (UNFUSED-NOT: scf.for also rejects scf.forall).
// UNFUSED-LABEL: func @static_divisible
// UNFUSED-NOT: scf.for
// UNFUSED: %[[ZE:.*]] = tensor.empty() : tensor<64x256xi32>
// UNFUSED: linalg.transpose
// UNFUSED: linalg.fill ins(%{{.*}} : i32) outs(%[[ZE]] : tensor<64x256xi32>)
// UNFUSED-NOT: scf.for
// UNFUSED: return
func.func @static_divisible(%q: tensor<64x16xi8>, %k: tensor<256x16xi8>,
                            %v: tensor<256x8xi16>,
                            %init: tensor<64x8xi32>) -> tensor<64x8xi32> {
  %h = inhibitor.attention signed {gamma = 4 : i32}
         ins(%q, %k, %v : tensor<64x16xi8>, tensor<256x16xi8>, tensor<256x8xi16>)
         outs(%init : tensor<64x8xi32>) -> tensor<64x8xi32>
  return %h : tensor<64x8xi32>
}

// -----

// Odd static sizes (N = 40, M = 200): the last query tile has 8 rows, so
// each query tile is an scf.if on i0 + 32 <= 40: a full tile of 32 rows,
// static, or the last tile of 8 rows, static too; both yield a tile of
// H cast to ?x8, inserted into the shared out as min(32, 40 - i0) rows.
// The keys are peeled: K^T is laid out tile by tile for the whole key tiles
// (the first 128 keys) and the last 72 keys are transposed on their own;
// the key loop runs over the whole tiles, every key tile static (no
// arith.minsi), and the partial tile of 72 keys follows the loop, reading
// the tail's K^T and the last 72 rows of V, adding into the loop's result.
// CHECK-LABEL: func @static_odd
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<40x16xf32>, %[[K:[a-zA-Z0-9_]+]]: tensor<200x16xf32>, %[[V:[a-zA-Z0-9_]+]]: tensor<200x8xf32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<40x8xf32>
// CHECK: %[[KW:.*]] = tensor.extract_slice %[[K]][0, 0] [128, 16] [1, 1] : tensor<200x16xf32> to tensor<128x16xf32>
// CHECK: %[[KWE:.*]] = tensor.expand_shape %[[KW]] {{\[\[}}0, 1], [2]] output_shape [1, 128, 16] : tensor<128x16xf32> into tensor<1x128x16xf32>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[KWE]] : tensor<1x128x16xf32>) outs(%{{.*}} : tensor<1x16x128xf32>) permutation = [0, 2, 1]
// CHECK: %[[KL:.*]] = tensor.extract_slice %[[K]][128, 0] [72, 16] [1, 1] : tensor<200x16xf32> to tensor<72x16xf32>
// CHECK: %[[KLT:.*]] = linalg.transpose ins(%[[KL]] : tensor<72x16xf32>) outs(%{{.*}} : tensor<16x72xf32>) permutation = [1, 0]
// CHECK: %[[STEP:.*]] = arith.constant 32 : index
// CHECK-NEXT: %[[RES:.*]] = scf.forall (%[[I0:[a-zA-Z0-9_]+]]) = (0) to (40) step (%[[STEP]]) shared_outs(%[[ACC:[a-zA-Z0-9_]+]] = %[[INIT]]) -> (tensor<40x8xf32>) {
// CHECK: %[[C32:.*]] = arith.constant 32 : index
// CHECK-NEXT: %[[END:.*]] = arith.addi %[[I0]], %[[C32]] : index
// CHECK-NEXT: %[[C40:.*]] = arith.constant 40 : index
// CHECK-NEXT: %[[FULL:.*]] = arith.cmpi sle, %[[END]], %[[C40]] : index
// CHECK-NEXT: %[[HTILE:.*]] = scf.if %[[FULL]] -> (tensor<?x8xf32>) {
// CHECK-NEXT: %[[HS:.*]] = tensor.extract_slice %[[ACC]][%[[I0]], 0] [32, 8] [1, 1] : tensor<40x8xf32> to tensor<32x8xf32>
// CHECK: %[[HFILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[HS]] : tensor<32x8xf32>)
// CHECK: %[[C128:.*]] = arith.constant 128 : index
// CHECK-NEXT: %[[WHOLE:.*]] = arith.constant 128 : index
// CHECK-NEXT: %[[HW:.*]] = scf.for %[[J0:.*]] = %{{.*}} to %[[WHOLE]] step %[[C128]] iter_args(%[[H:.*]] = %[[HFILL]]) -> (tensor<32x8xf32>) {
// CHECK-NOT: arith.minsi
// CHECK-DAG: %[[QS:.*]] = tensor.extract_slice %[[Q]][%[[I0]], 0] [32, 16] [1, 1] : tensor<40x16xf32> to tensor<32x16xf32>
// CHECK-DAG: %[[KTS:.*]] = tensor.extract_slice %[[KT]][%{{.*}}, 0, 0] [1, 16, 128] [1, 1, 1] : tensor<1x16x128xf32> to tensor<16x128xf32>
// CHECK-DAG: %[[VS:.*]] = tensor.extract_slice %[[V]][%[[J0]], 0] [128, 8] [1, 1] : tensor<200x8xf32> to tensor<128x8xf32>
// CHECK: %[[ZE:.*]] = tensor.empty() : tensor<32x128xf32>
// CHECK: %[[ZFILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[ZE]] : tensor<32x128xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: ins(%[[QS]], %[[KTS]] : tensor<32x16xf32>, tensor<16x128xf32>) outs(%[[ZFILL]] : tensor<32x128xf32>)
// CHECK: %[[SCORE:.*]] = linalg.generic
// CHECK-SAME: outs(%[[SUM]] : tensor<32x128xf32>)
// CHECK-NOT: linalg.fill
// CHECK: %[[NEWH:.*]] = linalg.generic
// CHECK-SAME: ins(%[[VS]], %[[SCORE]] : tensor<128x8xf32>, tensor<32x128xf32>) outs(%[[H]] : tensor<32x8xf32>)
// CHECK: scf.yield %[[NEWH]] : tensor<32x8xf32>
// CHECK-NEXT: }
// CHECK-NOT: arith.minsi
// CHECK-DAG: %[[QL:.*]] = tensor.extract_slice %[[Q]][%[[I0]], 0] [32, 16] [1, 1] : tensor<40x16xf32> to tensor<32x16xf32>
// CHECK-DAG: %[[KLS:.*]] = tensor.extract_slice %[[KLT]][0, 0] [16, 72] [1, 1] : tensor<16x72xf32> to tensor<16x72xf32>
// CHECK-DAG: %[[VL:.*]] = tensor.extract_slice %[[V]][%[[WHOLE]], 0] [72, 8] [1, 1] : tensor<200x8xf32> to tensor<72x8xf32>
// CHECK: tensor.empty() : tensor<32x72xf32>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[QL]], %[[KLS]] : tensor<32x16xf32>, tensor<16x72xf32>)
// CHECK: %[[SCOREL:.*]] = linalg.generic
// CHECK: %[[HLAST:.*]] = linalg.generic
// CHECK-SAME: ins(%[[VL]], %[[SCOREL]] : tensor<72x8xf32>, tensor<32x72xf32>) outs(%[[HW]] : tensor<32x8xf32>)
// CHECK: %[[CAST:.*]] = tensor.cast %[[HLAST]] : tensor<32x8xf32> to tensor<?x8xf32>
// CHECK-NEXT: scf.yield %[[CAST]] : tensor<?x8xf32>
// CHECK-NEXT: } else {
// CHECK-NEXT: tensor.extract_slice %[[ACC]][%[[I0]], 0] [8, 8] [1, 1] : tensor<40x8xf32> to tensor<8x8xf32>
// CHECK: tensor.cast %{{.*}} : tensor<8x8xf32> to tensor<?x8xf32>
// CHECK: }
// CHECK: %[[NREST:.*]] = arith.subi %{{.*}}, %[[I0]] : index
// CHECK: %[[TN:.*]] = arith.minsi %{{.*}}, %[[NREST]] : index
// CHECK: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[HTILE]] into %[[ACC]][%[[I0]], 0] [%[[TN]], 8] [1, 1] : tensor<?x8xf32> into tensor<40x8xf32>
// CHECK: return %[[RES]]
func.func @static_odd(%q: tensor<40x16xf32>, %k: tensor<200x16xf32>,
                      %v: tensor<200x8xf32>,
                      %init: tensor<40x8xf32>) -> tensor<40x8xf32> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<40x16xf32>, tensor<200x16xf32>, tensor<200x8xf32>)
         outs(%init : tensor<40x8xf32>) -> tensor<40x8xf32>
  return %h : tensor<40x8xf32>
}

// -----

// Sizes below the tiles (N = 8 < 32, M = 100 < 128): one tile each, of the
// whole static extent; the loops step by the extent and run once. One query
// tile: the K tile is transposed inside the key loop, no K^T of all of K.
// CHECK-LABEL: func @static_below_tiles
// CHECK-NOT: linalg.transpose
// CHECK: %[[TN:.*]] = arith.constant 8 : index
// CHECK-NEXT: scf.forall (%[[I0:[a-zA-Z0-9_]+]]) = (0) to (8) step (%[[TN]]) shared_outs(%[[ACC:[a-zA-Z0-9_]+]] = %{{.*}})
// CHECK-NOT: arith.minsi
// CHECK: tensor.extract_slice %[[ACC]][%[[I0]], 0] [8, 4] [1, 1] : tensor<8x4xi16> to tensor<8x4xi16>
// CHECK: %[[M:.*]] = arith.constant 100 : index
// CHECK-NEXT: %[[TM:.*]] = arith.constant 100 : index
// CHECK-NEXT: scf.for %[[J0:.*]] = %{{.*}} to %[[M]] step %[[TM]] iter_args
// CHECK-NOT: arith.minsi
// CHECK: tensor.extract_slice %{{.*}}[%[[I0]], 0] [8, 32] [1, 1] : tensor<8x32xi16> to tensor<8x32xi16>
// CHECK: %[[KS:.*]] = tensor.extract_slice %{{.*}}[%[[J0]], 0] [100, 32] [1, 1] : tensor<100x32xi16> to tensor<100x32xi16>
// CHECK: linalg.transpose ins(%[[KS]] : tensor<100x32xi16>) outs(%{{.*}} : tensor<32x100xi16>) permutation = [1, 0]
// CHECK: tensor.extract_slice %{{.*}}[%[[J0]], 0] [100, 4] [1, 1] : tensor<100x4xi16> to tensor<100x4xi16>
// CHECK: tensor.empty() : tensor<8x100xi16>
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[ACC]][%[[I0]], 0] [8, 4] [1, 1] : tensor<8x4xi16> into tensor<8x4xi16>
func.func @static_below_tiles(%q: tensor<8x32xi16>, %k: tensor<100x32xi16>,
                              %v: tensor<100x4xi16>,
                              %init: tensor<8x4xi16>) -> tensor<8x4xi16> {
  %h = inhibitor.attention signed
         ins(%q, %k, %v : tensor<8x32xi16>, tensor<100x32xi16>, tensor<100x4xi16>)
         outs(%init : tensor<8x4xi16>) -> tensor<8x4xi16>
  return %h : tensor<8x4xi16>
}

// -----

// Dynamic sizes: the forall runs to N (Q) and the key loop to M (K), read
// with tensor.dim; each query tile is an scf.if on i0 + 32 <= N, a full
// tile of 32 rows or the last one of min(32, N - i0) rows (checked here in
// detail); D comes from Q and E from V. The key loop runs over the whole
// tiles, M - M mod 128, with static
// 128-key tiles; a partial last tile (M mod 128 keys, as min(128, M - its
// start)) is peeled into an scf.if after the loop, which yields the loop's
// result unchanged when M is a multiple of 128. K^T is laid out tile by
// tile for the whole tiles ([M / 128, D, 128], a dynamic number of tiles)
// and the last M mod 128 keys are transposed on their own.
// CHECK-LABEL: func @dynamic
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<?x?xf32>, %[[K:[a-zA-Z0-9_]+]]: tensor<?x?xf32>, %[[V:[a-zA-Z0-9_]+]]: tensor<?x?xf32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x?xf32>
// CHECK: %[[KLEFT:.*]] = arith.remui %[[MK:[a-z0-9_]+]], %{{.*}} : index
// CHECK-NEXT: %[[KWHOLE:.*]] = arith.subi %[[MK]], %[[KLEFT]] : index
// CHECK: %[[KW:.*]] = tensor.extract_slice %[[K]][0, 0] [%[[KWHOLE]], %{{.*}}] [1, 1] : tensor<?x?xf32> to tensor<?x?xf32>
// CHECK: %[[NT:.*]] = arith.divui %[[KWHOLE]], %{{.*}} : index
// CHECK: %[[KWE:.*]] = tensor.expand_shape %[[KW]] {{\[\[}}0, 1], [2]] output_shape [%[[NT]], 128, %{{.*}}] : tensor<?x?xf32> into tensor<?x128x?xf32>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[KWE]] : tensor<?x128x?xf32>) outs(%{{.*}} : tensor<?x?x128xf32>) permutation = [0, 2, 1]
// CHECK: %[[KL:.*]] = tensor.extract_slice %[[K]][%[[KWHOLE]], 0] [%[[KLEFT]], %{{.*}}] [1, 1]
// CHECK: %[[KLT:.*]] = linalg.transpose ins(%[[KL]] : tensor<?x?xf32>) outs(%{{.*}} : tensor<?x?xf32>) permutation = [1, 0]
// CHECK-DAG: %[[N:.*]] = tensor.dim %[[Q]], %[[C0:[a-z0-9_]+]] : tensor<?x?xf32>
// CHECK-DAG: %[[M:.*]] = tensor.dim %[[K]], %{{.*}} : tensor<?x?xf32>
// CHECK-DAG: %[[D:.*]] = tensor.dim %[[Q]], %[[C1:[a-z0-9_]+]] : tensor<?x?xf32>
// CHECK-DAG: %[[E:.*]] = tensor.dim %[[V]], %{{.*}} : tensor<?x?xf32>
// CHECK-DAG: %[[C0]] = arith.constant 0 : index
// CHECK-DAG: %[[C1]] = arith.constant 1 : index
// CHECK: %[[RES:.*]] = scf.forall (%[[I0:[a-zA-Z0-9_]+]]) = (0) to (%[[N]]) step (%{{.*}}) shared_outs(%[[ACC:[a-zA-Z0-9_]+]] = %[[INIT]]) -> (tensor<?x?xf32>) {
// CHECK: %[[QEND:.*]] = arith.addi %[[I0]], %{{.*}} : index
// CHECK-NEXT: %[[QFULL:.*]] = arith.cmpi sle, %[[QEND]], %[[N]] : index
// CHECK-NEXT: %[[QTILE:.*]] = scf.if %[[QFULL]] -> (tensor<?x?xf32>) {
// CHECK-NEXT: tensor.extract_slice %[[ACC]][%[[I0]], 0] [32, %[[E]]] [1, 1] : tensor<?x?xf32> to tensor<32x?xf32>
// CHECK: tensor.cast %{{.*}} : tensor<32x?xf32> to tensor<?x?xf32>
// CHECK: } else {
// CHECK: %[[NREST:.*]] = arith.subi %[[N]], %[[I0]] : index
// CHECK: %[[TN:.*]] = arith.minsi %{{.*}}, %[[NREST]] : index
// CHECK: %[[HS:.*]] = tensor.extract_slice %[[ACC]][%[[I0]], 0] [%[[TN]], %[[E]]] [1, 1] : tensor<?x?xf32> to tensor<?x?xf32>
// CHECK: %[[HFILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[HS]] : tensor<?x?xf32>)
// CHECK: %[[C128:.*]] = arith.constant 128 : index
// CHECK-NEXT: %[[LEFT:.*]] = arith.remui %[[M]], %[[C128]] : index
// CHECK-NEXT: %[[WHOLE:.*]] = arith.subi %[[M]], %[[LEFT]] : index
// CHECK-NEXT: %[[HW:.*]] = scf.for %[[J0:.*]] = %{{.*}} to %[[WHOLE]] step %[[C128]] iter_args(%[[H:.*]] = %[[HFILL]]) -> (tensor<?x?xf32>) {
// CHECK-NOT: arith.minsi
// CHECK-DAG: %[[QS:.*]] = tensor.extract_slice %[[Q]][%[[I0]], 0] [%[[TN]], %[[D]]] [1, 1]
// CHECK-DAG: %[[KTS:.*]] = tensor.extract_slice %[[KT]][%{{.*}}, 0, 0] [1, %[[D]], 128] [1, 1, 1] : tensor<?x?x128xf32> to tensor<?x128xf32>
// CHECK-DAG: %[[VS:.*]] = tensor.extract_slice %[[V]][%[[J0]], 0] [128, %[[E]]] [1, 1] : tensor<?x?xf32> to tensor<128x?xf32>
// CHECK: tensor.empty(%[[TN]]) : tensor<?x128xf32>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[QS]], %[[KTS]] : tensor<?x?xf32>, tensor<?x128xf32>)
// CHECK: %[[SCORE:.*]] = linalg.generic
// CHECK-NOT: linalg.fill
// CHECK: %[[NEWH:.*]] = linalg.generic
// CHECK-SAME: ins(%[[VS]], %[[SCORE]] : tensor<128x?xf32>, tensor<?x128xf32>) outs(%[[H]] : tensor<?x?xf32>)
// CHECK: scf.yield %[[NEWH]]
// CHECK-NEXT: }
// CHECK-NEXT: %[[PARTIAL:.*]] = arith.cmpi ult, %[[WHOLE]], %[[M]] : index
// CHECK-NEXT: %[[HTILE:.*]] = scf.if %[[PARTIAL]] -> (tensor<?x?xf32>) {
// CHECK-NEXT: %[[MREST:.*]] = arith.subi %[[M]], %[[WHOLE]] : index
// CHECK-NEXT: %[[C128B:.*]] = arith.constant 128 : index
// CHECK-NEXT: %[[TM:.*]] = arith.minsi %[[C128B]], %[[MREST]] : index
// CHECK-DAG: %[[QL:.*]] = tensor.extract_slice %[[Q]][%[[I0]], 0] [%[[TN]], %[[D]]] [1, 1]
// CHECK-DAG: %[[KTL:.*]] = tensor.extract_slice %[[KLT]][0, 0] [%[[D]], %[[TM]]] [1, 1]
// CHECK-DAG: %[[VL:.*]] = tensor.extract_slice %[[V]][%[[WHOLE]], 0] [%[[TM]], %[[E]]] [1, 1]
// CHECK: tensor.empty(%[[TN]], %[[TM]]) : tensor<?x?xf32>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[QL]], %[[KTL]] : tensor<?x?xf32>, tensor<?x?xf32>)
// CHECK: %[[SCOREL:.*]] = linalg.generic
// CHECK: %[[HL:.*]] = linalg.generic
// CHECK-SAME: ins(%[[VL]], %[[SCOREL]] : tensor<?x?xf32>, tensor<?x?xf32>) outs(%[[HW]] : tensor<?x?xf32>)
// CHECK: scf.yield %[[HL]]
// CHECK-NEXT: } else {
// CHECK-NEXT: scf.yield %[[HW]]
// CHECK: scf.yield %[[HTILE]] : tensor<?x?xf32>
// CHECK: %[[NREST2:.*]] = arith.subi %[[N]], %[[I0]] : index
// CHECK: %[[TN2:.*]] = arith.minsi %{{.*}}, %[[NREST2]] : index
// CHECK: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[QTILE]] into %[[ACC]][%[[I0]], 0] [%[[TN2]], %[[E]]] [1, 1] : tensor<?x?xf32> into tensor<?x?xf32>
// CHECK: return %[[RES]]
func.func @dynamic(%q: tensor<?x?xf32>, %k: tensor<?x?xf32>,
                   %v: tensor<?x?xf32>,
                   %init: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>)
         outs(%init : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %h : tensor<?x?xf32>
}

// -----

// Two batch dims (2 x 3) and a mask [3, 1, M] broadcast over the first
// batch dim and the queries. The batch dims are the forall's leading dims,
// step 1, and their induction variables offset every slice (sizes 1), the H
// tile of the shared out included; the i1 -> i8 mask copy is made once,
// before the loops, and sliced per tile right-aligned: its batch dim at the
// second batch index, its size-1 dim at [0, 1), its key dim at the key tile.
// The inhibition reads the mask tile's static size-1 dims at index 0.
// CHECK-DAG: #[[$MASK_MAP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (0, 0, d3)>
// CHECK-LABEL: func @batch_mask_broadcast
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x3x96x16xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x3x256x16xi8>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x3x256x8xi8>, %[[M:[a-zA-Z0-9_]+]]: tensor<3x1x256xi1>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<2x3x96x8xi32>
// CHECK: %[[KX:.*]] = tensor.expand_shape %[[K]] {{\[\[}}0], [1], [2, 3], [4]] output_shape [2, 3, 2, 128, 16]
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[KX]] : tensor<2x3x2x128x16xi8>) outs(%{{.*}} : tensor<2x3x2x16x128xi8>) permutation = [0, 1, 2, 4, 3]
// CHECK: %[[MASK8:.*]] = linalg.generic
// CHECK-SAME: ins(%[[M]] : tensor<3x1x256xi1>) outs(%{{.*}} : tensor<3x1x256xi8>)
// CHECK: arith.extui
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[QW:.*]] = linalg.generic {{.*}} ins(%[[Q]] : tensor<2x3x96x16xi8>) outs(%{{.*}} : tensor<2x3x96x16xi32>)
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK-NOT: scf.for
// CHECK: %[[RES:.*]] = scf.forall (%[[B0:[a-zA-Z0-9_]+]], %[[B1:[a-zA-Z0-9_]+]], %[[I0:[a-zA-Z0-9_]+]]) = (0, 0, 0) to (2, 3, 96) step (1, 1, %[[C32]]) shared_outs(%[[ACC:[a-zA-Z0-9_]+]] = %[[INIT]]) -> (tensor<2x3x96x8xi32>) {
// CHECK-NEXT: %[[HS:.*]] = tensor.extract_slice %[[ACC]][%[[B0]], %[[B1]], %[[I0]], 0] [1, 1, 32, 8] [1, 1, 1, 1] : tensor<2x3x96x8xi32> to tensor<1x1x32x8xi32>
// CHECK: %[[HFILL:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%[[HS]] : tensor<1x1x32x8xi32>)
// CHECK: %[[HTILE:.*]] = scf.for %[[J0:.*]] = %[[C0]] to %{{.*}} step %{{.*}} iter_args(%[[H:.*]] = %[[HFILL]]) -> (tensor<1x1x32x8xi32>) {
// CHECK-DAG: %[[QS:.*]] = tensor.extract_slice %[[QW]][%[[B0]], %[[B1]], %[[I0]], 0] [1, 1, 32, 16] [1, 1, 1, 1] : tensor<2x3x96x16xi32> to tensor<1x1x32x16xi32>
// CHECK-DAG: %[[KTS:.*]] = tensor.extract_slice %[[KT]][%[[B0]], %[[B1]], %{{.*}}, 0, 0] [1, 1, 1, 16, 128] [1, 1, 1, 1, 1] : tensor<2x3x2x16x128xi8> to tensor<1x1x16x128xi8>
// CHECK-DAG: %[[VS:.*]] = tensor.extract_slice %[[V]][%[[B0]], %[[B1]], %[[J0]], 0] [1, 1, 128, 8] [1, 1, 1, 1] : tensor<2x3x256x8xi8> to tensor<1x1x128x8xi8>
// CHECK-DAG: %[[MS:.*]] = tensor.extract_slice %[[MASK8]][%[[B1]], 0, %[[J0]]] [1, 1, 128] [1, 1, 1] : tensor<3x1x256xi8> to tensor<1x1x128xi8>
// CHECK: tensor.empty() : tensor<1x1x32x128xi32>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]
// CHECK-SAME: ins(%[[QS]], %[[KTS]] : tensor<1x1x32x16xi32>, tensor<1x1x16x128xi8>)
// CHECK: %[[SCORE:.*]] = linalg.generic
// CHECK-NOT: linalg.fill
// CHECK: %[[NEWH:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#{{[a-z0-9_]+}}, #{{[a-z0-9_]+}}, #[[$MASK_MAP]], #{{[a-z0-9_]+}}]
// CHECK-SAME: ins(%[[VS]], %[[SCORE]], %[[MS]] : tensor<1x1x128x8xi8>, tensor<1x1x32x128xi32>, tensor<1x1x128xi8>) outs(%[[H]] : tensor<1x1x32x8xi32>)
// CHECK: arith.cmpi ne
// CHECK: arith.select
// CHECK: scf.yield %[[NEWH]] : tensor<1x1x32x8xi32>
// CHECK-NEXT: }
// CHECK-NEXT: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[HTILE]] into %[[ACC]][%[[B0]], %[[B1]], %[[I0]], 0] [1, 1, 32, 8] [1, 1, 1, 1] : tensor<1x1x32x8xi32> into tensor<2x3x96x8xi32>
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: return %[[RES]]
func.func @batch_mask_broadcast(%q: tensor<2x3x96x16xi8>, %k: tensor<2x3x256x16xi8>,
                                %v: tensor<2x3x256x8xi8>, %m: tensor<3x1x256xi1>,
                                %init: tensor<2x3x96x8xi32>) -> tensor<2x3x96x8xi32> {
  %h = inhibitor.attention signed
         ins(%q, %k, %v : tensor<2x3x96x16xi8>, tensor<2x3x256x16xi8>, tensor<2x3x256x8xi8>)
         mask(%m : tensor<3x1x256xi1>)
         outs(%init : tensor<2x3x96x8xi32>) -> tensor<2x3x96x8xi32>
  return %h : tensor<2x3x96x8xi32>
}

// -----

// A full-rank mask [N, M] on a batched op: its tile is [tn, tm] at
// (i0, j0), read through (d1, d2).
// CHECK-DAG: #[[$MASK_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2)>
// CHECK-LABEL: func @mask_queries_keys
// CHECK-SAME: %[[INIT:[a-zA-Z0-9_]+]]: tensor<2x96x8xf32>)
// CHECK: %[[MASK8:.*]] = linalg.generic
// CHECK: scf.forall (%[[B0:[a-zA-Z0-9_]+]], %[[I0:[a-zA-Z0-9_]+]]) = (0, 0) to (2, 96) step (1, %{{.*}}) shared_outs(%{{.*}} = %[[INIT]]) -> (tensor<2x96x8xf32>)
// CHECK: scf.for %[[J0:[a-zA-Z0-9_]+]] = {{.*}} iter_args
// CHECK: %[[MS:.*]] = tensor.extract_slice %[[MASK8]][%[[I0]], %[[J0]]] [32, 128] [1, 1] : tensor<96x256xi8> to tensor<32x128xi8>
// CHECK: linalg.generic {indexing_maps = [#{{[a-z0-9_]+}}, #{{[a-z0-9_]+}}, #[[$MASK_MAP]], #{{[a-z0-9_]+}}]
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %[[MS]] : tensor<1x128x8xf32>, tensor<1x32x128xf32>, tensor<32x128xi8>)
func.func @mask_queries_keys(%q: tensor<2x96x16xf32>, %k: tensor<2x256x16xf32>,
                             %v: tensor<2x256x8xf32>, %m: tensor<96x256xi1>,
                             %init: tensor<2x96x8xf32>) -> tensor<2x96x8xf32> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<2x96x16xf32>, tensor<2x256x16xf32>, tensor<2x256x8xf32>)
         mask(%m : tensor<96x256xi1>)
         outs(%init : tensor<2x96x8xf32>) -> tensor<2x96x8xf32>
  return %h : tensor<2x96x8xf32>
}

// -----

// Causal: keys after the query tile's last query are never visited: the key
// loop ends at min(M, i0 + tn). It runs over the whole key tiles below that
// end (end - end mod 128), static 128-key blocks of the tiled K^T, and the
// partial tile up to the end is peeled into an scf.if after it, dynamic
// (min(128, end - start), a part of its block of the tiled K^T). Both add
// the tile offsets to linalg.index before comparing j <= i.
// CHECK-LABEL: func @causal
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x96x16xf32>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x256x16xf32>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x256x8xf32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<2x96x8xf32>
// CHECK: scf.forall (%[[B0:[a-zA-Z0-9_]+]], %[[I0:[a-zA-Z0-9_]+]]) = (0, 0) to (2, 96) step (1, %{{.*}}) shared_outs(%[[ACC:[a-zA-Z0-9_]+]] = %[[INIT]]) -> (tensor<2x96x8xf32>)
// CHECK-NEXT: %[[HS:.*]] = tensor.extract_slice %[[ACC]][%[[B0]], %[[I0]], 0] [1, 32, 8] [1, 1, 1] : tensor<2x96x8xf32> to tensor<1x32x8xf32>
// CHECK: %[[HFILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[HS]] : tensor<1x32x8xf32>)
// CHECK: %[[M:.*]] = arith.constant 256 : index
// CHECK: %[[TN:.*]] = arith.constant 32 : index
// CHECK: %[[LAST:.*]] = arith.addi %[[I0]], %[[TN]] : index
// CHECK: %[[END:.*]] = arith.minsi %[[M]], %[[LAST]] : index
// CHECK: %[[C128:.*]] = arith.constant 128 : index
// CHECK-NEXT: %[[LEFT:.*]] = arith.remui %[[END]], %[[C128]] : index
// CHECK-NEXT: %[[WHOLE:.*]] = arith.subi %[[END]], %[[LEFT]] : index
// CHECK-NEXT: %[[HW:.*]] = scf.for %[[J0:.*]] = %{{.*}} to %[[WHOLE]] step %[[C128]] iter_args(%[[H:.*]] = %[[HFILL]]) -> (tensor<1x32x8xf32>) {
// CHECK-NOT: arith.minsi
// CHECK-DAG: tensor.extract_slice %{{.*}}[%[[B0]], %{{.*}}, 0, 0] [1, 1, 16, 128] [1, 1, 1, 1] : tensor<2x2x16x128xf32> to tensor<1x16x128xf32>
// CHECK-DAG: tensor.extract_slice %[[V]][%[[B0]], %[[J0]], 0] [1, 128, 8] [1, 1, 1] : tensor<2x256x8xf32> to tensor<1x128x8xf32>
// CHECK: tensor.empty() : tensor<1x32x128xf32>
// CHECK: linalg.generic
// CHECK: %[[SCORE:.*]] = linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<1x32x128xf32>)
// CHECK: %[[NEWH:.*]] = linalg.generic
// CHECK-SAME: ins(%{{.*}}, %[[SCORE]] : tensor<1x128x8xf32>, tensor<1x32x128xf32>) outs(%[[H]] : tensor<1x32x8xf32>)
// CHECK: %[[II:.*]] = linalg.index 1 : index
// CHECK: %[[JJ:.*]] = linalg.index 2 : index
// CHECK: %[[I:.*]] = arith.addi %[[II]], %[[I0]] : index
// CHECK: %[[J:.*]] = arith.addi %[[JJ]], %[[J0]] : index
// CHECK: %[[KEEP:.*]] = arith.cmpi sle, %[[J]], %[[I]] : index
// CHECK: arith.select %[[KEEP]], %{{.*}}, %{{.*}} : f32
// CHECK: scf.yield %[[NEWH]]
// CHECK: %[[PARTIAL:.*]] = arith.cmpi ult, %[[WHOLE]], %[[END]] : index
// CHECK-NEXT: %[[HTILE:.*]] = scf.if %[[PARTIAL]] -> (tensor<1x32x8xf32>) {
// CHECK-NEXT: %[[REST:.*]] = arith.subi %[[END]], %[[WHOLE]] : index
// CHECK: %[[TM:.*]] = arith.minsi %{{.*}}, %[[REST]] : index
// CHECK-DAG: tensor.extract_slice %{{.*}}[%[[B0]], %{{.*}}, 0, 0] [1, 1, 16, %[[TM]]] [1, 1, 1, 1] : tensor<2x2x16x128xf32> to tensor<1x16x?xf32>
// CHECK-DAG: tensor.extract_slice %[[V]][%[[B0]], %[[WHOLE]], 0] [1, %[[TM]], 8] [1, 1, 1] : tensor<2x256x8xf32> to tensor<1x?x8xf32>
// CHECK: tensor.empty(%[[TM]]) : tensor<1x32x?xf32>
// CHECK: linalg.generic
// CHECK: %[[SCOREL:.*]] = linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<1x32x?xf32>)
// CHECK: %[[HL:.*]] = linalg.generic
// CHECK-SAME: ins(%{{.*}}, %[[SCOREL]] : tensor<1x?x8xf32>, tensor<1x32x?xf32>) outs(%[[HW]] : tensor<1x32x8xf32>)
// CHECK: %[[JL:.*]] = arith.addi %{{.*}}, %[[WHOLE]] : index
// CHECK: arith.cmpi sle, %[[JL]], %{{.*}} : index
// CHECK: scf.yield %[[HL]]
// CHECK-NEXT: } else {
// CHECK-NEXT: scf.yield %[[HW]]
// CHECK: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[HTILE]] into %[[ACC]][%[[B0]], %[[I0]], 0] [1, 32, 8] [1, 1, 1]

// UNFUSED-LABEL: func @causal
// UNFUSED-NOT: scf.for
// UNFUSED: %[[II:.*]] = linalg.index 1 : index
// UNFUSED-NEXT: %[[JJ:.*]] = linalg.index 2 : index
// UNFUSED-NEXT: arith.cmpi sle, %[[JJ]], %[[II]] : index
// UNFUSED-NOT: scf.for
// UNFUSED: return
func.func @causal(%q: tensor<2x96x16xf32>, %k: tensor<2x256x16xf32>,
                  %v: tensor<2x256x8xf32>,
                  %init: tensor<2x96x8xf32>) -> tensor<2x96x8xf32> {
  %h = inhibitor.attention causal
         ins(%q, %k, %v : tensor<2x96x16xf32>, tensor<2x256x16xf32>, tensor<2x256x8xf32>)
         outs(%init : tensor<2x96x8xf32>) -> tensor<2x96x8xf32>
  return %h : tensor<2x96x8xf32>
}

// -----

// Causal with a dynamic query count: in the last query tile (the else
// branch; a full tile's is i0 + 32) the key loop's end uses the query
// tile's dynamic size, min(M, i0 + min(32, N - i0)); the whole tiles below
// it in the loop, the partial one after it.
// CHECK-LABEL: func @causal_dynamic
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<?x16xf32>, %[[K:[a-zA-Z0-9_]+]]: tensor<?x16xf32>, %[[V:[a-zA-Z0-9_]+]]: tensor<?x8xf32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x8xf32>
// CHECK: linalg.transpose
// CHECK: %[[N:.*]] = tensor.dim %[[Q]], %{{.*}} : tensor<?x16xf32>
// CHECK: %[[M:.*]] = tensor.dim %[[K]], %{{.*}} : tensor<?x16xf32>
// CHECK: scf.forall (%[[I0:[a-zA-Z0-9_]+]]) = (0) to (%[[N]]) step (%{{.*}}) shared_outs(%[[ACC:[a-zA-Z0-9_]+]] = %[[INIT]]) -> (tensor<?x8xf32>)
// CHECK: %[[QTILE:.*]] = scf.if
// CHECK: } else {
// CHECK: %[[NREST:.*]] = arith.subi %[[N]], %[[I0]] : index
// CHECK: %[[TN:.*]] = arith.minsi %{{.*}}, %[[NREST]] : index
// CHECK: %[[HS:.*]] = tensor.extract_slice %[[ACC]][%[[I0]], 0] [%[[TN]], 8] [1, 1] : tensor<?x8xf32> to tensor<?x8xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[HS]] : tensor<?x8xf32>)
// CHECK: %[[LAST:.*]] = arith.addi %[[I0]], %[[TN]] : index
// CHECK: %[[END:.*]] = arith.minsi %[[M]], %[[LAST]] : index
// CHECK: %[[LEFT:.*]] = arith.remui %[[END]], %{{.*}} : index
// CHECK-NEXT: %[[WHOLE:.*]] = arith.subi %[[END]], %[[LEFT]] : index
// CHECK-NEXT: scf.for %{{.*}} = %{{.*}} to %[[WHOLE]] step
// CHECK: %[[PARTIAL:.*]] = arith.cmpi ult, %[[WHOLE]], %[[END]] : index
// CHECK-NEXT: %[[HTILE:.*]] = scf.if %[[PARTIAL]]
// CHECK-NEXT: arith.subi %[[END]], %[[WHOLE]] : index
// CHECK: scf.yield %[[HTILE]] : tensor<?x8xf32>
// CHECK: %[[TN2:.*]] = arith.minsi
// CHECK: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[QTILE]] into %[[ACC]][%[[I0]], 0] [%[[TN2]], 8] [1, 1] : tensor<?x8xf32> into tensor<?x8xf32>
func.func @causal_dynamic(%q: tensor<?x16xf32>, %k: tensor<?x16xf32>,
                          %v: tensor<?x8xf32>,
                          %init: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %h = inhibitor.attention causal
         ins(%q, %k, %v : tensor<?x16xf32>, tensor<?x16xf32>, tensor<?x8xf32>)
         outs(%init : tensor<?x8xf32>) -> tensor<?x8xf32>
  return %h : tensor<?x8xf32>
}

// -----

// Only the composite is fused: manhattan_score and inhibit lower as without
// the option (one generic each over the whole tensors, no loops); signed
// inhibit keeps eq. 5 (two maxsi, two minsi). (CHECK-NOT: scf.for also
// rejects scf.forall.)
// CHECK-LABEL: func @score_and_inhibit_unaffected
// CHECK-NOT: scf.for
// CHECK: linalg.transpose
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-SAME: outs(%{{.*}} : tensor<16x32xi32>)
// CHECK: %[[Z:.*]] = linalg.generic
// CHECK-SAME: outs(%[[SUM]] : tensor<16x32xi32>)
// CHECK: %[[HFILL:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<16x8xi32>)
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-SAME: ins(%{{.*}}, %[[Z]] : tensor<32x8xi32>, tensor<16x32xi32>) outs(%[[HFILL]] : tensor<16x8xi32>)
// CHECK-COUNT-2: arith.maxsi
// CHECK-NOT: scf.for
// CHECK: return
func.func @score_and_inhibit_unaffected(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                        %v: tensor<32x8xi32>,
                                        %zinit: tensor<16x32xi32>,
                                        %hinit: tensor<16x8xi32>) -> tensor<16x8xi32> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%zinit : tensor<16x32xi32>) -> tensor<16x32xi32>
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<32x8xi32>, tensor<16x32xi32>)
         outs(%hinit : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}

// -----

// Fused, multi-query with a bias: the forall runs over the query heads, K^T
// and V slices take head 0, the bias tile follows the query head and the key
// tile and is subtracted in the score tile's epilogue; likewise in the
// peeled partial key tile (M = 200: 128 + 72), whose K^T is the last 72
// keys transposed on their own.
// CHECK-LABEL: func @fused_mqa_bias
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<4x96x16xf32>, %[[K:[a-zA-Z0-9_]+]]: tensor<1x200x16xf32>, %[[V:[a-zA-Z0-9_]+]]: tensor<1x200x8xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<4x1x200xf32>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%{{.*}} : tensor<1x1x128x16xf32>)
// CHECK: %[[KL:.*]] = tensor.extract_slice %[[K]][0, 128, 0] [1, 72, 16]
// CHECK: %[[KLT:.*]] = linalg.transpose ins(%[[KL]] : tensor<1x72x16xf32>)
// CHECK: scf.forall (%[[H:[a-zA-Z0-9_]+]], %[[I0:[a-zA-Z0-9_]+]]) = (0, 0) to (4, 96)
// CHECK: scf.for %[[J0:[a-zA-Z0-9_]+]] =
// CHECK: tensor.extract_slice %[[Q]][%[[H]], %[[I0]], 0]
// CHECK: tensor.extract_slice %[[KT]][0, %{{.*}}, 0, 0] [1, 1, 16, 128]
// CHECK: tensor.extract_slice %[[V]][0, %[[J0]], 0]
// CHECK: %[[BT:.*]] = tensor.extract_slice %[[B]][%[[H]], 0, %[[J0]]] [1, 1, 128]
// CHECK: %[[S:.*]] = linalg.generic
// CHECK: linalg.generic {{.*}} ins(%[[BT]] : tensor<1x1x128xf32>) outs(%[[S]] : tensor<1x32x128xf32>)
// CHECK: arith.subf
// CHECK: arith.maximumf
// CHECK: scf.yield
// CHECK: tensor.extract_slice %[[KLT]][0, 0, 0] [1, 16, 72]
// CHECK: tensor.extract_slice %[[V]][0, %[[WHOLE:.*]], 0] [1, 72, 8]
// CHECK: %[[BL:.*]] = tensor.extract_slice %[[B]][%[[H]], 0, %[[WHOLE]]] [1, 1, 72]
// CHECK: %[[SL:.*]] = linalg.generic
// CHECK: linalg.generic {{.*}} ins(%[[BL]] : tensor<1x1x72xf32>) outs(%[[SL]] : tensor<1x32x72xf32>)
// UNFUSED-LABEL: func @fused_mqa_bias
// UNFUSED-NOT: scf.forall
func.func @fused_mqa_bias(%q: tensor<4x96x16xf32>, %k: tensor<1x200x16xf32>, %v: tensor<1x200x8xf32>,
                          %b: tensor<4x1x200xf32>, %init: tensor<4x96x8xf32>) -> tensor<4x96x8xf32> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<4x96x16xf32>, tensor<1x200x16xf32>, tensor<1x200x8xf32>)
         bias(%b : tensor<4x1x200xf32>)
         outs(%init : tensor<4x96x8xf32>) -> tensor<4x96x8xf32>
  return %h : tensor<4x96x8xf32>
}

// -----

// Fused, grouped (g = 2), causal: the query-side operands split, the fused
// kernel runs on the (2, 2) heads with K/V head dim 1.
// CHECK-LABEL: func @fused_grouped
// CHECK-DAG: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2], [3]] output_shape [2, 2, 9, 4] : tensor<4x9x4xi16> into tensor<2x2x9x4xi16>
// CHECK-DAG: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2], [3]] output_shape [2, 1, 11, 4] : tensor<2x11x4xi16> into tensor<2x1x11x4xi16>
// CHECK: scf.forall (%[[B0:[a-zA-Z0-9_]+]], %[[B1:[a-zA-Z0-9_]+]], %[[I0:[a-zA-Z0-9_]+]]) = (0, 0, 0) to (2, 2, 9)
// One query tile (N = 9): the K tile is transposed in the key loop.
// CHECK: %[[KS:.*]] = tensor.extract_slice %{{.*}}[%[[B0]], 0, %{{.*}}, 0] [1, 1, %{{.*}}, 4]
// CHECK: linalg.transpose ins(%[[KS]] : tensor<1x1x?x4xi16>) outs(%{{.*}} : tensor<1x1x4x?xi16>) permutation = [0, 1, 3, 2]
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2], [3]] : tensor<2x2x9x3xi32> into tensor<4x9x3xi32>
func.func @fused_grouped(%q: tensor<4x9x4xi16>, %k: tensor<2x11x4xi16>, %v: tensor<2x11x3xi16>,
                         %init: tensor<4x9x3xi32>) -> tensor<4x9x3xi32> {
  %h = inhibitor.attention causal signed
         ins(%q, %k, %v : tensor<4x9x4xi16>, tensor<2x11x4xi16>, tensor<2x11x3xi16>)
         outs(%init : tensor<4x9x3xi32>) -> tensor<4x9x3xi32>
  return %h : tensor<4x9x3xi32>
}

// -----

// Grouped heads with nothing tying a query to its head or position (no
// mask, no bias, not causal; the grouped dim the last batch dim): folded
// into the queries, Q [2, 8, 1, 64] -> [2, 2, 4 x 1, 64] (views), so that
// the kernel runs on the 2 x 2 K/V heads with 4 queries each and reads each
// K/V head once; the result goes back the same way.
// CHECK-LABEL: func @fused_grouped_folded
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x8x1x64xi16>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x2x4096x64xi16>
// CHECK-DAG: %[[QX:.*]] = tensor.expand_shape %[[Q]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [2, 2, 4, 1, 64] : tensor<2x8x1x64xi16> into tensor<2x2x4x1x64xi16>
// CHECK-DAG: %[[QF:.*]] = tensor.collapse_shape %[[QX]] {{\[\[}}0], [1], [2, 3], [4]] : tensor<2x2x4x1x64xi16> into tensor<2x2x4x64xi16>
// CHECK: %[[RES:.*]] = scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (2, 2, 4)
// CHECK: tensor.extract_slice %[[K]][%{{.*}}, %{{.*}}, %{{.*}}, 0] [1, 1, 128, 64]
// CHECK: %[[RX:.*]] = tensor.expand_shape %[[RES]] {{\[\[}}0], [1], [2, 3], [4]] output_shape [2, 2, 4, 1, 64] : tensor<2x2x4x64xi32> into tensor<2x2x4x1x64xi32>
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[RX]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<2x2x4x1x64xi32> into tensor<2x8x1x64xi32>
// CHECK: return %[[R]]
func.func @fused_grouped_folded(%q: tensor<2x8x1x64xi16>, %k: tensor<2x2x4096x64xi16>, %v: tensor<2x2x4096x64xi16>,
                                %init: tensor<2x8x1x64xi32>) -> tensor<2x8x1x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<2x8x1x64xi16>, tensor<2x2x4096x64xi16>, tensor<2x2x4096x64xi16>)
         outs(%init : tensor<2x8x1x64xi32>) -> tensor<2x8x1x64xi32>
  return %h : tensor<2x8x1x64xi32>
}

// -----

// A grouped dim that is not the last batch dim ([H, B, N, D]) keeps the
// split heads (folding would need a transpose of Q).
// CHECK-LABEL: func @fused_grouped_not_last
// CHECK-NOT: tensor.collapse_shape
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) in (2, 2, 3, 1)
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2], [3], [4]] : tensor<2x2x3x1x16xi32> into tensor<4x3x1x16xi32>
func.func @fused_grouped_not_last(%q: tensor<4x3x1x16xi16>, %k: tensor<2x3x256x16xi16>, %v: tensor<2x3x256x16xi16>,
                                  %init: tensor<4x3x1x16xi32>) -> tensor<4x3x1x16xi32> {
  %h = inhibitor.attention signed
         ins(%q, %k, %v : tensor<4x3x1x16xi16>, tensor<2x3x256x16xi16>, tensor<2x3x256x16xi16>)
         outs(%init : tensor<4x3x1x16xi32>) -> tensor<4x3x1x16xi32>
  return %h : tensor<4x3x1x16xi32>
}

// -----

// Decode, one query per head: the score reads K as stored ([keys, D] tiles),
// no transpose of all of K, with the reduction over D innermost and
// contiguous in Q and K: (b, i, j, k).
// CHECK-DAG: #[[$QROW:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[$KROW:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-LABEL: func @fused_one_query
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<8x1x64xi16>, %[[K:[a-zA-Z0-9_]+]]: tensor<8x4096x64xi16>
// CHECK-NOT: linalg.transpose
// CHECK: scf.forall
// CHECK: %[[KS:.*]] = tensor.extract_slice %[[K]][%{{.*}}, %{{.*}}, 0] [1, 128, 64] [1, 1, 1]
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[$QROW]], #[[$KROW]], #{{[a-z0-9_]+}}]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%{{.*}}, %[[KS]] : tensor<1x1x64xi16>, tensor<1x128x64xi16>)
// The inhibition in its direct form, H += V - clamp(V, -Z, Z), one pass
// over each V tile: the split form's V column sums would be a second pass
// that no other query shares.
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction", "parallel"]
// CHECK: %[[VW:.*]] = arith.extsi %{{.*}} : i16 to i32
// CHECK: %[[LO:.*]] = arith.minsi %[[VW]], %{{.*}} : i32
// CHECK: %[[CL:.*]] = arith.maxsi %[[LO]], %{{.*}} : i32
// CHECK: %[[D:.*]] = arith.subi %[[VW]], %[[CL]] : i32
// CHECK: %[[S:.*]] = arith.addi %{{.*}}, %[[D]] : i32
// CHECK: linalg.yield %[[S]]
// CHECK-NOT: linalg.generic
// CHECK: scf.yield
func.func @fused_one_query(%q: tensor<8x1x64xi16>, %k: tensor<8x4096x64xi16>, %v: tensor<8x4096x64xi16>,
                           %init: tensor<8x1x64xi32>) -> tensor<8x1x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x1x64xi16>, tensor<8x4096x64xi16>, tensor<8x4096x64xi16>)
         outs(%init : tensor<8x1x64xi32>) -> tensor<8x1x64xi32>
  return %h : tensor<8x1x64xi32>
}

// -----

// Up to 4 queries per head read K as stored too (their score tiles sum over
// D as rows, vectorized as one tree across keys); 5 queries take keys in
// vector lanes, each K tile transposed in the key loop.
// CHECK-LABEL: func @fused_four_queries
// CHECK-NOT: linalg.transpose
// CHECK: tensor.extract_slice %{{.*}}[%{{.*}}, %{{.*}}, 0] [1, 128, 64] [1, 1, 1] : tensor<8x4096x64xi16> to tensor<1x128x64xi16>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<1x4x64xi16>, tensor<1x128x64xi16>)
// CHECK-NOT: linalg.transpose
// CHECK-LABEL: func @fused_five_queries
// CHECK: linalg.transpose
func.func @fused_four_queries(%q: tensor<8x4x64xi16>, %k: tensor<8x4096x64xi16>, %v: tensor<8x4096x64xi16>,
                              %init: tensor<8x4x64xi32>) -> tensor<8x4x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x4x64xi16>, tensor<8x4096x64xi16>, tensor<8x4096x64xi16>)
         outs(%init : tensor<8x4x64xi32>) -> tensor<8x4x64xi32>
  return %h : tensor<8x4x64xi32>
}

func.func @fused_five_queries(%q: tensor<8x5x64xi16>, %k: tensor<8x4096x64xi16>, %v: tensor<8x4096x64xi16>,
                              %init: tensor<8x5x64xi32>) -> tensor<8x5x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x5x64xi16>, tensor<8x4096x64xi16>, tensor<8x4096x64xi16>)
         outs(%init : tensor<8x5x64xi32>) -> tensor<8x5x64xi32>
  return %h : tensor<8x5x64xi32>
}

// -----

// Decode with a ragged key count (16 queries per head, M = 300 = 2 x 128 +
// 44): each K tile is transposed inside the key loop; the loop covers the
// two whole tiles with static [1, 128, 64] K and V tiles, and the partial
// tile of 44 keys follows it with static [1, 44, 64] tiles (its own
// transpose), adding into the loop's result. No tile is dynamic.
// CHECK-LABEL: func @decode_ragged_keys
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x16x64xi16>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x300x64xi16>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x300x64xi16>
// CHECK-NOT: linalg.transpose
// CHECK: scf.forall (%[[B0:[a-zA-Z0-9_]+]], %{{.*}}) = (0, 0) to (2, 16)
// CHECK-NOT: arith.minsi
// CHECK: %[[WHOLE:.*]] = arith.constant 256 : index
// CHECK: %[[HW:.*]] = scf.for %[[J0:.*]] = %{{.*}} to %[[WHOLE]] step %{{.*}} iter_args
// CHECK: %[[KS:.*]] = tensor.extract_slice %[[K]][%[[B0]], %[[J0]], 0] [1, 128, 64] [1, 1, 1] : tensor<2x300x64xi16> to tensor<1x128x64xi16>
// CHECK: linalg.transpose ins(%[[KS]] : tensor<1x128x64xi16>) outs(%{{.*}} : tensor<1x64x128xi16>)
// CHECK: tensor.extract_slice %[[V]][%[[B0]], %[[J0]], 0] [1, 128, 64] [1, 1, 1] : tensor<2x300x64xi16> to tensor<1x128x64xi16>
// CHECK: scf.yield
// CHECK-NEXT: }
// CHECK-NOT: arith.minsi
// CHECK: %[[KL:.*]] = tensor.extract_slice %[[K]][%[[B0]], %[[WHOLE]], 0] [1, 44, 64] [1, 1, 1] : tensor<2x300x64xi16> to tensor<1x44x64xi16>
// CHECK: linalg.transpose ins(%[[KL]] : tensor<1x44x64xi16>) outs(%{{.*}} : tensor<1x64x44xi16>)
// CHECK: tensor.extract_slice %[[V]][%[[B0]], %[[WHOLE]], 0] [1, 44, 64] [1, 1, 1] : tensor<2x300x64xi16> to tensor<1x44x64xi16>
// CHECK: linalg.generic {{.*}} outs(%[[HW]] : tensor<1x16x64xi32>)
// CHECK: scf.forall.in_parallel
func.func @decode_ragged_keys(%q: tensor<2x16x64xi16>, %k: tensor<2x300x64xi16>,
                              %v: tensor<2x300x64xi16>,
                              %init: tensor<2x16x64xi32>) -> tensor<2x16x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<2x16x64xi16>, tensor<2x300x64xi16>, tensor<2x300x64xi16>)
         outs(%init : tensor<2x16x64xi32>) -> tensor<2x16x64xi32>
  return %h : tensor<2x16x64xi32>
}

// -----

// Up to twice `query-tile` queries (64 here) are one query tile where the
// heads give the forall at least two iterations without it: each K tile is
// transposed inside the key loop (no transposed copy of all of K), and the
// score tile is [64, 128].
// CHECK-LABEL: func @two_tiles_as_one
// CHECK-SAME: %[[K:[a-zA-Z0-9_]+]]: tensor<2x1024x16xi16>
// CHECK-NOT: linalg.transpose
// CHECK: scf.forall (%[[B0:[a-zA-Z0-9_]+]], %{{.*}}) = (0, 0) to (2, 64) step (1, %[[C64:.*]]) shared_outs
// CHECK: scf.for %[[J0:[a-zA-Z0-9_]+]] =
// CHECK: %[[KS:.*]] = tensor.extract_slice %[[K]][%[[B0]], %[[J0]], 0] [1, 128, 16]
// CHECK: linalg.transpose ins(%[[KS]] : tensor<1x128x16xi16>)
// CHECK: tensor.empty() : tensor<1x64x128xi32>
// CHECK: tensor.parallel_insert_slice %{{.*}} [1, 64, 8] [1, 1, 1] : tensor<1x64x8xi32> into tensor<2x64x8xi32>
func.func @two_tiles_as_one(%q: tensor<2x64x16xi16>, %k: tensor<2x1024x16xi16>,
                            %v: tensor<2x1024x8xi16>,
                            %init: tensor<2x64x8xi32>) -> tensor<2x64x8xi32> {
  %h = inhibitor.attention signed
         ins(%q, %k, %v : tensor<2x64x16xi16>, tensor<2x1024x16xi16>, tensor<2x1024x8xi16>)
         outs(%init : tensor<2x64x8xi32>) -> tensor<2x64x8xi32>
  return %h : tensor<2x64x8xi32>
}

// -----

// One head (one iteration besides the query tiles): 64 queries stay two
// tiles of 32, which threads can share, reading K^T laid out tile by tile
// once.
// CHECK-LABEL: func @one_head_two_tiles
// With key-copy-limit=1024, K (32 KiB) is not copied: each of the two query
// tiles transposes its K tiles in the key loop.
// LIMIT-LABEL: func @one_head_two_tiles
// LIMIT-NOT: linalg.transpose
// LIMIT: scf.forall (%{{.*}}) = (0) to (64) step (%{{.*}}) shared_outs
// LIMIT: scf.for
// LIMIT: linalg.transpose ins(%{{.*}} : tensor<128x16xi16>)
// LIMIT: tensor.empty() : tensor<32x128xi32>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%{{.*}} : tensor<8x128x16xi16>)
// CHECK: scf.forall (%{{.*}}) = (0) to (64) step (%{{.*}}) shared_outs
// CHECK-NOT: linalg.transpose
// CHECK: tensor.extract_slice %[[KT]]
// CHECK: tensor.empty() : tensor<32x128xi32>
// CHECK: tensor.parallel_insert_slice %{{.*}} [32, 8] [1, 1] : tensor<32x8xi32> into tensor<64x8xi32>
func.func @one_head_two_tiles(%q: tensor<64x16xi16>, %k: tensor<1024x16xi16>,
                              %v: tensor<1024x8xi16>,
                              %init: tensor<64x8xi32>) -> tensor<64x8xi32> {
  %h = inhibitor.attention signed
         ins(%q, %k, %v : tensor<64x16xi16>, tensor<1024x16xi16>, tensor<1024x8xi16>)
         outs(%init : tensor<64x8xi32>) -> tensor<64x8xi32>
  return %h : tensor<64x8xi32>
}

// -----

// Inside a parallel loop (a part of key-splits) one head is enough: the
// parts are the threads' work.
// CHECK-LABEL: func @in_parallel_part
// CHECK: scf.forall (%{{.*}}) in (2)
// CHECK-NOT: linalg.transpose
// CHECK: scf.forall (%{{.*}}) = (0) to (64) step (%{{.*}}) shared_outs
// CHECK: scf.for
// CHECK: linalg.transpose ins(%{{.*}} : tensor<128x16xi16>)
// CHECK: tensor.empty() : tensor<64x128xi32>
// UNFUSED-LABEL: func @in_parallel_part
func.func @in_parallel_part(%q: tensor<64x16xi16>, %k: tensor<1024x16xi16>,
                            %v: tensor<1024x8xi16>,
                            %init: tensor<2x64x8xi32>) -> tensor<2x64x8xi32> {
  %r = scf.forall (%p) in (2) shared_outs(%o = %init) -> (tensor<2x64x8xi32>) {
    %j = affine.apply affine_map<(d0) -> (d0 * 512)>(%p)
    %ks = tensor.extract_slice %k[%j, 0] [512, 16] [1, 1] : tensor<1024x16xi16> to tensor<512x16xi16>
    %vs = tensor.extract_slice %v[%j, 0] [512, 8] [1, 1] : tensor<1024x8xi16> to tensor<512x8xi16>
    %e = tensor.empty() : tensor<64x8xi32>
    %h = inhibitor.attention signed
           ins(%q, %ks, %vs : tensor<64x16xi16>, tensor<512x16xi16>, tensor<512x8xi16>)
           outs(%e : tensor<64x8xi32>) -> tensor<64x8xi32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %h into %o[%p, 0, 0] [1, 64, 8] [1, 1, 1] : tensor<64x8xi32> into tensor<2x64x8xi32>
    }
  }
  return %r : tensor<2x64x8xi32>
}

// -----

// A copy of all of K of key-copy-limit bytes or more (by default 32 MiB,
// glibc's largest mmap threshold: here 8 x 65536 x 32 i16) is not made for
// up to 16 query tiles per head (N = 128: four): each query tile transposes
// its K tiles in the key loop.
// CHECK-LABEL: func @large_key_copy
// CHECK-NOT: linalg.transpose
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (8, 128) step (1, %{{.*}}) shared_outs
// CHECK: scf.for
// CHECK: linalg.transpose ins(%{{.*}} : tensor<1x128x32xi16>)
// CHECK: tensor.empty() : tensor<1x32x128xi32>
func.func @large_key_copy(%q: tensor<8x128x32xi16>, %k: tensor<8x65536x32xi16>,
                          %v: tensor<8x65536x8xi16>,
                          %init: tensor<8x128x8xi32>) -> tensor<8x128x8xi32> {
  %h = inhibitor.attention signed
         ins(%q, %k, %v : tensor<8x128x32xi16>, tensor<8x65536x32xi16>, tensor<8x65536x8xi16>)
         outs(%init : tensor<8x128x8xi32>) -> tensor<8x128x8xi32>
  return %h : tensor<8x128x8xi32>
}

// -----

// More than 16 query tiles per head (544 queries: 17) read K^T laid out
// tile by tile once, whatever its size: each query tile's own transposes
// would grow with the query tiles.
// LIMIT-LABEL: func @limit_many_query_tiles
// LIMIT: %[[KT:.*]] = linalg.transpose ins(%{{.*}} : tensor<8x128x16xi16>)
// LIMIT: scf.forall
// LIMIT-NOT: linalg.transpose
// LIMIT: tensor.extract_slice %[[KT]]
// LIMIT: tensor.empty() : tensor<32x128xi32>
func.func @limit_many_query_tiles(%q: tensor<544x16xi16>, %k: tensor<1024x16xi16>,
                                  %v: tensor<1024x8xi16>,
                                  %init: tensor<544x8xi32>) -> tensor<544x8xi32> {
  %h = inhibitor.attention signed
         ins(%q, %k, %v : tensor<544x16xi16>, tensor<1024x16xi16>, tensor<1024x8xi16>)
         outs(%init : tensor<544x8xi32>) -> tensor<544x8xi32>
  return %h : tensor<544x8xi32>
}
